import Foundation
import Testing
@testable import BifrostLint

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
}
