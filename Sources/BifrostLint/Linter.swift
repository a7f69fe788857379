import Foundation
import YAMLSource

/// Runs rules over a set of inputs.
public struct Linter: Sendable {
    public var rules: [any Rule]
    public var limits: ParseLimits

    public init(rules: [any Rule] = RuleRegistry.all, limits: ParseLimits = ParseLimits()) {
        self.rules = rules
        self.limits = limits
    }

    /// Severity per code, replacing the rule's default (from the config file).
    public var severityOverrides: [String: Severity] = [:]

    /// Parses every source (in parallel), builds one context, runs the rules, applies
    /// suppressions and returns findings in file order.
    public func lint(_ sources: [SourceFile]) -> [Finding] {
        let parses = parseAll(sources)
        let context = LintContext(parses)
        // A node reached through several aliases or merge keys is reported once.
        var seen = Set<String>()
        let raw = rules.flatMap { $0.check(context) }.sorted(by: Finding.order).filter { f in
            seen.insert("\(f.code)|\(f.file)|\(f.range.start.offset)|\(f.range.start.line)").inserted
        }
        var suppressions = Suppressions(parses: context.parses, objects: context.objects, resolve: { RuleRegistry.rule(named: $0)?.description.code })
        var findings = suppressions.filter(raw)
        let ran = Set(rules.map(\.description.code))
        if ran.contains(UnusedSuppressionRule.description.code) {
            findings += UnusedSuppressionRule.findings(suppressions.directives, ran: ran)
        }
        return findings.map { f in
            guard let severity = severityOverrides[f.code], severity != f.severity else { return f }
            return f.with(severity: severity)
        }.sorted(by: Finding.order)
    }

    func parseAll(_ sources: [SourceFile]) -> [ParseResult] {
        guard sources.count > 1 else { return sources.map { YAMLParser.parse($0, limits: limits) } }
        let slots = ResultSlots(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            slots.set(i, YAMLParser.parse(sources[i], limits: limits))
        }
        return slots.values
    }
}

/// Write-once slots filled from concurrent iterations, each index by exactly one writer.
final class ResultSlots: @unchecked Sendable {
    private var storage: [ParseResult?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: ParseResult) {
        lock.withLock { storage[i] = value }
    }

    var values: [ParseResult] { lock.withLock { storage.map { $0! } } }
}
