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

    /// Parses every source (in parallel), builds one context and returns findings in file order.
    public func lint(_ sources: [SourceFile]) -> [Finding] {
        let parses = parseAll(sources)
        let context = LintContext(parses)
        // A node reached through several aliases or merge keys is reported once.
        var seen = Set<String>()
        return rules.flatMap { $0.check(context) }.sorted(by: Finding.order).filter { f in
            seen.insert("\(f.code)|\(f.file)|\(f.range.start.offset)|\(f.range.start.line)").inserted
        }
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
