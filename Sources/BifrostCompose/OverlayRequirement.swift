#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A chart version as `Chart.yaml` gives it (`2.1.16`, `v2.1.30`, `2.1.30-rc.1`): compared by
/// major, minor and patch; a pre-release suffix is ignored.
public struct ChartVersion: Comparable, CustomStringConvertible, Sendable {
    public let parts: [Int]

    public init?(_ text: String) {
        var t = trimmed(Substring(text))
        if t.first == "\"" || t.first == "'" { t = t.dropFirst().dropLast() }
        if t.first == "v" { t = t.dropFirst() }
        let core = t.prefix { $0 != "-" && $0 != "+" }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        parts = numbers.map { $0! } + Array(repeating: 0, count: 3 - numbers.count)
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }

    public static func < (a: ChartVersion, b: ChartVersion) -> Bool { a.parts.lexicographicallyPrecedes(b.parts) }

    /// The `version:` of a chart's `Chart.yaml` text (a top-level key, plain or quoted).
    public static func ofChartYAML(_ text: String) -> ChartVersion? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("version:") {
            let value = line.dropFirst("version:".count).prefix { $0 != "#" }
            return ChartVersion(String(trimmed(value)))
        }
        return nil
    }
}

/// The chart versions an overlay supports, from its header line
/// `# Chart: >= MIN [< MAX] [for FEATURE]`: MIN is the lowest chart whose values.schema.json has
/// what the overlay needs (FEATURE names it), MAX the first chart where it would mean something
/// else (a variant for older charts).
public struct OverlayRequirement: Sendable, Equatable {
    public let minimum: ChartVersion
    public let below: ChartVersion?
    public let feature: String

    public static func == (a: OverlayRequirement, b: OverlayRequirement) -> Bool {
        a.minimum == b.minimum && a.below == b.below && a.feature == b.feature
    }

    public init(minimum: ChartVersion, below: ChartVersion? = nil, feature: String) {
        self.minimum = minimum
        self.below = below
        self.feature = feature
    }

    /// The requirement in an overlay's leading comment block, if it declares one.
    public static func parse(_ text: String) -> OverlayRequirement? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = trimmed(line)
            if l.isEmpty { continue }
            guard l.hasPrefix("#") else { break }
            let body = trimmed(l.drop { $0 == "#" })
            guard body.hasPrefix("Chart:") else { continue }
            var words = body.dropFirst("Chart:".count).split(separator: " ").map(String.init)
            guard words.count >= 2, words[0] == ">=", let minimum = ChartVersion(words[1]) else { return nil }
            words.removeFirst(2)
            var below: ChartVersion?
            if words.count >= 2, words[0] == "<", let max = ChartVersion(words[1]) {
                below = max
                words.removeFirst(2)
            }
            if words.first == "for" { words.removeFirst() }
            return OverlayRequirement(minimum: minimum, below: below, feature: words.joined(separator: " "))
        }
        return nil
    }

    public func admits(_ version: ChartVersion) -> Bool {
        minimum <= version && below.map { version < $0 } ?? true
    }

    public var range: String { ">= \(minimum)" + (below.map { " < \($0)" } ?? "") }
}

private func trimmed(_ s: Substring) -> Substring {
    s.drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().reduce(into: Substring()) { $0.append($1) }
}
