#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Helm (Masterminds semver) version constraint: `2.1.14`, `~2.1.0`, `^2`, `>=2.0.0 <3`,
/// `2.1.x`, `1.2 - 2.3`, alternatives joined by `||`. Read as a union of intervals, which is all
/// the chart-version rules need: does it admit a version below the minimum, and one at or above it?
public struct VersionConstraint: Sendable {
    struct Bound: Sendable {
        var version: SemVer
        var inclusive: Bool
    }

    struct Interval: Sendable {
        var lower: Bound?
        var upper: Bound?

        var isEmpty: Bool {
            guard let l = lower, let u = upper else { return false }
            if l.version == u.version { return !(l.inclusive && u.inclusive) }
            return u.version < l.version
        }

        func intersect(_ o: Interval) -> Interval {
            var r = self
            if let ol = o.lower {
                if let l = r.lower {
                    if ol.version > l.version || (ol.version == l.version && !ol.inclusive) { r.lower = ol }
                } else { r.lower = ol }
            }
            if let ou = o.upper {
                if let u = r.upper {
                    if ou.version < u.version || (ou.version == u.version && !ou.inclusive) { r.upper = ou }
                } else { r.upper = ou }
            }
            return r
        }
    }

    let intervals: [Interval]
    /// True when the text names one exact version.
    public let isExact: Bool

    public init?(_ text: String) {
        var intervals: [Interval] = []
        var exact = true
        for alternative in text.components(separatedBy: "||") {
            guard let (interval, isExact) = VersionConstraint.parseConjunction(alternative) else { return nil }
            exact = exact && isExact
            if !interval.isEmpty { intervals.append(interval) }
        }
        self.intervals = intervals
        self.isExact = exact && intervals.count == 1
    }

    /// Whether some version strictly below `v` satisfies the constraint.
    public func admits(below v: SemVer) -> Bool {
        intervals.contains { i in
            guard let l = i.lower else { return true }
            // Ranges skip pre-releases (as Helm's semver does), so above an exclusive bound the
            // first candidate is the next patch release.
            let first = l.inclusive || !l.version.prerelease.isEmpty ? l.version : SemVer(l.version.major, l.version.minor, l.version.patch + 1)
            return first < v
        }
    }

    /// Whether some version at or above `v` satisfies the constraint.
    public func admits(atLeast v: SemVer) -> Bool {
        intervals.contains { i in
            guard let u = i.upper else { return true }
            return u.version > v || (u.version == v && u.inclusive)
        }
    }

    // MARK: parsing

    private struct Partial {
        var parts: [Int?]  // nil = wildcard; count 0...3
        var prerelease: [String]

        var isComplete: Bool { parts.count == 3 && !parts.contains(where: { $0 == nil }) }
        /// Fixed leading components before the first wildcard or omission.
        var fixed: [Int] { Array(parts.prefix(while: { $0 != nil }).map { $0! }) }

        var floor: SemVer {
            let f = fixed
            return SemVer(f.count > 0 ? f[0] : 0, f.count > 1 ? f[1] : 0, f.count > 2 ? f[2] : 0, prerelease: isComplete ? prerelease : [])
        }

        /// The first version past everything this partial version covers (`2.1` → `2.2.0`).
        var ceiling: SemVer? {
            let f = fixed
            switch f.count {
            case 0: return nil
            case 1: return SemVer(f[0] + 1, 0, 0)
            case 2: return SemVer(f[0], f[1] + 1, 0)
            default: return SemVer(f[0], f[1], f[2] + 1)
            }
        }
    }

    private static func parsePartial(_ raw: Substring) -> Partial? {
        var s = raw
        if s.first == "v" || s.first == "V" { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") { s = s[..<plus] }
        var pre: [String] = []
        if let dash = s.firstIndex(of: "-") {
            pre = s[s.index(after: dash)...].split(separator: ".").map(String.init)
            s = s[..<dash]
        }
        if s.isEmpty { return Partial(parts: [], prerelease: pre) }
        var parts: [Int?] = []
        for p in s.split(separator: ".", omittingEmptySubsequences: false) {
            if p == "x" || p == "X" || p == "*" { parts.append(nil) } else if let n = Int(p), n >= 0 { parts.append(n) } else { return nil }
        }
        guard parts.count <= 3 else { return nil }
        return Partial(parts: parts, prerelease: pre)
    }

    private static func parseConjunction(_ text: String) -> (Interval, Bool)? {
        let trimmed = text.trimmingCharacters(in: " \t")
        if trimmed.isEmpty { return (Interval(lower: nil, upper: nil), false) }
        // Hyphen range: `1.2 - 2.3.4`.
        let hyphen = trimmed.components(separatedBy: " - ")
        if hyphen.count == 2 {
            guard let a = parsePartial(Substring(hyphen[0].trimmingCharacters(in: " \t"))),
                  let b = parsePartial(Substring(hyphen[1].trimmingCharacters(in: " \t"))) else { return nil }
            let upper: Bound? = b.isComplete ? Bound(version: b.floor, inclusive: true) : b.ceiling.map { Bound(version: $0, inclusive: false) }
            return (Interval(lower: Bound(version: a.floor, inclusive: true), upper: upper), false)
        }
        // Comparators are separated by commas or spaces; an operator may stand apart from its version.
        var tokens: [String] = []
        var pendingOp = ""
        for raw in trimmed.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            let t = String(raw)
            if t.allSatisfy({ "<>=!~^".contains($0) }) { pendingOp += t; continue }
            tokens.append(pendingOp + t)
            pendingOp = ""
        }
        guard pendingOp.isEmpty, !tokens.isEmpty else { return nil }
        var result = Interval(lower: nil, upper: nil)
        var exact = tokens.count == 1
        for token in tokens {
            guard let (interval, isExact) = parseComparator(token) else { return nil }
            exact = exact && isExact
            result = result.intersect(interval)
        }
        return (result, exact)
    }

    private static func parseComparator(_ token: String) -> (Interval, Bool)? {
        let opChars = token.prefix(while: { "<>=!~^".contains($0) })
        guard let v = parsePartial(token.dropFirst(opChars.count)) else { return nil }
        let floor = Bound(version: v.floor, inclusive: true)
        let ceilingExclusive = v.ceiling.map { Bound(version: $0, inclusive: false) }
        switch String(opChars) {
        case "", "=", "==":
            if v.isComplete { return (Interval(lower: floor, upper: Bound(version: v.floor, inclusive: true)), true) }
            return (Interval(lower: v.fixed.isEmpty ? nil : floor, upper: ceilingExclusive), false)
        case "!=":
            return (Interval(lower: nil, upper: nil), false)
        case ">":
            if v.isComplete { return (Interval(lower: Bound(version: v.floor, inclusive: false), upper: nil), false) }
            return (Interval(lower: ceilingExclusive.map { Bound(version: $0.version, inclusive: true) }, upper: nil), false)
        case ">=", "=>":
            return (Interval(lower: floor, upper: nil), false)
        case "<":
            return (Interval(lower: nil, upper: Bound(version: v.floor, inclusive: false)), false)
        case "<=", "=<":
            if v.isComplete { return (Interval(lower: nil, upper: Bound(version: v.floor, inclusive: true)), false) }
            return (Interval(lower: nil, upper: ceilingExclusive), false)
        case "~", "~>":
            let f = v.fixed
            let upper: SemVer
            switch f.count {
            case 0: return (Interval(lower: nil, upper: nil), false)
            case 1: upper = SemVer(f[0] + 1, 0, 0)
            default: upper = SemVer(f[0], f[1] + 1, 0)
            }
            return (Interval(lower: floor, upper: Bound(version: upper, inclusive: false)), false)
        case "^":
            let f = v.fixed
            let upper: SemVer
            if f.isEmpty { return (Interval(lower: nil, upper: nil), false) }
            if f[0] > 0 || f.count == 1 {
                upper = SemVer(f[0] + 1, 0, 0)
            } else if f.count == 2 || f[1] > 0 {
                upper = SemVer(0, f[1] + 1, 0)
            } else {
                upper = SemVer(0, 0, f[2] + 1)
            }
            return (Interval(lower: floor, upper: Bound(version: upper, inclusive: false)), false)
        default:
            return nil
        }
    }
}
