import Foundation
import Testing
@testable import BifrostLint
import JSONSchema
import YAMLSource

@Suite("Streaming reads the same findings as whole files")
struct StreamingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures: [String] = {
        let base = root.appendingPathComponent("charts-fixtures")
        let all = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") || $0.hasSuffix(".lock") }.sorted()
    }()

    static func summary(_ findings: [Finding]) -> [String] {
        findings.map { f in
            let edits = f.fix?.edits.map { "\($0.range)=\($0.replacement)" }.joined(separator: ";") ?? "-"
            return "\(f.code) \(f.file):\(f.range.start.offset)-\(f.range.end.offset) \(f.range.start) \(f.path) \(f.message) fix:\(edits) \(f.lineText)"
        }
    }

    @Test(arguments: fixtures)
    func sameFindings(_ relative: String) throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("charts-fixtures/\(relative)"))
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        let whole = Linter().lint([SourceFile(name: name, bytes: Array(data))])
        var crlf: [UInt8] = []
        for b in data { if b == 0x0A { crlf.append(0x0D) }; crlf.append(b) }
        for chunk in [7, 4096] {
            let bytes = Array(data)
            var pos = 0
            let reader = DocumentReader(name: name, nextChunk: {
                guard pos < bytes.count else { return nil }
                let end = min(bytes.count, pos + chunk)
                defer { pos = end }
                return Array(bytes[pos..<end])
            })
            let streamed = Linter().lint(streams: [reader])
            #expect(Self.summary(streamed) == Self.summary(whole), "\(relative) in \(chunk)-byte chunks")
        }
        let crlfWhole = Linter().lint([SourceFile(name: name, bytes: crlf)])
        let crlfStreamed = Linter().lint(streams: [DocumentReader(name: name, bytes: crlf)])
        #expect(Self.summary(crlfStreamed) == Self.summary(crlfWhole), "\(relative) with CRLF")
    }

    /// Every object of an old release carries the chart label; the run reports the first only,
    /// however the documents were batched.
    @Test func aReleasesObjectsShareOneChartFinding() {
        let object = { (kind: String, name: String) in
            "apiVersion: v1\nkind: \(kind)\nmetadata:\n  name: \(name)\n  namespace: gw\n  labels:\n    app.kubernetes.io/instance: gw\n    helm.sh/chart: bifrost-2.1.10\n"
        }
        let other = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: other\n  labels:\n    app.kubernetes.io/instance: x\n    helm.sh/chart: bifrost-2.1.10\n"
        let text = [object("Service", "a"), object("ConfigMap", "b"), other, object("Secret", "c")].joined(separator: "---\n")
        for batch in [1, 2, 64] {
            var linter = Linter()
            linter.batchSize = batch
            let chart = linter.lint(streams: [DocumentReader(name: "s.yaml", bytes: Array(text.utf8))]).filter { $0.code == "BF201" }
            #expect(chart.map(\.range.start.line) == [8, 26], "batch size \(batch)")
        }
    }

    @Test func aSyntaxErrorDoesNotHideLaterDocuments() {
        let text = "a: [1\n---\nbifrost:\n  client: {allowDirectKeys: true}\n"
        let findings = Linter().lint(streams: [DocumentReader(name: "s.yaml", bytes: Array(text.utf8))])
        #expect(findings.map(\.code) == ["BF001", "BF309"])
    }
}

@Suite("Inputs that vanish or cannot be opened")
struct VanishingInputTests {
    @Test func aFileDeletedAfterListingIsBF003AndTheRestRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-vanish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gone = dir.appendingPathComponent("gone.yaml").path
        let kept = dir.appendingPathComponent("kept.yaml").path
        try "a: 1\n".write(toFile: gone, atomically: true, encoding: .utf8)
        try "bifrost:\n  client: {allowDirectKeys: true}\n".write(toFile: kept, atomically: true, encoding: .utf8)
        let inputs = try InputCollector(recursive: false).collect([dir.path])
        try FileManager.default.removeItem(atPath: gone)
        let findings = Linter().lint(streams: inputs.map { $0.reader() })
        #expect(findings.map { "\($0.file) \($0.code)" } == ["\(gone) BF003", "\(kept) BF309"])
        #expect(findings.first?.message == "cannot be read: No such file or directory")
    }

    @Test func aDirectoryOpenedAsAFileIsBF003() {
        let findings = Linter().lint(streams: [InputFile(name: "/tmp", path: "/tmp").reader()])
        #expect(findings.map(\.message) == ["cannot be read: is a directory"])
    }
}

@Suite("Parallel batches keep the output deterministic")
struct DeterminismTests {
    @Test func batchSizesGiveTheSameFindingsInTheSameOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let release = try Data(contentsOf: root.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml"))
        // Many copies of the release in many namespaces: enough documents for several batches.
        var stream = ""
        let text = String(decoding: release, as: UTF8.self)
        for i in 0..<40 { stream += text.replacingOccurrences(of: "namespace: llm-gateway", with: "namespace: ns-\(i % 7)") + "\n" }
        let bytes = Array(stream.utf8)
        var outputs: [[String]] = []
        for batch in [1, 7, 64, 512] {
            var linter = Linter()
            linter.batchSize = batch
            outputs.append(StreamingTests.summary(linter.lint(streams: [DocumentReader(name: "s.yaml", bytes: bytes)])))
        }
        #expect(outputs[0].count > 40)
        for other in outputs.dropFirst() { #expect(other == outputs[0]) }
    }

    /// A finished session is let go of on another thread: it is freed, and its findings stay.
    @Test func aReleasedSessionIsFreedAndItsListStays() async throws {
        weak var gone: Session?
        let list: FindingList
        do {
            let linter = Linter()
            let session = linter.run(units: [.stream(DocumentReader(name: "config.json", bytes: Array("{\"client\": {\"allow_direct_keys\": true}}\n".utf8)))], names: ["config.json"])
            gone = session
            list = session.finishList()
            session.release()
        }
        for _ in 0..<500 where gone != nil { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(gone == nil)
        #expect(list.map(\.code) == ["BF309"])
    }
}

/// Runs that print no fix skip making them (and render none of BF306's text), but every
/// message and place stays what a run that makes fixes reports.
@Suite("Findings without fixes")
struct FindingsWithoutFixesTests {
    static func summary(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.code) \($0.file):\($0.range.start) \($0.path) \($0.message)" }
    }

    static let budgetCases: [String] = [
        // Fixable: a budget with an owner id, in block and flow style.
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budget:\n          max_limit: 500  # monthly\n          reset_duration: 1M\n",
        "{\"governance\": {\"budgets\": [], \"virtual_keys\": [{\"id\": \"v#1\", \"budget\": {\"max_limit\": 10, \"reset_duration\": \"1d\"}}]}}\n",
        // A comment after `budget:` joins the first entry (the new id, or the first field); not
        // where that entry holds a '#', as an owner's id may; a list's flow items keep theirs.
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budget:  # head\n          max_limit: 5\n          reset_duration: 1d\n",
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: \"v#1\"\n        budget:  # head\n          max_limit: 5\n          reset_duration: 1d\n",
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budgets:\n          - {max_limit: 5, reset_duration: 1d}\n          - {max_limit: 9, reset_duration: 1M}  # second\n",
        // Two budgets into an empty flow list: one edit.
        "{\"governance\": {\"budgets\": [], \"virtual_keys\": [{\"id\": \"v\", \"budgets\": [{\"max_limit\": 1, \"reset_duration\": \"1d\"}, {\"max_limit\": 2, \"reset_duration\": \"1d\"}]}]}}\n",
        // Not fixable: an id with '#' next to a comment, an incomplete budget, a taken id, an anchor.
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budget: {id: \"b#1\", max_limit: 5, reset_duration: 1d}  # note\n",
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budget: {max_limit: 0, reset_duration: 1d}\n",
        "bifrost:\n  governance:\n    budgets:\n      - {id: vk-budget, max_limit: 1, reset_duration: 1d}\n    virtualKeys:\n      - id: vk\n        budget: {max_limit: 5, reset_duration: 1d}\n",
        "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budget: &b {max_limit: 5, reset_duration: 1d}\n      - id: vk2\n        budget: *b\n",
    ]

    @Test(arguments: budgetCases)
    func budgetMessagesDoNotDependOnMakingTheFix(_ text: String) {
        let name = text.hasPrefix("{") ? "config.json" : "values.yaml"
        var without = Linter()
        without.computesFixes = false
        let made = Linter().lint([SourceFile(name: name, bytes: Array(text.utf8))])
        let skipped = without.lint([SourceFile(name: name, bytes: Array(text.utf8))])
        #expect(made.contains { $0.code == "BF306" })
        #expect(Self.summary(skipped) == Self.summary(made))
        #expect(skipped.allSatisfy { $0.fix == nil || $0.code == "BF306" })
        // JSON's run: fixability without the fixes' text, the same `fixable` flags.
        var json = Linter()
        json.keepsFixes = false
        let flagged = json.findings(inputs: [InputFile(name: name, bytes: Array(text.utf8))])
        #expect(flagged.map { "\($0.message) \($0.fixable)" } == made.map { "\($0.message) \($0.fixable)" })
    }

    @Test(arguments: StreamingTests.fixtures)
    func fixturesReportTheSameWithoutFixes(_ relative: String) throws {
        let data = try Data(contentsOf: StreamingTests.root.appendingPathComponent("charts-fixtures/\(relative)"))
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        var without = Linter()
        without.computesFixes = false
        let made = Linter().lint([SourceFile(name: name, bytes: Array(data))])
        let skipped = without.lint([SourceFile(name: name, bytes: Array(data))])
        #expect(Self.summary(skipped) == Self.summary(made), "\(relative)")
        // A report without paths: the same findings, none with a path but BF005's.
        var pathless = Linter()
        pathless.keepsPaths = false
        let bare = pathless.lint([SourceFile(name: name, bytes: Array(data))])
        #expect(bare.map { "\($0.code) \($0.range.start) \($0.message)" } == made.map { "\($0.code) \($0.range.start) \($0.message)" }, "\(relative)")
        #expect(bare.allSatisfy { $0.path.isEmpty || $0.code == "BF005" }, "\(relative)")
        #expect(made.filter { $0.code.hasPrefix("BF3") }.allSatisfy { !$0.path.isEmpty }, "\(relative)")
        // JSON's run keeps no fix (and records no fix's scope): the same `fixable` flags; a run
        // after it on this thread records the scopes again.
        var json = Linter()
        json.keepsFixes = false
        let flagged = json.findings(inputs: [InputFile(name: name, bytes: Array(data))])
        #expect(flagged.map { "\($0.code) \($0.range.start) \($0.fixable)" } == made.map { "\($0.code) \($0.range.start) \($0.fixable)" }, "\(relative)")
        let again = Linter().lint([SourceFile(name: name, bytes: Array(data))])
        #expect(again.map { $0.fix?.scopes.map(\.description) ?? [] } == made.map { $0.fix?.scopes.map(\.description) ?? [] }, "\(relative)")
    }

    /// The cross-document rules run at once when no fix is kept: the same findings, in the
    /// same order, as one rule after another.
    @Test func crossDocumentRulesAtOnce() throws {
        let sources = try StreamingTests.fixtures.map { relative in
            SourceFile(name: relative, bytes: Array(try Data(contentsOf: StreamingTests.root.appendingPathComponent("charts-fixtures/\(relative)"))))
        }
        let oneByOne = Linter().lint(sources)
        var atOnce = Linter()
        atOnce.keepsFixes = false
        let concurrent = atOnce.lint(sources)
        #expect(oneByOne.contains { ["BF101", "BF102", "BF103"].contains($0.code) })
        #expect(concurrent.map { "\($0.code) \($0.file):\($0.range.start) \($0.message) \($0.fixable)" }
                == oneByOne.map { "\($0.code) \($0.file):\($0.range.start) \($0.message) \($0.fixable)" })
    }

    /// What the model works out for every peer group before the cluster rules run is what the
    /// rules find asking it one question at a time.
    @Test func preparedModelAnswersAsTheLazyOne() throws {
        var texts = try StreamingTests.fixtures.map { relative in
            (relative, Array(try Data(contentsOf: StreamingTests.root.appendingPathComponent("charts-fixtures/\(relative)"))))
        }
        // Peer groups of several workloads (one namespace, the same labels), a Service that
        // another workload names, and workloads of no group.
        let shared = ExampleManifests.stream(
            ExampleManifests.statefulSet(name: "a"), ExampleManifests.statefulSet(serviceName: "peers", name: "b"),
            ExampleManifests.headlessService(ports: "    - {name: gossip, port: 10101}", name: "peers"),
            ExampleManifests.headlessService(ports: "    - {name: grpc, port: 10102}", name: "bifrost-headless"),
            ExampleManifests.networkPolicy(ingress: "    - ports: [{port: 10101}]"),
            ExampleManifests.statefulSet(ports: "        - {name: http, containerPort: 8080}", name: "single", image: "nginx:1"))
        texts.append(("shared.yaml", Array(shared.utf8)))
        func findings(prepared: Bool) -> [String] {
            let linter = Linter()
            let session = linter.run(units: texts.map { .stream(DocumentReader(name: $0.0, bytes: $0.1)) }, names: texts.map(\.0))
            if prepared { session.model.prepareForRules() }
            return linter.rules.flatMap { $0.check(session.model) }.map { "\($0.code) \($0.file):\($0.range.start) \($0.message) \($0.fixable)" }
        }
        let lazy = findings(prepared: false)
        #expect(lazy.contains { $0.hasPrefix("BF102") } && lazy.contains { $0.hasPrefix("BF103") } && lazy.contains { $0.hasPrefix("BF104") })
        #expect(findings(prepared: true) == lazy)
    }

    /// The cluster rules' port fixes, known to be possible without their text (JSON's run):
    /// the same `fixable` for every shape of ports list, fixable or not.
    @Test func portFixesKnownWithoutTheirText() {
        // (ports key, items): flow items in a block list, block mapping items, a flow list.
        let lists = [
            ("ports:", ExampleManifests.gossipPorts),
            ("ports:", "            - name: gossip\n              containerPort: 10101\n              protocol: TCP"),
            ("ports: [{name: gossip, containerPort: 10101}]", ""),
        ]
        for (portsKey, ports) in lists {
            let text = ExampleManifests.statefulSet(ports: ports, portsKey: portsKey)
            let linter = Linter()
            let session = linter.run(units: [.stream(DocumentReader(name: "s.yaml", bytes: Array(text.utf8)))], names: ["s.yaml"])
            session.model.prepareForRules()
            func flags(render: Bool) -> [String] {
                session.model.rendersFixes = render
                return linter.rules.flatMap { $0.check(session.model) }.map { "\($0.code) \($0.fixable) \($0.fix?.edits.isEmpty ?? true)" }
            }
            let rendered = flags(render: true), known = flags(render: false)
            #expect(rendered.contains { $0.hasPrefix("BF101 true false") }, "\(portsKey): \(rendered)")
            #expect(known.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == rendered.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }, "\(portsKey)")
        }
    }

    /// A run's findings are kept in chunks: across chunk boundaries they keep their order,
    /// and the copies of one finding are still reported once.
    @Test func manyFindingsAcrossChunks() {
        let release = { (i: Int) in
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\(i)\n  namespace: n\(i)\ndata:\n  config.json: |\n    {\"governance\": {\"virtual_keys\": [{\"id\": \"v\(i)\", \"provider_configs\": [{\"provider\": \"openai\", \"allowed_keys\": [\"k\"], \"allowed_models\": [\"*\"]}]}]}}\n"
        }
        let text = (0..<5000).map(release).joined(separator: "---\n")
        for keepsFixes in [true, false] {
            var linter = Linter()
            linter.keepsFixes = keepsFixes
            let findings = linter.findings(inputs: [InputFile(name: "s.yaml", bytes: Array(text.utf8))])
            #expect(findings.isCompact)
            let renamed = findings.filter { $0.code == "BF301" }
            #expect(renamed.count == 5000)
            #expect(zip(renamed, renamed.dropFirst()).allSatisfy { $0.range.start.line < $1.range.start.line })
            #expect(renamed.last?.message.contains("v4999") == true)
            // The reporters' path: a finding's texts read from the list's stored bytes.
            let codes = findings.indices.map { i in findings.withTexts(at: i) { String(decoding: $0.code, as: UTF8.self) + " " + String(decoding: $0.message, as: UTF8.self) } }
            #expect(codes == findings.map { $0.code + " " + $0.message })
        }
    }
}

@Suite("Reports made on every core")
struct ParallelReportTests {
    /// Items made in blocks on several threads come out in order, and a report of many
    /// findings is the same whichever way it is made.
    @Test func itemsKeepTheirOrder() {
        let sink = ReportSink()
        sink.write("[")
        sink.writeEach(count: 5_000) { i, out in
            if i > 0 { out.write(byte: 0x2C) }
            out.write(i * 7 - 3)
        }
        sink.write("]")
        #expect(sink.finish() == "[" + (0..<5_000).map { String($0 * 7 - 3) }.joined(separator: ",") + "]")
    }

    /// Findings kept compact are written from their stored bytes; the same findings made whole
    /// are written from their Strings: the two reports are the same bytes, whatever the text
    /// holds (escapes, quotes, XML and workflow-command characters, non-ASCII, invalid UTF-8,
    /// tabs, long lines and messages), in every format, with and without colour.
    @Test(arguments: OutputFormat.allCases)
    func compactAndWholeFindingsWriteTheSameReport(_ format: OutputFormat) {
        let odd = ["plain", "quote\"s & <xml> 'a'", "pct%:comma,colon", "é日本\u{202E}", "esc\u{1B}[31m", String(repeating: "long ", count: 120)]
        var text = ""
        for (i, s) in odd.enumerated() {
            text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\(i), namespace: n\(i)}\ndata:\n  config.json: |\n"
            text += "    {\"governance\": {\"virtual_keys\": [{\"id\": \(JSON.string(s)), \"budget\": {\"max_limit\": 5, \"reset_duration\": \"1d\"}, "
            text += "\"provider_configs\": [{\"provider\": \"openai\",\t\"allowed_keys\": [\"k\"], \"allowed_models\": [\"*\"]}]}]}}\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("---\nkey: \"bad ".utf8) + [0xC3, 0x28, 0xFF] + Array("\"\nallowDirectKeys: true\n".utf8)
        var linter = Linter()
        linter.keepsFixes = false
        let compact = linter.findings(inputs: [InputFile(name: "odd \"dir\"/s%1,2.yaml", bytes: bytes)])
        #expect(compact.isCompact && compact.count >= odd.count * 2)
        let whole = FindingList(Array(compact))
        for color in [false, true] where color == false || format == .text {
            let reporter = format.reporter(color: color, rules: RuleRegistry.all.map { type(of: $0).description })
            let a = reporter.render(LintReport(findings: compact, files: ["odd \"dir\"/s%1,2.yaml"]))
            let b = reporter.render(LintReport(findings: whole, files: ["odd \"dir\"/s%1,2.yaml"]))
            #expect(a == b, "\(format) colour \(color)")
            #expect(a.contains("k") && !a.isEmpty)
        }
    }

    @Test(arguments: OutputFormat.allCases)
    func manyFindingsInEveryFormat(_ format: OutputFormat) {
        let findings = (0..<3_000).map { i in
            Finding(code: "BF30\(i % 3)", name: "n", severity: i % 5 == 0 ? .warning : .error, message: "message \(i) \u{1B}[2J",
                    loc: Loc(file: "f\(i % 4).yaml", range: SourceRange(start: Position(offset: i, line: i + 1, column: 2), end: Position(offset: i + 3, line: i + 1, column: 5)),
                             path: "a.b[\(i)]", lineText: "  key: value \(i)"), fixable: false, fix: nil, group: nil)
        }
        let report = LintReport(findings: findings, files: ["f0.yaml", "f1.yaml", "f2.yaml", "f3.yaml"])
        let text = format.reporter(color: false, rules: []).render(report)
        // The same report a finding at a time, through one sink each.
        // The numbers after each "message ", in the order the report has them.
        let numbers = text.components(separatedBy: "message ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        if format != .junit {
            #expect(numbers == Array(0..<3_000), "\(format) keeps report order")
        }
    }
}

@Suite("Report order")
struct ReportOrderTests {
    /// A list long enough to be sorted in two halves at once comes out as one sort of it
    /// would: file and code by their text, then line, column, offset, and arrival.
    @Test func halvesSortedAtOnceMergeIntoTheOneOrder() {
        var rng = SystemRandomNumberGenerator()
        let files = ["b.yaml", "a.yaml", "c/values.yaml", "ä.yaml"]
        let rules = [BudgetRenamedRule.description, AllowedKeysRenamedRule.description, ChartVersionRule.description]
        var all = ChunkedFindings()
        for n in 0..<20_000 {
            let line = Int.random(in: 1...40, using: &rng), column = Int.random(in: 1...3, using: &rng)
            let start = Position(offset: line * 100 + column - Int.random(in: 0...1, using: &rng), line: line, column: column)
            let loc = Loc(file: files.randomElement(using: &rng)!, range: SourceRange(start: start, end: start), path: "", lineText: "")
            all.append(CompactFinding(Finding(rule: rules.randomElement(using: &rng)!, message: "m", at: loc), fix: -1, seq: Int32(20_000 - n)))
        }
        let table = StringTable.shared
        let expected = all.indices.sorted { i, j in
            let a = all[i], b = all[j]
            let fa = table[a.file], fb = table[b.file]
            if fa != fb { return fa < fb }
            if a.range.start.line != b.range.start.line { return a.range.start.line < b.range.start.line }
            if a.range.start.column != b.range.start.column { return a.range.start.column < b.range.start.column }
            if a.range.start.offset != b.range.start.offset { return a.range.start.offset < b.range.start.offset }
            let ca = table[a.code], cb = table[b.code]
            if ca != cb { return ca < cb }
            return a.seq < b.seq
        }
        #expect(Session.order(all) == expected.map(Int32.init))
    }
}

@Suite("File names written two ways")
struct CanonicallyEqualNamesTests {
    /// `café.yaml` precomposed and with a combining accent are two files: each keeps its own
    /// name, and the report is the same from run to run (the per-thread file cache, the shared
    /// name copies and the file order each took them as one, whichever came first).
    @Test func twoSpellingsOfANameStayTwoFilesInAStableOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let release = try Data(contentsOf: root.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml"))
        let nfc = "caf\u{E9}.yaml", nfd = "cafe\u{301}.yaml"
        #expect(nfc == nfd && !nfc.utf8.elementsEqual(nfd.utf8))
        func run() -> [String] {
            var linter = Linter()
            linter.keepsFixes = false
            let list = linter.findings(inputs: [InputFile(name: nfd, bytes: Array(release)), InputFile(name: nfc, bytes: Array(release))])
            return list.indices.map { i in list.withTexts(at: i) { t in "\(Array(t.file)) \(t.range.start.line) \(String(decoding: t.code, as: UTF8.self))" } }
        }
        let first = run()
        let names = Set(first.map { $0.split(separator: " ").dropLast(2).joined(separator: " ") })
        #expect(names.count == 2)
        for _ in 0..<6 { #expect(run() == first) }
    }

    /// A fix and a suppression comment belong to their own file: fixing both gives what fixing
    /// each alone gives, and one file's `disable-file` leaves the other's findings.
    @Test func fixesAndSuppressionsKeepTwoSpellingsApart() {
        let nfc = "caf\u{E9}.yaml", nfd = "cafe\u{301}.yaml"
        let a = SourceFile(name: nfc, text: "bifrost:\n  client:\n    allowDirectKeys: true\n# kubectl-bifrost: disable-file=BF309\n")
        let b = SourceFile(name: nfd, text: "# a longer head, so the offsets differ\nbifrost:\n  client:\n    enableLitellmFallbacks: true\n    allowDirectKeys: true\n")
        let both = Linter().lint([a, b])
        #expect(both.filter { $0.code == "BF309" }.map { Array($0.file.utf8) } == [Array(nfd.utf8)])
        let fixer = Fixer(linter: Linter(), unsafe: true)
        let together = fixer.fix([a, b]).map(\.fixed)
        let alone = [fixer.fix([a])[0].fixed, fixer.fix([b])[0].fixed]
        #expect(together == alone)
        #expect(together[1] != b.bytes)
    }

    /// The reports keep them apart too: JUnit a suite each with its own failures, SARIF an
    /// artifact each, and a release's chart label reported in each file (its group names the file).
    @Test func reportsAndGroupsKeepTwoSpellingsApart() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let release = Array(try Data(contentsOf: root.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml")))
        let nfc = "caf\u{E9}.yaml", nfd = "cafe\u{301}.yaml"
        let clean = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b}\n".utf8)
        for keeps in [false, true] {
            var linter = Linter()
            linter.keepsFixes = keeps
            let both = linter.findings(inputs: [InputFile(name: nfc, bytes: release), InputFile(name: nfd, bytes: release)])
            let one = linter.findings(inputs: [InputFile(name: nfc, bytes: release)])
            // Every finding of one file, BF201's grouped one included, is there for the other.
            #expect(both.count == 2 * one.count && one.indices.contains { one.code(at: $0) == "BF201" })
            let mixed = linter.findings(inputs: [InputFile(name: nfc, bytes: release), InputFile(name: nfd, bytes: clean)])
            let rules = RuleRegistry.all.map { type(of: $0).description }
            let report = LintReport(findings: mixed, files: [nfc, nfd])
            let junit = OutputFormat.junit.reporter(color: false, rules: rules).render(report)
            let suites = junit.components(separatedBy: "<testsuite ").dropFirst().map { String($0.prefix { $0 != ">" }) }
            #expect(suites.count == 2, "\(suites)")
            func suite(_ name: String) -> String? { suites.first { $0.utf8.starts(with: "name=\"\(name)\"".utf8) } }
            #expect(suite(nfd)?.contains("failures=\"0\"") == true, "\(suites)")
            #expect(suite(nfc)?.contains("failures=\"0\"") == false, "\(suites)")
            let sarif = OutputFormat.sarif.reporter(color: false, rules: rules).render(LintReport(findings: both, files: [nfc, nfd]))
            // Each result names its own file.
            let uris = sarif.components(separatedBy: "\"uri\":").dropFirst().map { String($0.prefix { $0 != "," && $0 != "}" }) }
            let counts = Dictionary(grouping: uris.filter { $0.contains("caf") }, by: { $0.utf8.count }).mapValues(\.count)
            #expect(counts.count == 2 && Set(counts.values).count == 1, "\(counts)")
        }
    }
}

@Suite("Compact lists read through pointers")
struct CompactListBoundsTests {
    /// A bad index stops the process, as an array's would, rather than reading past the list.
    @Test func anIndexPastTheEndStops() async {
        await #expect(processExitsWith: .failure) {
            var linter = Linter()
            linter.keepsFixes = false
            let list = linter.findings(inputs: [InputFile(name: "config.json", bytes: Array("{\"client\": {\"allow_direct_keys\": true}}\n".utf8))])
            _ = list.severity(at: list.count + 2)
        }
    }
}

@Suite("Rule lists given by a library caller")
struct RepeatedRuleListTests {
    /// A code listed twice is not a crash: SARIF's findings point at its first listing.
    @Test func sarifTakesARepeatedCode() {
        var linter = Linter()
        linter.keepsFixes = false
        let list = linter.findings(inputs: [InputFile(name: "config.json", bytes: Array("{\"client\": {\"allow_direct_keys\": true}}\n".utf8))])
        let rules = [DirectKeysRemovedRule.description, ChartVersionRule.description, DirectKeysRemovedRule.description]
        let sarif = OutputFormat.sarif.reporter(color: false, rules: rules).render(LintReport(findings: list, files: ["config.json"]))
        #expect(sarif.contains("\"ruleId\":\"BF309\",\"ruleIndex\":0"))
    }
}

@Suite("Charts and values named in two normal forms")
struct SchemaNamesInTwoFormsTests {
    /// Two charts whose directories differ only in Unicode normalisation: each values file is
    /// checked against its own chart's schema, and a user `null` on one spelling of a key does
    /// not delete the chart default written with the other.
    @Test func eachValuesFileMeetsItsOwnChart() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        func chart(_ dir: String, portType: String) -> [SourceFile] {
            [SourceFile(name: "c/\(dir)/Chart.yaml", text: "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
             SourceFile(name: "c/\(dir)/values.schema.json", text: #"{"properties": {"port": {"type": ""# + portType + #""}}, "required": [""# + nfc + #""]}"#),
             SourceFile(name: "c/\(dir)/values.yaml", text: "\(nfc): 1\nport: \(portType == "string" ? "\"80\"" : "80")\n")]
        }
        let user = [SourceFile(name: "c/\(nfc)/prod.yaml", text: "port: 81\n"), SourceFile(name: "c/\(nfd)/prod.yaml", text: "port: \"81\"\n\(nfd): null\n")]
        let alone = [Linter().lint(chart(nfc, portType: "integer") + [user[0]]), Linter().lint(chart(nfd, portType: "string") + [user[1]])]
        #expect(alone.allSatisfy { $0.filter { $0.code == "BF005" }.isEmpty }, "\(alone.flatMap { $0.map(\.message) })")
        let together = Linter().lint(chart(nfc, portType: "integer") + chart(nfd, portType: "string") + user)
        #expect(together.filter { $0.code == "BF005" }.isEmpty, "\(together.map { "\($0.file) \($0.message)" })")
    }
}

@Suite("ignore: globs and names in two normal forms")
struct IgnoreGlobNormalFormTests {
    /// SARIF places a file under `%SRCROOT%` only when its path starts with the root's bytes: a
    /// directory named like the root in another normal form is elsewhere (an absolute URI).
    @Test func sarifRootIsMatchedByBytes() {
        let reporter = SARIFReporter(rules: [], sourceRoot: "/w/caf\u{E9}")
        #expect(reporter.location("/w/caf\u{E9}/app.yaml") == ("app.yaml", "%SRCROOT%"))
        let outside = reporter.location("/w/cafe\u{301}/app.yaml")
        #expect(outside.baseID == nil && outside.uri.hasPrefix("file:///w/cafe"), "\(outside)")
    }

    /// A release record's entries are one per origin file, told apart by bytes.
    @Test func releaseEntriesFromTwoSpellingsAreTwo() {
        let log = ReleaseLog()
        for origin in ["caf\u{E9}.yaml", "cafe\u{301}.yaml", "caf\u{E9}.yaml"] {
            log.add(ReleaseLog.Entry(namespace: "n", name: "r", revision: 1, label: "n/r", status: "superseded", chartVersion: "2.1.9", linted: false, origin: origin))
        }
        #expect(log.entries.count == 2)
    }

    /// Paths and list entries by bytes: `café` with `é` and with `e` + U+0301 are two keys of a
    /// path (the fixer's check of what it changed) and two models in a list, short or long.
    @Test func pathsAndListEntriesInTwoFormsAreTwo() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        #expect(YAMLPath([.key(nfc)]) != YAMLPath([.key(nfd)]))
        #expect(Set([YAMLPath([.key(nfc), .index(0)]), YAMLPath([.key(nfd), .index(0)])]).count == 2)
        for count in [2, 19] {
            let models = (0..<(count - 2)).map { "m\($0)" } + [nfc, nfd]
            let text = "bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [\(models.joined(separator: ", "))]\n"
            #expect(Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF304" }.isEmpty, "\(count)")
        }
    }

    /// A byte-exact key hashes its end too: a path's keys split otherwise hash otherwise (else a
    /// file of keys `a` and `aa` at every level made `--fix`'s sets of paths quadratic).
    @Test func exactStringsHashTheirEnd() {
        var x = Hasher(), y = Hasher()
        x.combine(ExactString("ab")); x.combine(ExactString("c"))
        y.combine(ExactString("a")); y.combine(ExactString("bc"))
        #expect(x.finalize() != y.finalize())
        #expect(YAMLPath([.key("a"), .key("aa")]).hashValue != YAMLPath([.key("aa"), .key("a")]).hashValue)
        // A key and an index do not stand in for each other in the hash either.
        let nul = String(repeating: "\0", count: 7)
        let paths = (0...4).map { a in YAMLPath(Array(repeating: YAMLPath.Component.key(nul), count: 4 - a) + [.key("")] + Array(repeating: .index(255), count: a)) }
        #expect(Set(paths.map(\.hashValue)).count == paths.count)
    }

    /// An alias written with `é` does not stand for a deployment written with `e` + U+0301: the
    /// move keeps both (the fix deleted the deployment and added nothing).
    @Test func aliasesInTwoFormsAreTwo() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let text = "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: a\n          weight: 1\n          models: [\"*\"]\n          aliases: {\(nfc): prod-gpt4o}\n          azure_key_config:\n            endpoint: https://e\n            deployments: {\(nfd): prod-gpt4o}\n"
        let result = Fixer(linter: Linter(), unsafe: true).fix([SourceFile(name: "values.yaml", text: text)])[0]
        #expect(result.changed)
        let parse = YAMLParser.parse(SourceFile(name: "values.yaml", bytes: result.fixed))
        let key = parse.documents.first?.root?.lookup("bifrost", "providers", "azure")?["keys"]?.item(0)
        let aliases = key?["aliases"]?.pairs.map { Array($0.key.keyString.utf8) } ?? []
        #expect(aliases == [Array(nfc.utf8), Array(nfd.utf8)], "\(String(decoding: result.fixed, as: UTF8.self))")
        #expect(key?["azure_key_config"]?["deployments"] == nil)
        // A deployment name written in the other form than its alias's is a conflict: left as it is.
        let conflict = "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: a\n          weight: 1\n          models: [\"*\"]\n          aliases: {gpt4o: \(nfc)}\n          azure_key_config:\n            endpoint: https://e\n            deployments: {gpt4o: \(nfd)}\n"
        let kept = Fixer(linter: Linter(), unsafe: true).fix([SourceFile(name: "values.yaml", text: conflict)])[0]
        #expect(!kept.changed || String(decoding: kept.fixed, as: UTF8.self).utf8.contains(0xCC), "\(String(decoding: kept.fixed, as: UTF8.self))")
    }

    /// The names an error lists are in one order, run after run, also for two forms of one name.
    @Test func knownNamesComeInOneOrder() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let schema = try Schema.compile(YAMLParser.parse(name: "s.json", text: #"{"additionalProperties": false, "properties": {""# + nfc + #"": {}, ""# + nfd + #"": {}}}"#))
        let message = schema.validate(Instance(YAMLParser.parse(name: "v.yaml", text: "x: 1\n").documents[0].root!)).first?.message ?? ""
        #expect(message.utf8.elementsEqual("additional property 'x' is not allowed (known: \(nfd), \(nfc))".utf8), "\(message)")
    }

    /// A directory's names in one order whatever order the file system lists them in.
    @Test func directoryNamesInTwoFormsComeInOneOrder() {
        let nfc = "caf\u{E9}.yaml", nfd = "cafe\u{301}.yaml"
        let a = InputCollector.ordered(["z.yaml", nfd, nfc, "a.yaml"]), b = InputCollector.ordered([nfc, "a.yaml", nfd, "z.yaml"])
        #expect(a.map { Array($0.utf8) } == b.map { Array($0.utf8) })
        #expect(a.first == "a.yaml" && a.last == "z.yaml")
    }

    /// `ignore: [café.yaml]` with a precomposed `é` skips that file, not the one named with `e`
    /// and a combining accent (which it silently skipped, findings and all); `?` is one
    /// character, whatever code points make it up (`é` either way, a flag).
    @Test func aGlobMatchesTheNameAsWritten() throws {
        let nfc = "caf\u{E9}.yaml", nfd = "cafe\u{301}.yaml"
        var config = try Configuration.parse(SourceFile(name: ".kubectl-bifrost.yaml", text: "ignore: [\"\(nfc)\", \"d/caf?.yaml\", \"?.json\"]\n"))
        #expect(config.isIgnored(nfc) && !config.isIgnored(nfd))
        #expect(config.isIgnored("sub/" + nfc) && !config.isIgnored("sub/" + nfd))
        #expect(config.isIgnored("d/" + nfc) && config.isIgnored("d/" + nfd))
        #expect(config.isIgnored("\u{1F1EB}\u{1F1F7}.json") && config.isIgnored("\u{928}\u{93F}.json") && !config.isIgnored("ab.json"))
        // A name that starts with a combining mark is still cut at its `/`.
        #expect(Glob.matches("d/*", "d/\u{301}x.yaml") && Glob.matches("d/**", "./d/\u{301}x.yaml".dropFirst(2).description))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glob-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        config.baseDirectory = dir.path
        #expect(config.isIgnored(dir.path + "/" + nfc) && !config.isIgnored(dir.path + "/" + nfd))
    }
}
