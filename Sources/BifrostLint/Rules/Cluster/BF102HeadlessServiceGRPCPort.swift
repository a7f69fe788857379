import YAMLSource

public struct HeadlessServiceGRPCPortRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF102", name: "headless-service-grpc-port", severity: .error,
        summary: "The headless Service of a Bifrost cluster does not list the gRPC cluster port (10102/TCP).",
        rationale: """
        Cluster peers find each other through the StatefulSet's headless Service. Enterprise v1.4.0 \
        sends application messages over gRPC on 10102/TCP, and the guide asks for the port on the \
        headless Service next to the gossip ports; charts before 2.1.14 leave it out. The Service \
        checked is the one the StatefulSet's `serviceName` names, and any other headless Service \
        selecting the Bifrost pods. A port counts when its `port` is the gRPC port, or its \
        `targetPort` (a number, or a name resolved against the pods' container ports) is.
        """,
        remediation: """
        Upgrade to chart >= 2.1.14, or add:

            - name: grpc
              port: 10102
              targetPort: grpc
              protocol: TCP

        `--fix` adds that entry after the gossip ports.
        """,
        fixable: true,
        triggering: [
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(ports: "    - {name: gossip, port: 10101, targetPort: gossip}\n    - {name: gossip-udp, port: 10101, targetPort: gossip-udp, protocol: UDP}", portsKey: "↓ports:"))),
            // Found by selector though the StatefulSet names another Service; UDP does not count.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(),
                ExampleManifests.headlessService(ports: "    - {name: grpc, port: 10102, protocol: UDP}", portsKey: "↓ports:", name: "bifrost-peers"))),
            // targetPort names a port the pods do not have.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(ports: "    - {name: sync, port: 9000, targetPort: cluster-grpc}", portsKey: "↓ports:"))),
        ],
        nonTriggering: [
            Example(ExampleManifests.stream(ExampleManifests.statefulSet(), ExampleManifests.headlessService())),
            // targetPort by name resolves to containerPort 10102.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(ports: "    - {name: peers, port: 9000, targetPort: grpc}"))),
            // A normal (ClusterIP) Service for clients does not carry cluster traffic.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(ports: "    - {name: http, port: 8080}", name: "bifrost", clusterIP: "10.0.0.10"))),
        ]
    )

    public func check(_ model: ClusterModel) -> [Finding] {
        // One finding per Service and port, naming the workloads it serves: many releases may
        // share selector labels, and a finding per pair grows with the square of them.
        var gaps = PerObject<KubeService, Int>()
        for group in model.peerGroups {
            let port = model.grpcPort(for: group[0])
            let (shared, own) = model.headlessServices(of: group)
            for s in shared where !s.exposes(port, "TCP", of: group[0]) { gaps.add(s, port, group) }
            for (w, s) in own where !s.exposes(port, "TCP", of: w) { gaps.add(s, port, [w]) }
        }
        return gaps.entries.map { e in
            let (s, port, w) = (e.object, e.key, e.first)
            // Target the container port by name when the pods name it (or will, once BF101 is fixed).
            let target = w.bifrost.ports.contains { $0.number == port && $0.name != nil && $0.name != "grpc" } ? String(port) : "grpc"
            let fix = !model.fixes ? nil : s.portList.flatMap { list in
                PortFixes.add([("name", "grpc"), ("port", String(port)), ("targetPort", target), ("protocol", "TCP")], to: list,
                              after: PortFixes.gossipEntry(s.ports.map { ($0.name, $0.port) }, gossipPort: model.gossipPort(for: w)), render: model.rendersFixes)
            }
            return finding(s.portsAnchor, "headless Service '\(s.object.name ?? "?")' of \(e.described) does not list the gRPC cluster port \(port)/TCP", fix: fix)
        }
    }
}
