#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The chart release that first exposes the gRPC cluster port.
enum ChartVersionPolicy {
    static let minimum = SemVer(2, 1, 14)

    enum Verdict {
        case ok, below, rangeAdmitsBelow
    }

    /// Every object of a rendered release carries the same chart label: parse each text once.
    private static let memo = Memo<Verdict>()

    final class Memo<V>: @unchecked Sendable {
        private var verdicts: [String: V] = [:]
        private let lock = Lock()

        func value(_ text: String, _ compute: (String) -> V) -> V {
            if let v = lock.withLock({ verdicts[text] }) { return v }
            let v = compute(text)
            lock.withLock { verdicts[text] = v }
            return v
        }
    }

    static func verdict(_ text: String) -> Verdict {
        memo.value(text, compute)
    }

    /// The verdict on a resolved version (a `helm.sh/chart` label's), nil when the text is not a
    /// version at all; remembered like `verdict`.
    static func resolvedVerdict(_ text: String) -> Verdict? {
        resolvedMemo.value(text) { SemVer($0) == nil ? nil : verdict($0) }
    }
    private static let resolvedMemo = Memo<Verdict?>()

    private static func compute(_ text: String) -> Verdict {
        guard let constraint = VersionConstraint(text) else { return .ok }
        let below = constraint.admits(below: minimum)
        let atLeast = constraint.admits(atLeast: minimum)
        if below && !atLeast { return .below }
        if below { return .rangeAdmitsBelow }
        return .ok
    }
}
