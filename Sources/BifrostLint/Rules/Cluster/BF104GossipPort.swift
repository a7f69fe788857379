import YAMLSource

public struct GossipPortRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF104", name: "gossip-port", severity: .warning,
        summary: "The gossip port (10101) is not open for both TCP and UDP in the container, headless Service or NetworkPolicies.",
        rationale: """
        Memberlist gossip still carries membership and liveness in v1.4.0 and uses 10101 over TCP \
        and UDP. With only one protocol, probes fail intermittently and nodes flap in and out of the \
        cluster, which then also stalls the gRPC counter sync. The port follows \
        `cluster_config.gossip.port` / `bifrost.cluster.gossip.port` when set.
        """,
        remediation: "Expose and admit the gossip port twice: `{containerPort: 10101, protocol: TCP}` and `{containerPort: 10101, protocol: UDP}` (same on the headless Service and in NetworkPolicy rules).",
        triggering: [
            Example(ExampleManifests.statefulSet(ports: "            - {name: gossip, containerPort: 10101}\n            - {name: grpc, containerPort: 10102}", portsKey: "↓ports:")),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(ports: "    - {name: gossip, port: 10101}\n    - {name: grpc, port: 10102}", portsKey: "↓ports:"))),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - ports: [{port: 10101}, {port: 10102}]", ingressKey: "↓ingress:"))),
        ],
        nonTriggering: [
            Example(ExampleManifests.stream(ExampleManifests.statefulSet(), ExampleManifests.headlessService())),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - ports: [{port: gossip}, {port: gossip-udp, protocol: UDP}, {port: grpc}]"))),
            // Not clustered.
            Example(ExampleManifests.statefulSet(ports: "            - {name: http, containerPort: 8080}")),
        ]
    )

    struct ServiceGap: Hashable {
        let port: Int
        let protos: [String]
    }

    public func check(_ model: ClusterModel) -> [Finding] {
        // A Service shared by many workloads gets one finding, not one per workload.
        var serviceGaps = PerObject<KubeService, ServiceGap>()
        let perWorkload = model.clusteredWorkloads.flatMap { w -> [Finding] in
            let port = model.gossipPort(for: w)
            var out: [Finding] = []
            let missing = { (has: (String) -> Bool) in ["TCP", "UDP"].filter { !has($0) } }
            let container = missing { w.bifrost.exposes(port, $0) }
            if !container.isEmpty {
                out.append(finding(w.bifrost.portsAnchor, "container '\(w.bifrost.name ?? "?")' of \(w.object.displayName) does not expose the gossip port \(port) over \(container.joined(separator: " and "))"))
            }
            for s in model.headlessServices(for: w) {
                let gaps = missing { s.exposes(port, $0, of: w) }
                if !gaps.isEmpty { serviceGaps.add(s, ServiceGap(port: port, protos: gaps), w) }
            }
            var blocked: [String: (NetworkPolicy, NetworkPolicy.Direction, [String])] = [:]
            var order: [String] = []
            for proto in ["TCP", "UDP"] {
                for (policy, direction) in PeerTraffic.blocked(model, w, port: port, proto: proto) {
                    let key = "\(policy.object.name ?? "")/\(direction.rawValue)"
                    if blocked[key] == nil { order.append(key); blocked[key] = (policy, direction, []) }
                    blocked[key]?.2.append(proto)
                }
            }
            for key in order {
                guard let (policy, direction, protos) = blocked[key] else { continue }
                out.append(finding(policy.anchor(direction), "NetworkPolicy '\(policy.object.name ?? "?")' restricts \(direction.rawValue) of the Bifrost pods and no policy admits the gossip port \(port) over \(protos.joined(separator: " and ")) between them"))
            }
            return out
        }
        return perWorkload + serviceGaps.entries.map { e in
            finding(e.object.portsAnchor, "headless Service '\(e.object.object.name ?? "?")' does not list the gossip port \(e.key.port) over \(e.key.protos.joined(separator: " and "))")
        }
    }
}
