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

    public func check(_ model: ClusterModel) -> [Finding] {
        model.clusteredWorkloads.filter(\.isStatefulSet).compactMap { w in
            if let type = w.updateStrategyType, type.value == "OnDelete" {
                return finding(type.loc, "\(w.object.displayName) uses updateStrategy OnDelete; roll v1.4.0 out one pod at a time with RollingUpdate")
            }
            guard let max = w.maxUnavailable else { return nil }
            let pods: Int
            switch max.value {
            case .int(let n)?:
                pods = Int(n)
            case .string(let s)? where s.hasSuffix("%"):
                guard let pct = Int(s.dropLast()) else { return nil }
                pods = w.replicas * pct / 100
            default:
                return nil
            }
            guard pods > 1 else { return nil }
            return finding(max.loc, "maxUnavailable lets \(pods) Bifrost pods of \(w.object.displayName) restart at once; upgrade one pod at a time")
        }
    }
}
