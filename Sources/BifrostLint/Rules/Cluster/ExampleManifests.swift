/// Building blocks for the cluster rules' examples: a Bifrost cluster of three pods, its headless
/// Service and a NetworkPolicy, each with the part under test passed in.
enum ExampleManifests {
    static let gossipPorts = """
                - {name: gossip, containerPort: 10101, protocol: TCP}
                - {name: gossip-udp, containerPort: 10101, protocol: UDP}
    """

    static let allContainerPorts = """
                - {name: http, containerPort: 8080}
    \(gossipPorts)
                - {name: grpc, containerPort: 10102}
    """

    /// A StatefulSet; `ports` is the list under the container's `ports:` key, `portsKey` lets an
    /// example put a marker before that key.
    static func statefulSet(ports: String = allContainerPorts, portsKey: String = "ports:", strategy: String = "", serviceName: String = "bifrost-headless", name: String = "bifrost", image: String = "maximhq/bifrost:v1.4.0") -> String {
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: \(name)
          labels: {app.kubernetes.io/name: bifrost}
        spec:
          serviceName: \(serviceName)
          replicas: 3
        \(strategy)  selector:
            matchLabels: {app.kubernetes.io/name: bifrost}
          template:
            metadata:
              labels: {app.kubernetes.io/name: bifrost, app.kubernetes.io/component: server}
            spec:
              containers:
                - name: bifrost
                  image: \(image)
                  \(portsKey)
        \(ports)

        """
    }

    static let allServicePorts = """
        - {name: http, port: 8080, targetPort: http}
        - {name: gossip, port: 10101, targetPort: gossip, protocol: TCP}
        - {name: gossip-udp, port: 10101, targetPort: gossip-udp, protocol: UDP}
        - {name: grpc, port: 10102, targetPort: grpc, protocol: TCP}
    """

    static func headlessService(ports: String = allServicePorts, portsKey: String = "ports:", name: String = "bifrost-headless", clusterIP: String = "None", selector: String = "{app.kubernetes.io/name: bifrost}") -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
        spec:
          clusterIP: \(clusterIP)
          selector: \(selector)
          \(portsKey)
        \(ports)

        """
    }

    /// A policy that selects the Bifrost pods and restricts Ingress; `ingress` is the rule list.
    static func networkPolicy(ingress: String, ingressKey: String = "ingress:", types: String = "[Ingress]") -> String {
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: bifrost-peers
        spec:
          podSelector:
            matchLabels: {app.kubernetes.io/name: bifrost}
          policyTypes: \(types)
          \(ingressKey)
        \(ingress)

        """
    }

    static func stream(_ docs: String...) -> String {
        docs.joined(separator: "---\n")
    }
}
