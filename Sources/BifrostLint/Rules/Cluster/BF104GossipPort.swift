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
        let missing = { (has: (String) -> Bool) in ["TCP", "UDP"].filter { !has($0) } }
        var out: [Finding] = []
        for w in model.clusteredWorkloads {
            let port = model.gossipPort(for: w)
            let container = missing { w.bifrost.exposes(port, $0) }
            if !container.isEmpty {
                out.append(finding(w.bifrost.portsAnchor, "container '\(w.bifrost.name ?? "?")' of \(w.object.displayName) does not expose the gossip port \(port) over \(container.joined(separator: " and "))"))
            }
        }
        // Services and policies are asked once per peer group, and a Service or policy shared by
        // many workloads gets one finding, not one per workload.
        var serviceGaps = PerObject<KubeService, ServiceGap>()
        var policyGaps = PerObject<NetworkPolicy, PolicyGap>()
        for group in model.peerGroups {
            let w = group[0]
            let port = model.gossipPort(for: w)
            let (shared, own) = model.headlessServices(of: group)
            for s in shared {
                let gaps = missing { s.exposes(port, $0, of: w) }
                if !gaps.isEmpty { serviceGaps.add(s, ServiceGap(port: port, protos: gaps), group) }
            }
            for (member, s) in own {
                let gaps = missing { s.exposes(port, $0, of: member) }
                if !gaps.isEmpty { serviceGaps.add(s, ServiceGap(port: port, protos: gaps), [member]) }
            }
            var blocked: [(NetworkPolicy, NetworkPolicy.Direction, [String])] = []
            for proto in ["TCP", "UDP"] {
                for (policy, direction) in PeerTraffic.blocked(model, w, port: port, proto: proto) {
                    if let i = blocked.firstIndex(where: { $0.0 === policy && $0.1 == direction }) {
                        blocked[i].2.append(proto)
                    } else {
                        blocked.append((policy, direction, [proto]))
                    }
                }
            }
            for (policy, direction, protos) in blocked {
                policyGaps.add(policy, PolicyGap(direction: direction, port: port, protos: protos), group)
            }
        }
        out += serviceGaps.entries.map { e in
            finding(e.object.portsAnchor, "headless Service '\(e.object.object.name ?? "?")' does not list the gossip port \(e.key.port) over \(e.key.protos.joined(separator: " and "))")
        }
        out += policyGaps.entries.map { e in
            finding(e.object.anchor(e.key.direction), "NetworkPolicy '\(e.object.object.name ?? "?")' restricts \(e.key.direction.rawValue) of the Bifrost pods and no policy admits the gossip port \(e.key.port) over \(e.key.protos.joined(separator: " and ")) between them")
        }
        return out
    }

    struct PolicyGap: Hashable {
        let direction: NetworkPolicy.Direction
        let port: Int
        let protos: [String]
    }
}
