/// The chart release that first exposes the gRPC cluster port.
enum ChartVersionPolicy {
    static let minimum = SemVer(2, 1, 14)

    enum Verdict {
        case ok, below, rangeAdmitsBelow
    }

    static func verdict(_ text: String) -> Verdict {
        guard let constraint = VersionConstraint(text) else { return .ok }
        let below = constraint.admits(below: minimum)
        let atLeast = constraint.admits(atLeast: minimum)
        if below && !atLeast { return .below }
        if below { return .rangeAdmitsBelow }
        return .ok
    }
}
