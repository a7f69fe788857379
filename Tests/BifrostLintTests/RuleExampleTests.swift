import Testing
@testable import BifrostLint

/// Where each `↓` marker sits once the markers are removed.
struct MarkedFile {
    let name: String
    let text: String
    let expected: [Position]

    init(_ file: ExampleFile) {
        name = file.name
        var clean = ""
        var marks: [Position] = []
        var line = 1, column = 1
        for ch in file.text {
            if ch == Example.marker {
                marks.append(Position(offset: 0, line: line, column: column))
                continue
            }
            clean.append(ch)
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        text = clean
        expected = marks
    }
}

/// The same example in another form that must give the same findings, lines shifted by `lineShift`.
struct Disguise: CustomStringConvertible, Sendable {
    let description: String
    let lineShift: Int
    let transform: @Sendable (String, String) -> String?

    static let all: [Disguise] = [
        Disguise(description: "plain", lineShift: 0) { _, text in text },
        Disguise(description: "CRLF line endings", lineShift: 0) { _, text in text.replacingAll("\n", "\r\n") },
        Disguise(description: "multibyte comment line before", lineShift: 1) { name, text in
            name.hasSuffix(".json") ? nil : "# ✨ 日本語のコメント — ünïcödé\n" + text
        },
        Disguise(description: "inside a multi-document stream", lineShift: 5) { name, text in
            isManifest(name) ? "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: unrelated\n---\n" + text : nil
        },
    ]

    static func isManifest(_ name: String) -> Bool {
        !(name.hasSuffix(".json") || name.hasPrefix("values") || name.hasPrefix("Chart") || name.hasPrefix("helmfile"))
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}

struct Located: Hashable, CustomStringConvertible {
    let file: String
    let line: Int
    let column: Int
    var description: String { "\(file):\(line):\(column)" }
}

func run(_ rule: any Rule, _ example: Example, _ disguise: Disguise) -> (expected: Set<Located>, actual: [Finding], others: [Finding])? {
    var sources: [SourceFile] = []
    var expected = Set<Located>()
    for file in example.files.map(MarkedFile.init) {
        guard let text = disguise.transform(file.name, file.text) else { return nil }
        sources.append(SourceFile(name: file.name, text: text))
        for p in file.expected { expected.insert(Located(file: file.name, line: p.line + disguise.lineShift, column: p.column)) }
    }
    let code = rule.description.code
    let all = Linter(rules: RuleRegistry.all).lint(sources)
    return (expected, all.filter { $0.code == code }, all.filter { ["BF001", "BF002"].contains($0.code) && $0.code != code })
}

let ruleCodes = RuleRegistry.all.map(\.description.code)

@Suite("Rule examples")
struct RuleExampleTests {
    @Test("triggering examples report exactly at their markers", arguments: ruleCodes, Disguise.all.map(\.description))
    func triggering(code: String, disguiseName: String) throws {
        let rule = try #require(RuleRegistry.rule(named: code))
        let disguise = try #require(Disguise.all.first { $0.description == disguiseName })
        #expect(rule.description.triggering.count >= 3, "every rule needs at least three triggering examples")
        for (i, example) in rule.description.triggering.enumerated() {
            guard let result = run(rule, example, disguise) else { continue }
            #expect(!result.expected.isEmpty, "triggering example \(i + 1) of \(code) has no ↓ marker")
            let actual = Set(result.actual.map { Located(file: $0.file, line: $0.range.start.line, column: $0.range.start.column) })
            #expect(actual == result.expected, "\(code) triggering example \(i + 1) (\(disguise)): \(result.actual.map { "\($0.file):\($0.range.start) \($0.message)" })")
            #expect(result.actual.count == result.expected.count, "\(code) example \(i + 1) reports one place twice")
            if code != "BF001" && code != "BF002" {
                #expect(result.others.isEmpty, "\(code) example \(i + 1) does not parse cleanly: \(result.others.map(\.message))")
            }
        }
    }

    @Test("non-triggering examples report nothing", arguments: ruleCodes, Disguise.all.map(\.description))
    func nonTriggering(code: String, disguiseName: String) throws {
        let rule = try #require(RuleRegistry.rule(named: code))
        let disguise = try #require(Disguise.all.first { $0.description == disguiseName })
        #expect(rule.description.nonTriggering.count >= 3, "every rule needs at least three non-triggering examples")
        for (i, example) in rule.description.nonTriggering.enumerated() {
            guard let result = run(rule, example, disguise) else { continue }
            #expect(result.actual.isEmpty, "\(code) non-triggering example \(i + 1) (\(disguise)): \(result.actual.map { "\($0.file):\($0.range.start) \($0.message)" })")
            #expect(result.others.isEmpty, "\(code) non-triggering example \(i + 1) does not parse cleanly: \(result.others.map(\.message))")
        }
    }

    @Test("a suppression comment on the marked line silences the rule", arguments: ruleCodes)
    func suppressed(code: String) throws {
        let rule = try #require(RuleRegistry.rule(named: code))
        guard code != "BF001", code != "BF004" else { return }
        var checked = 0
        for (i, example) in rule.description.triggering.enumerated() {
            let files = example.files.map(MarkedFile.init)
            // JSON has no comments (a JSON file without markers, a chart's schema, needs none);
            // inside a block scalar a `#` is text, so those use disable-file.
            guard files.allSatisfy({ !$0.name.hasSuffix(".json") || $0.expected.isEmpty }) else { continue }
            let sources = files.map { file -> SourceFile in
                if file.expected.isEmpty { return SourceFile(name: file.name, text: file.text) }
                if file.text.contains("|\n") {
                    return SourceFile(name: file.name, text: "# kubectl-bifrost: disable-file=\(code)\n" + file.text)
                }
                let marked = Set(file.expected.map(\.line))
                let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { n, line in
                    marked.contains(n + 1) ? line + "  # kubectl-bifrost: disable=\(code)" : String(line)
                }
                return SourceFile(name: file.name, text: lines.joined(separator: "\n"))
            }
            let findings = Linter().lint(sources)
            #expect(!findings.contains { $0.code == code }, "\(code) example \(i + 1) not suppressed")
            #expect(!findings.contains { $0.code == "BF004" }, "\(code) example \(i + 1): \(findings.filter { $0.code == "BF004" }.map(\.message))")
            checked += 1
        }
        #expect(checked > 0, "\(code) has no example a comment can suppress")
    }

    @Test("every registered rule has a page, a unique code and a unique name")
    func registry() {
        let codes = RuleRegistry.all.map(\.description.code)
        let names = RuleRegistry.all.map(\.description.name)
        #expect(Set(codes).count == codes.count)
        #expect(Set(names).count == names.count)
        for rule in RuleRegistry.all {
            let page = RulePage.render(rule.description)
            #expect(page.contains(rule.description.code) && page.contains("Why") && page.contains("How to fix"))
            #expect(!rule.description.rationale.isEmpty && !rule.description.remediation.isEmpty)
            // Every migration rule names the section of Bifrost's guides it comes from.
            if !rule.description.code.hasPrefix("BF0") {
                #expect(page.contains("Source\n") && GuideReference.sections[rule.description.code] != nil, "\(rule.description.code) cites no guide section")
            }
            // Pages are made on bytes; they read as the Character way makes them.
            for example in rule.description.triggering + rule.description.nonTriggering {
                for file in example.files {
                    let text = String(file.text.filter { $0 != Example.marker })
                    #expect(RulePage.withoutMarkers(file.text) == text)
                    #expect(RulePage.indent(text, by: 4) == text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n").replacing(/\n+$/, with: "") + "\n")
                }
            }
        }
        // A marker with a combining mark is another Character, kept as the Character way keeps it;
        // a CR LF is one Character, not split inside.
        #expect(RulePage.withoutMarkers("a↓b↓") == "ab")
        #expect(RulePage.withoutMarkers("a↓\u{0301}b↓c") == "a↓\u{0301}bc")
        #expect(RulePage.withoutMarkers("a\u{0600}↓b") == String("a\u{0600}↓b".filter { $0 != Example.marker }))
        #expect(RulePage.indent("x\r\ny\nz\n\n") == "  x\r\ny\n  z\n")
    }
}
