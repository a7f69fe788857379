import YAMLSource

public struct NetworkPolicyGRPCPortRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF103", name: "networkpolicy-grpc-port", severity: .error,
        summary: "NetworkPolicies that restrict the Bifrost pods admit no 10102/TCP traffic between them.",
        rationale: """
        When any NetworkPolicy selects a pod for Ingress (or Egress), only what some policy admits \
        gets through. A policy written for v1.3 admits gossip on 10101 but not the new gRPC port, so \
        the cluster forms and then never converges: the guide's first troubleshooting entry. Policies \
        are read as Kubernetes reads them: rules without `ports` admit every port, ports without \
        `protocol` are TCP, named ports resolve against the pods' container ports, `endPort` ranges \
        count, rules without peers admit every peer, and pod selectors match by `matchLabels` and \
        `matchExpressions`. Namespace selectors cannot be checked from manifests and are assumed to \
        match, except `kubernetes.io/metadata.name`. All policies selecting the pods are considered \
        together; the finding is on the first one that restricts the direction.
        """,
        remediation: """
        Admit the port from and to the Bifrost pods, for example:

            ingress:
              - from:
                  - podSelector:
                      matchLabels: {app.kubernetes.io/name: bifrost}
                ports:
                  - {port: 10101, protocol: TCP}
                  - {port: 10101, protocol: UDP}
                  - {port: 10102, protocol: TCP}

        `--fix` adds `{port: 10102, protocol: TCP}` to the rule that already admits gossip
        between the Bifrost pods; without such a rule it only reports.
        """,
        fixable: true,
        triggering: [
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - from: [{podSelector: {matchLabels: {app.kubernetes.io/name: bifrost}}}]\n      ports: [{port: 10101}, {port: 10101, protocol: UDP}, {port: 8080}]", ingressKey: "↓ingress:"))),
            // Named port 'gossip' only; the peer selector by expression matches.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - from:\n        - podSelector:\n            matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [bifrost]}]\n      ports: [{port: gossip}]", ingressKey: "↓ingress:"))),
            // Egress restricted with no rules at all: nothing leaves the pods.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - {}", types: "[Ingress, ↓Egress]"))),
            // Workload and policy in different files of one run.
            Example(files: [
                ExampleFile("statefulset.yaml", ExampleManifests.statefulSet()),
                ExampleFile("netpol.yaml", ExampleManifests.networkPolicy(ingress: "    - ports: [{port: gossip}, {port: gossip-udp, protocol: UDP}]", ingressKey: "↓ingress:")),
            ]),
            // 10102 is open, but only from other pods.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - from: [{podSelector: {matchLabels: {app: ingress-nginx}}}]\n      ports: [{port: 10102}]", ingressKey: "↓ingress:"))),
        ],
        nonTriggering: [
            // No ports = all ports.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - from: [{podSelector: {matchLabels: {app.kubernetes.io/name: bifrost}}}]"))),
            // A port range that covers 10102, and a second policy that adds the gRPC port.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - ports: [{port: 10100, endPort: 10110, protocol: TCP}]"))),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.networkPolicy(ingress: "    - ports: [{port: 8080}]"),
                ExampleManifests.networkPolicy(ingress: "    - from: [{podSelector: {}}]\n      ports: [{port: grpc}]"))),
            // A policy for other pods.
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db}\nspec:\n  podSelector: {matchLabels: {app: postgres}}\n  policyTypes: [Ingress, Egress]\n")),
        ]
    )

    struct Gap: Hashable {
        let direction: NetworkPolicy.Direction
        let port: Int
    }

    public func check(_ model: ClusterModel) -> [Finding] {
        // Once per peer group; a policy over many workloads gets one finding naming them.
        var gaps = PerObject<NetworkPolicy, Gap>()
        for group in model.peerGroups {
            let port = model.grpcPort(for: group[0])
            for (policy, direction) in PeerTraffic.blocked(model, group[0], port: port, proto: "TCP") {
                gaps.add(policy, Gap(direction: direction, port: port), group)
            }
        }
        return gaps.entries.map { e in
            finding(e.object.anchor(e.key.direction), "NetworkPolicy '\(e.object.object.name ?? "?")' restricts \(e.key.direction.rawValue) of the Bifrost pods of \(e.described), and no policy admits \(e.key.port)/TCP between them (gRPC cluster transport)",
                    fix: model.fixes ? fix(model, e.first, port: e.key.port, direction: e.key.direction) : nil)
        }
    }
}

extension NetworkPolicyGRPCPortRule {
    /// Adds the port to a rule of a restricting policy that already admits gossip between the pods.
    func fix(_ model: ClusterModel, _ w: Workload, port: Int, direction: NetworkPolicy.Direction) -> Fix? {
        let gossip = model.gossipPort(for: w)
        for policy in model.policies(selecting: w) where policy.restricts(direction) {
            guard let rule = policy.peerRule(direction, port: gossip, proto: "TCP", within: w),
                  let list = rule.portList, !list.items.isEmpty else { continue }
            let anchor = rule.ports.lastIndex { p in
                guard let ref = p.port else { return false }
                return w.resolve(ref, proto: p.proto) == gossip
            }
            return PortFixes.add([("port", String(port)), ("protocol", "TCP")], to: list, after: anchor, render: model.rendersFixes)
        }
        return nil
    }
}

/// Which directions the policies selecting a workload block for peer traffic on one port.
enum PeerTraffic {
    /// For each restricted direction that no policy opens, the first policy that restricts it.
    static func blocked(_ model: ClusterModel, _ w: Workload, port: Int, proto: String) -> [(NetworkPolicy, NetworkPolicy.Direction)] {
        let selecting = model.policies(selecting: w)
        var out: [(NetworkPolicy, NetworkPolicy.Direction)] = []
        for direction in [NetworkPolicy.Direction.ingress, .egress] {
            let restricting = selecting.filter { $0.restricts(direction) }
            guard let first = restricting.first else { continue }
            if !restricting.contains(where: { $0.admitsPeerTraffic(direction, port: port, proto: proto, within: w) }) {
                out.append((first, direction))
            }
        }
        return out
    }
}
