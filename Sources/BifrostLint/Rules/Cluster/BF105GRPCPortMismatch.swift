import YAMLSource

public struct GRPCPortMismatchRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF105", name: "grpc-port-mismatch", severity: .error,
        summary: "The gRPC cluster port configured for Bifrost differs from the one the manifests expose, or collides with the gossip or HTTP port.",
        rationale: """
        Bifrost listens for cluster gRPC on `cluster_config.grpc.port` (values: \
        `bifrost.cluster.grpc.port`, default 10102). A container or headless Service port named `grpc` \
        with another number opens the wrong port: peers dial the configured one and are refused. A \
        gRPC port equal to the gossip port or the HTTP port (default 8080) fails at startup with \
        "address already in use". The gossip port defaults to 7946 in the chart \
        (`bifrost.cluster.gossip.port`) and to 10101 in a config.json without one (enterprise \
        clustering guide, "Transports").
        """,
        remediation: "Use one number everywhere: set the config's `grpc.port` and the `grpc` container/Service ports to the same value, distinct from the gossip and HTTP ports.",
        triggering: [
            Example("bifrost:\n  port: 8080\n  cluster:\n    enabled: true\n    gossip: {port: 10101}\n    grpc: {port: ↓10101}\n", file: "values.yaml"),
            // Values without a gossip port get the chart's 7946.
            Example("bifrost:\n  cluster:\n    enabled: true\n    grpc: {port: ↓7946}\n", file: "values.yaml"),
            Example("{\"cluster_config\": {\"enabled\": true, \"grpc\": {\"port\": ↓8080}}}\n", file: "config.json"),
            Example(ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: grpc, containerPort: ↓10103}")),
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n    grpc:\n      port: 11000\n"),
                ExampleFile("manifest.yaml", ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: grpc, containerPort: ↓10102}")),
            ]),
        ],
        nonTriggering: [
            Example("bifrost:\n  port: 8080\n  cluster:\n    enabled: true\n    grpc: {port: 10102}\n", file: "values.yaml"),
            // 10101 is free in values that leave the chart's gossip port (7946) alone.
            Example("bifrost:\n  cluster:\n    enabled: true\n    grpc: {port: 10101}\n", file: "values.yaml"),
            Example("{\"cluster_config\": {\"enabled\": true, \"grpc\": {\"port\": 10102, \"dial_timeout_seconds\": 5}}}\n", file: "config.json"),
            Example(files: [
                ExampleFile("values.yaml", "bifrost:\n  cluster:\n    enabled: true\n    grpc:\n      port: 11000\n"),
                ExampleFile("manifest.yaml", ExampleManifests.statefulSet(ports: ExampleManifests.gossipPorts + "\n            - {name: grpc, containerPort: 11000}")),
            ]),
        ]
    )

    public func check(_ model: ClusterModel) -> [Finding] {
        var out: [Finding] = []
        for config in model.configs {
            guard let loc = config.grpcPortLoc else { continue }
            let port = config.grpcPort
            if port == config.gossipPort {
                let gossipDefault = config.isValues ? "gossip \(BifrostConfig.chartDefaultGossipPort) in the chart" : "gossip \(BifrostConfig.defaultGossipPort)"
                out.append(finding(loc, "gRPC cluster port \(port) is also the gossip port; give each its own (defaults: gRPC 10102, \(gossipDefault))"))
            } else if port == config.httpPort {
                out.append(finding(loc, "gRPC cluster port \(port) is also the HTTP port; the server cannot bind both"))
            }
        }
        for w in model.clusteredWorkloads {
            let expected = model.grpcPort(for: w)
            let source = model.config(for: w)?.grpcPortLoc == nil ? "the default" : "the configured port"
            for port in w.bifrost.ports where port.name == "grpc" && port.number != nil && port.number != expected {
                out.append(finding(port.loc, "container port 'grpc' of \(w.object.displayName) is \(port.number!) but Bifrost listens for cluster gRPC on \(expected) (\(source))"))
            }

        }
        // Services once per peer group, one finding per Service port naming its workloads.
        var gaps = PerObject<KubeService, PortGap>()
        for group in model.peerGroups {
            let expected = model.grpcPort(for: group[0])
            let (shared, own) = model.headlessServices(of: group)
            for (members, s) in shared.map({ (group, $0) }) + own.map({ ([$0.0], $0.1) }) {
                for (i, p) in s.ports.enumerated() where p.name == "grpc" && p.proto == "TCP" {
                    let target = p.targetPort.flatMap { members[0].resolve($0, proto: "TCP") } ?? p.port
                    if let target, target != expected { gaps.add(s, PortGap(index: i, target: target, expected: expected), members) }
                }
            }
        }
        for e in gaps.entries {
            let source = model.config(for: e.first)?.grpcPortLoc == nil ? "the default" : "the configured port"
            out.append(finding(e.object.ports[e.key.index].loc, "Service port 'grpc' of '\(e.object.object.name ?? "?")' leads to \(e.key.target) but \(e.described) listen\(e.groups.count == 1 && e.groups[0].count == 1 ? "s" : "") for cluster gRPC on \(e.key.expected) (\(source))"))
        }
        return out
    }

    struct PortGap: Hashable {
        let index: Int
        let target: Int
        let expected: Int
    }
}
