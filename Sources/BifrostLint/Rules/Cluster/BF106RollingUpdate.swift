import YAMLSource

public struct RollingUpdateRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF106", name: "rolling-update", severity: .warning,
        summary: "The Bifrost StatefulSet does not roll out one pod at a time.",
        rationale: """
        The guide's rollout step: v1.4.0 nodes advertise an `ack:v1` capability and exclude older \
        peers from the pending-ACK set, so a one-pod-at-a-time rolling upgrade keeps quorum. \
        `updateStrategy.type: OnDelete` leaves the order to whoever deletes pods, and \
        `rollingUpdate.maxUnavailable` above 1 (as a number, or a percentage of the replicas) replaces \
        several nodes at once. Only what the manifest sets is checked: the StatefulSet default \
        (RollingUpdate, one at a time) is what the guide asks for.
        """,
        remediation: "Use `updateStrategy: {type: RollingUpdate}` and leave `maxUnavailable` unset or at 1.",
        triggering: [
            Example(ExampleManifests.statefulSet(strategy: "  updateStrategy:\n    type: ↓OnDelete\n")),
            Example(ExampleManifests.statefulSet(strategy: "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: ↓2\n")),
            // 3 replicas × 100% = 3 pods at once.
            Example(ExampleManifests.statefulSet(strategy: "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: ↓100%}\n")),
        ],
        nonTriggering: [
            Example(ExampleManifests.statefulSet()),
            Example(ExampleManifests.statefulSet(strategy: "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 1, partition: 0}\n")),
            // 3 replicas × 34% rounds down to 1.
            Example(ExampleManifests.statefulSet(strategy: "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 34%}\n")),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.clusteredWorkloads.filter(\.isStatefulSet).compactMap { w in
            guard let strategy = w.object.spec?["updateStrategy"] else { return nil }
            if let type = strategy["type"], type.string == "OnDelete" {
                return finding(type, "\(w.object.displayName) uses updateStrategy OnDelete; roll v1.4.0 out one pod at a time with RollingUpdate")
            }
            guard let node = strategy["rollingUpdate"]?["maxUnavailable"] else { return nil }
            let replicas = Int(w.object.spec?["replicas"]?.int ?? 1)
            let pods: Int
            if let n = node.int {
                pods = Int(n)
            } else if let s = node.string, s.hasSuffix("%"), let pct = Int(s.dropLast()) {
                pods = replicas * pct / 100
            } else {
                return nil
            }
            guard pods > 1 else { return nil }
            return finding(node, "maxUnavailable lets \(pods) Bifrost pods of \(w.object.displayName) restart at once; upgrade one pod at a time")
        }
    }
}
