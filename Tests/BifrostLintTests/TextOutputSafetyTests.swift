import Testing
@testable import BifrostLint

/// File contents reach terminals and CI logs through the text report (issue 17, items 12, 13).
@Suite("Text output cannot be turned against its reader")
struct TextOutputSafetyTests {
    func report(_ text: String, file: String = "values.yaml") -> String {
        let findings = Linter().lint([SourceFile(name: file, text: text)])
        return TextReporter(color: false).report(findings, fileCount: 1)
    }

    /// The eight-at-a-time check agrees with the byte test at every length and alignment, for
    /// each byte that borders printable ASCII.
    @Test func allPlainAgreesWithTheByteTest() {
        let edges: [UInt8] = [0x00, 0x08, 0x09, 0x0A, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for length in 0...24 {
            for at in 0..<max(length, 1) {
                for edge in edges {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    if length > 0 { bytes[at] = edge }
                    let expected = bytes.allSatisfy(TextReporter.isPlain)
                    #expect(bytes.withUnsafeBufferPointer(TextReporter.allPlain) == expected, "\(length) \(at) \(edge)")
                    // Two odd bytes in one word: a borrow or carry from one must not hide the other.
                    if length > 1 {
                        bytes[(at + 1) % length] = 0xFF
                        #expect(!bytes.withUnsafeBufferPointer(TextReporter.allPlain))
                    }
                }
            }
        }
    }

    /// JSON strings written from bytes read as `JSON.string` writes the String of those bytes:
    /// plain words, quotes and controls at every place in a word of eight, and non-ASCII and
    /// invalid UTF-8 (repaired).
    @Test func jsonStringsFromBytesMatchTheStringWay() {
        var cases: [[UInt8]] = [[], Array("plain text".utf8), Array("write [\"*\"] to allow all".utf8),
                                Array("é\u{2028}\u{85}\u{FEFF}x".utf8), [0x61, 0xC3, 0x28, 0xFF, 0x22], [0x7F, 0x00, 0x1F, 0x20, 0x7E]]
        for special: UInt8 in [0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x22, 0x5C, 0x7F, 0x80] {
            for at in 0..<17 {
                var bytes = [UInt8](repeating: 0x61, count: 17)
                bytes[at] = special
                cases.append(bytes)
            }
        }
        for bytes in cases {
            let sink = ReportSink()
            bytes.withUnsafeBufferPointer { sink.write(json: $0) }
            #expect(sink.string == JSON.string(String(decoding: bytes, as: UTF8.self)), "\(bytes)")
        }
    }

    @Test func escapeSequencesInAnExcerptAreShownNotRun() {
        // libyaml refuses the control characters (BF003), and the excerpt shows the line.
        let out = report("bifrost:\n  client:\n    allowDirectKeys: true  # \u{1B}]0;pwned\u{07}\u{1B}[2J\n")
        #expect(out.contains("BF003"))
        #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(out.contains("\\x1B]0;pwned\\x07\\x1B[2J"))
    }

    @Test func aKeyCannotStartAWorkflowCommandLine() {
        let out = report("bifrost:\n  providers:\n    \"evil\\n::warning file=evil::injected\":\n      keys:\n        - {name: k, weight: 1, models: []}\n")
        #expect(out.contains("BF302"))
        #expect(!out.split(separator: "\n").contains { $0.hasPrefix("::") }, "\(out)")
        #expect(out.contains("evil\\x0A::warning"))
    }

    @Test func longLinesAreCutAroundTheColumn() {
        // A minified config.json: one line, the finding far into it.
        let filler = (0..<400).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let json = "{\"client\": {\(filler), \"allow_direct_keys\": true}}\n"
        let out = report(json, file: "config.json")
        let lines = out.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count < 300 }, "\(lines.map(\.count))")
        let source = lines.first { $0.contains("\"allow_direct_keys\"") }
        let caret = lines.first { $0.contains("^") }
        #expect(source?.hasPrefix(" 1 | …") == true)
        // The caret stands under the key.
        if let source, let caret, let key = source.firstRange(of: "\"allow_direct_keys\""), let hat = caret.firstIndex(of: "^") {
            #expect(source.distance(from: source.startIndex, to: key.lowerBound) == caret.distance(from: caret.startIndex, to: hat))
        }
    }

    /// Columns count characters; a terminal gives CJK, Hangul, fullwidth forms and emoji two
    /// cells each, so the caret counts cells (issue 18).
    @Test(arguments: ["日本語", "한국어", "ＡＢＣ", "🚀🎉", "❤️x", "e\u{301}t\u{E9}"])
    func caretsStandUnderTheTextAfterWideCharacters(_ wide: String) {
        // A duplicate key after wide text on its own line: the key is found by cells.
        let out = report("bifrost:\n  client: {note: \"\(wide)\", x: 1, x: 2}\n")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let i = lines.firstIndex(where: { $0.contains("x: 2}") }), i + 1 < lines.count else {
            Issue.record("no excerpt: \(out)")
            return
        }
        let source = lines[i], caret = lines[i + 1]
        let before = source[..<source.range(of: "x: 2")!.lowerBound]
        let hat = caret.firstIndex(of: "^")!
        #expect(TextReporter.cells(String(before)) == caret.distance(from: caret.startIndex, to: hat), "\n\(source)\n\(caret)")
        #expect(caret[hat...] == "^", "one caret under the one-cell key: \(caret)")
    }

    @Test func displayWidths() {
        #expect(TextReporter.cells("日本") == 4)
        #expect(TextReporter.cells("🚀") == 2)
        #expect(TextReporter.cells("ab") == 2)
        #expect(TextReporter.cells("e\u{301}") == 1)
        #expect(TextReporter.cells("\\x01") == 4)
    }

    @Test func aHugeScalarGivesASmallReport() {
        let big = String(repeating: "x", count: 2_000_000)
        let out = report("bifrost:\n  client: {allowDirectKeys: true, note: \"\(big)\"}\n")
        #expect(out.contains("BF309"))
        #expect(out.utf8.count < 2_000, "\(out.utf8.count) bytes")
    }
}

@Suite("JUnit escaping")
struct JUnitEscapingTests {
    /// The escaping as XML defines it, a scalar at a time: the oracle for the byte-wise one.
    static func oracle(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(u)
            default: if u.value < 0x20 { out += "?" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    @Test(arguments: ["plain text", "virtual key 'vk-1' <a & b> \"q\"", "é😀 'x'\u{1}\u{1B}[2J\n\tok\r", "\u{85}\u{2028}&", "", "'"])
    func sameAsScalarWise(_ s: String) {
        #expect(JUnitReporter.escape(s) == Self.oracle(s))
        // Written from stored bytes (ASCII escaped in the sink, the rest through `escape`).
        let sink = ReportSink()
        Array(s.utf8).withUnsafeBufferPointer { JUnitReporter.write($0, to: sink) }
        #expect(sink.string == Self.oracle(s))
    }
}
