import YAMLSource

public struct StatefulSetGRPCPortRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF101", name: "statefulset-grpc-port", severity: .error,
        summary: "The Bifrost container of a clustered StatefulSet or Deployment does not expose the gRPC cluster port (10102/TCP).",
        rationale: """
        Enterprise v1.4.0 moves every application message between cluster nodes — config sync, \
        governance counters, routing rules — from memberlist gossip to a gRPC transport on 10102/TCP. \
        Gossip (10101) still forms the cluster, so pods look healthy while counters and config never \
        converge. Charts before 2.1.14 do not declare the port.

        The port is taken from `cluster_config.grpc.port` (config.json, also inside the release's \
        ConfigMap) or `bifrost.cluster.grpc.port` (values) when set. Only clustered workloads are \
        checked: those whose Bifrost container exposes the gossip port, or whose config enables \
        clustering. A single gateway without peers needs no cluster port. When the container has a \
        port named `grpc` with another number, BF105 reports the mismatch instead.
        """,
        remediation: """
        Upgrade to chart >= 2.1.14, or add the port next to the gossip ports:

            ports:
              - containerPort: 10101
                name: gossip
              - containerPort: 10102
                name: grpc
                protocol: TCP

        `--fix` adds that entry after the gossip ports, in the list's own style.
        """,
        fixable: true,
        triggering: [
            Example(ExampleManifests.statefulSet(ports: "            - {name: http, containerPort: 8080}\n" + ExampleManifests.gossipPorts, portsKey: "↓ports:")),
            // A UDP 10102 is not the gRPC transport.
            Example(ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: cluster-sync, containerPort: 10102, protocol: UDP}", portsKey: "↓ports:")),
            // The port follows config: 11000 is configured, 10102 is exposed.
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n    grpc:\n      port: 11000\n"),
                ExampleFile("manifest.yaml", ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: sync, containerPort: 10102}", portsKey: "↓ports:")),
            ]),
            // Deployments cluster too, and clustering enabled in values counts even without gossip ports.
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n"),
                ExampleFile("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ↓gateway\n          image: registry.example.com/acme/bifrost-enterprise:v1.4.0\n"),
            ]),
            // A mirrored image: the chart's container name and label still tell the gateway.
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n"),
                ExampleFile("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gw}\nspec:\n  template:\n    metadata: {labels: {app.kubernetes.io/name: bifrost}}\n    spec:\n      containers:\n        - name: ↓bifrost\n          image: mirror.example.com/llm/gateway:v1.5.0\n"),
            ]),
        ],
        nonTriggering: [
            Example(ExampleManifests.statefulSet()),
            // Not clustered: no gossip port, no cluster config.
            Example(ExampleManifests.statefulSet(ports: "            - {name: http, containerPort: 8080}")),
            // Not Bifrost.
            // The chart labels its bundled stores `app.kubernetes.io/name: bifrost` too; their
            // containers are not the gateway (real chart 2.1.14, postgresql-deployment.yaml).
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n"),
                ExampleFile("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gw-bifrost-postgresql\n  labels: {app.kubernetes.io/name: bifrost, app.kubernetes.io/component: postgresql}\nspec:\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: bifrost, app.kubernetes.io/component: postgresql}\n    spec:\n      containers:\n        - name: postgresql\n          image: \"postgres:16-alpine\"\n          ports: [{name: postgresql, containerPort: 5432}]\n        - name: weaviate\n          image: semitechnologies/weaviate:1.24.1\n          ports: [{name: grpc, containerPort: 50051}]\n"),
            ]),
            Example("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: cache}\nspec:\n  template:\n    metadata: {labels: {app: cache}}\n    spec:\n      containers:\n        - name: memberlist\n          image: hashicorp/consul:1.18\n          ports: [{name: gossip, containerPort: 10101}]\n"),
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n    grpc:\n      port: 11000\n"),
                ExampleFile("manifest.yaml", ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: cluster-grpc, containerPort: 11000}")),
            ]),
        ]
    )

    public func check(_ model: ClusterModel) -> [Finding] {
        model.clusteredWorkloads.compactMap { w in
            let port = model.grpcPort(for: w)
            guard !w.bifrost.exposes(port, "TCP"), !w.bifrost.ports.contains(where: { $0.name == "grpc" }) else { return nil }
            let fix = !model.fixes ? nil : w.bifrost.portList.flatMap { list in
                PortFixes.add([("name", "grpc"), ("containerPort", String(port)), ("protocol", "TCP")], to: list,
                              after: PortFixes.gossipEntry(w.bifrost.ports.map { ($0.name, $0.number) }, gossipPort: model.gossipPort(for: w)), render: model.rendersFixes)
            }
            return finding(w.bifrost.portsAnchor, "container '\(w.bifrost.name ?? "?")' of \(w.object.displayName) does not expose the gRPC cluster port \(port)/TCP; v1.4.0 nodes sync counters and config over it", fix: fix)
        }
    }
}
