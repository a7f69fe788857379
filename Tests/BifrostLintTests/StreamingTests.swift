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

    @Test func aSyntaxErrorDoesNotHideLaterDocuments() {
        let text = "a: [1\n---\nbifrost:\n  client: {allowDirectKeys: true}\n"
        let findings = Linter().lint(streams: [DocumentReader(name: "s.yaml", bytes: Array(text.utf8))])
        #expect(findings.map(\.code) == ["BF001", "BF309"])
    }
}
