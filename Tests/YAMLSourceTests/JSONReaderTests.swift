import Testing
@testable import YAMLSource

/// Whether the JSON reader takes the text on its own (without falling back to libyaml).
private func taken(_ source: SourceFile) -> Bool {
    var builder = TreeBuilder(source: source, limits: ParseLimits())
    return source.bytes.withUnsafeBufferPointer {
        JSONReader.read($0, into: &builder, baseOffset: source.baseOffset)
    }
}

/// The parse both ways: the reader's choice and libyaml alone.
private func bothWays(_ source: SourceFile) -> (automatic: ParseResult, libyaml: ParseResult) {
    (YAMLParser.parse(source), YAMLParser.parse(source, reader: .libyaml))
}

/// SplitMix64: a seeded generator, so a failing case can be replayed.
private struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random JSON with random spacing: line breaks anywhere JSON allows them, except between a key
/// and its colon (where libyaml would not take the key).
private func randomJSON(_ g: inout Seeded, depth: Int = 0) -> String {
    func space() -> String {
        ["", "", " ", "\n", "\n  ", "  ", "\n\n    "].randomElement(using: &g)!
    }
    func string() -> String {
        let words = ["", "a", "providers", "key ids", "x:y", "#no comment", "{[,]}", "'", "- item", "? q", "& *", "100", "true", "~"]
        return "\"" + words.randomElement(using: &g)! + "\""
    }
    let scalars = ["0", "-0", "12", "-7", "3.25", "1e3", "-2.5E-4", "6E+2", "true", "false", "null"]
    let kind = depth > 4 ? Int.random(in: 0...1, using: &g) : Int.random(in: 0...3, using: &g)
    switch kind {
    case 0: return scalars.randomElement(using: &g)!
    case 1: return string()
    case 2:
        let items = (0..<Int.random(in: 0...4, using: &g)).map { _ in space() + randomJSON(&g, depth: depth + 1) + space() }
        return "[" + items.joined(separator: ",") + (items.isEmpty ? space() : "") + "]"
    default:
        let pairs = (0..<Int.random(in: 0...4, using: &g)).map { _ in
            space() + string() + [":", ": ", " : ", " :"].randomElement(using: &g)! + space() + randomJSON(&g, depth: depth + 1) + space()
        }
        return "{" + pairs.joined(separator: ",") + (pairs.isEmpty ? space() : "") + "}"
    }
}

@Suite("JSON reader")
struct JSONReaderTests {
    @Test(arguments: [
        "{}", "[]", " \n{ }\n", "[1,2 , 3]\n", "{\"a\":1}", "{\"a\" : {\"b\": [true, false, null, -0.5e-3]}}",
        "{\n  \"client\": {\"drop_excess_requests\": false, \"initial_pool_size\": 125},\n  \"providers\": {\n    \"openai\": {\"keys\": [{\"name\": \"k\", \"models\": [\"*\"]}]}\n  }\n}\n",
        "[[[]], {}, [{}], \"\"]", "{\"a\": 1, \"a\": 2}", "{\"<<\": {\"x\": 1}}", "[\"#\", \"x: y\", \"- z\"]",
    ])
    func readsPlainJSONAsLibYAMLDoes(_ text: String) {
        let source = SourceFile(name: "c.json", text: text)
        #expect(taken(source))
        let (automatic, libyaml) = bothWays(source)
        #expect(libyaml.error == nil)
        #expect(automatic.hasSameNodes(as: libyaml))
    }

    @Test func positionsFollowTheDocumentsPlaceInAStream() {
        let source = SourceFile(name: "s.yaml", bytes: Array("{\n \"a\": [1,\n  2]}\n".utf8), firstLine: 40, baseOffset: 900)
        #expect(taken(source))
        let (automatic, libyaml) = bothWays(source)
        #expect(automatic.hasSameNodes(as: libyaml))
        let two = automatic.documents.first?.root?["a"]?.items.last
        #expect(two?.range.start == Position(offset: 914, line: 42, column: 3))
    }

    /// Everything here is valid YAML or invalid JSON that libyaml reads its own way: the reader
    /// must leave it to libyaml, and the result must be libyaml's.
    @Test(arguments: [
        "{a: 1}", "{\"a\": 1, }", "[1,]", "{\"a\"\n: 1}", "{\"a\": 1} # note", "{\"a\":\t1}", "{\"a\": 1}\r\n",
        "{\"a\\n\": 1}", "{\"é\": 1}", "[1\n2]", "[01]", "[1.]", "[.5]", "[+1]", "[tru]", "[nullx]", "{\"a\": 1}\n---\n{}",
        "--- {}", "{\"a\": 1}}", "[", "{\"a\": [1, 2}", "!!map {}", "&x [1, *x]", "[\"a\"]  x", "{\"a\" 1}", "\"just a string\"",
        "{\"" + String(repeating: "k", count: 1100) + "\": 1}",
    ])
    func leavesAnythingElseToLibYAML(_ text: String) {
        let source = SourceFile(name: "c.json", text: text)
        #expect(!taken(source))
        let (automatic, libyaml) = bothWays(source)
        #expect(automatic.hasSameNodes(as: libyaml))
    }

    @Test func randomJSONIsReadAsLibYAMLReadsIt() {
        var g = Seeded(state: 7)
        for n in 0..<400 {
            let text = randomJSON(&g, depth: 1 + n % 2)
            let wrapped = text.first == "{" || text.first == "[" ? text : "[" + text + "]"
            let source = SourceFile(name: "r.json", text: wrapped)
            let (automatic, libyaml) = bothWays(source)
            #expect(libyaml.error == nil, "case \(n): \(wrapped)")
            #expect(taken(source), "case \(n): \(wrapped)")
            #expect(automatic.hasSameNodes(as: libyaml), "case \(n): \(wrapped)")
        }
    }

    /// One byte changed, dropped or doubled: whether or not the reader takes the result, it must
    /// agree with libyaml.
    @Test func mutatedJSONAgreesWithLibYAML() {
        var g = Seeded(state: 11)
        let alphabet = Array("{}[],:\" \n\t\r#-0123456789.eE+atrufsln\\x'&*!|>%@`".utf8)
        for n in 0..<600 {
            var bytes = Array(randomJSON(&g, depth: 2).utf8)
            if bytes.isEmpty { continue }
            let at = Int.random(in: 0..<bytes.count, using: &g)
            switch n % 3 {
            case 0: bytes[at] = alphabet.randomElement(using: &g)!
            case 1: bytes.remove(at: at)
            default: bytes.insert(bytes[at], at: at)
            }
            let (automatic, libyaml) = bothWays(SourceFile(name: "m.json", bytes: bytes))
            #expect(automatic.hasSameNodes(as: libyaml), "case \(n): \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
