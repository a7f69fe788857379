import Testing
import Foundation
@testable import YAMLSource

func parse(_ text: String, name: String = "t.yaml") -> ParseResult {
    YAMLParser.parse(name: name, text: text)
}

func root(_ text: String) throws -> Node {
    let result = parse(text)
    #expect(result.error == nil, "\(String(describing: result.error))")
    return try #require(result.documents.first?.root)
}

@Suite("Parser")
struct ParserTests {
    @Test func rangesAreOneBasedWithByteOffsets() throws {
        let r = try root("a:\n  b: hello\n")
        let b = try #require(r["a"]?["b"])
        #expect(b.range.start == Position(offset: 8, line: 2, column: 6))
        #expect(b.range.end == Position(offset: 13, line: 2, column: 11))
        #expect(b.source.text(b.range.bytes) == "hello")
        #expect(b.path.description == "a.b")
    }

    @Test func columnsCountCharactersAndOffsetsCountBytes() throws {
        let text = "k: \"日本🚀\"\nx: [é, v]\n"
        let r = try root(text)
        let v = try #require(r["x"]?.items.last)
        #expect(v.range.start.line == 2)
        #expect(v.range.start.column == 8)
        #expect(v.source.text(v.range.bytes) == "v")
        let k = try #require(r["k"])
        #expect(k.range.end.column == 9)
        #expect(k.source.text(k.range.bytes) == "\"日本🚀\"")
    }

    /// Nodes keep offsets; lines and columns come from the line table and must be libyaml's.
    @Test func positionsAtTheEndOfATextWithoutALineBreakAreLibYAMLs() throws {
        let r = try root("a:\n  b: 1")
        let one = try #require(r["a"]?["b"])
        #expect(one.range.end == Position(offset: 9, line: 2, column: 7))
        // libyaml moves to a new line at the end of the stream: the mappings end on line 3.
        #expect(r.range.end == Position(offset: 9, line: 3, column: 1))
        #expect(r["a"]?.range.end == Position(offset: 9, line: 3, column: 1))
        let empty = try #require(try root("k: v\nz:")["z"])
        #expect(empty.range.start == Position(offset: 7, line: 2, column: 3))
    }

    @Test func aByteOrderMarkIsNotAColumn() throws {
        let r = try root("\u{FEFF}a: é\nb: [x]\n")
        let a = try #require(r.pairs.first?.key)
        #expect(a.range.start == Position(offset: 3, line: 1, column: 1))
        #expect(r["a"]?.range.end == Position(offset: 8, line: 1, column: 5))
        #expect(r["b"]?.items.first?.range.start == Position(offset: 13, line: 2, column: 5))
    }

    @Test func crlfKeepsLinesAndOffsetsRight() throws {
        let r = try root("a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
        let y = try #require(r["b"]?.items.last)
        #expect(y.range.start.line == 4)
        #expect(y.range.start.column == 5)
        #expect(y.source.text(y.range.bytes) == "y")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let r = try root("\u{FEFF}a: b\n")
        let b = try #require(r["a"])
        #expect(b.source.text(b.range.bytes) == "b")
        #expect(b.range.start.column == 4)
    }

    @Test func stylesAndTagsAreKept() throws {
        let r = try root("p: plain\ns: 'single'\nd: \"double\"\nl: |\n  lit\nf: >\n  fold\nt: !!str 10\nflow: {a: 1}\nseq: [1]\n")
        #expect(r["p"]?.scalar?.style == .plain)
        #expect(r["s"]?.scalar?.style == .singleQuoted)
        #expect(r["d"]?.scalar?.style == .doubleQuoted)
        #expect(r["l"]?.scalar?.style == .literal)
        #expect(r["l"]?.scalar?.text == "lit\n")
        #expect(r["f"]?.scalar?.style == .folded)
        #expect(r["t"]?.value == .string("10"))
        #expect(r["t"]?.tag == "tag:yaml.org,2002:str")
        if case .mapping(_, let style)? = r["flow"]?.kind { #expect(style == .flow) } else { Issue.record("flow mapping") }
        if case .sequence(_, let style)? = r["seq"]?.kind { #expect(style == .flow) } else { Issue.record("flow sequence") }
    }

    @Test func multipleDocumentsAndEmptyOnes() {
        let result = parse("a: 1\n---\n---\nb: 2\n")
        #expect(result.documents.count == 3)
        #expect(result.documents[1].root == nil || result.documents[1].root?.isNull == true)
        #expect(result.documents[2].root?["b"]?.int == 2)
    }

    @Test func billionLaughsStopsAtTheExpansionLimit() throws {
        // 9 levels of 9 aliases would be 387M nodes if expanded.
        var text = "a0: &a0 [lol]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let result = parse(text)
        let error = try #require(result.error)
        #expect(error.kind == .limit)
        #expect(error.message.contains("billion-laughs"))
        #expect(result.documents.isEmpty)
    }

    @Test func aliasesShareNodesInsteadOfCopying() throws {
        var text = "a0: &a0 [lol]\n"
        for i in 1...5 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let r = try root(text)
        let top = try #require(r["a5"])
        #expect(top.items.count == 9)
        #expect(top.items[0] == r["a4"])
        #expect(top.items[0].path.description == "a4")
    }

    @Test func anAliasedNodeKeepsThePlaceItWasWrittenEvenWhenANestedCollectionClosesFirst() throws {
        let r = try root("outer:\n  - &x {k: v}\n  - {p: *x, q: [*x]}\n")
        let viaMapping = try #require(r["outer"]?.items[1]["p"])
        let viaSequence = try #require(r["outer"]?.items[1]["q"]?.items.first)
        #expect(viaMapping == r["outer"]?.items[0])
        #expect(viaMapping.path.description == "outer[0]")
        #expect(viaSequence.path.description == "outer[0]")
        #expect(viaMapping["k"]?.path.description == "outer[0].k")
    }

    @Test func scalarTextIsTheDecodedValueWhateverTheStyle() throws {
        let r = try root("a: plain words\nb: \"esc\\taped \\u00e9\"\nc: 'it''s'\nd: |\n  two\n  lines\ne: folded\n  plain\n")
        #expect(r["a"]?.string == "plain words")
        #expect(r["b"]?.string == "esc\taped \u{e9}")
        #expect(r["c"]?.string == "it's")
        #expect(r["d"]?.string == "two\nlines\n")
        #expect(r["e"]?.string == "folded plain")
        #expect(r["b"]?.range.start.column == 4)
    }

    @Test func mergeKeysAreExpandedOwnKeysWin() throws {
        let r = try root("base: &b {x: 1, z: 2}\nobj:\n  <<: *b\n  z: 3\n")
        #expect(r["obj"]?["x"]?.int == 1)
        #expect(r["obj"]?["z"]?.int == 3)
    }

    @Test func duplicateKeysAreReportedAsHelmSeesThem() {
        let result = parse("a: 1\nb: 2\na: 3\nm:\n  yes: 1\n  true: 2\n")
        #expect(result.duplicateKeys.map(\.key.range.start.line) == [3, 6])
        #expect(result.duplicateKeys.first?.first.range.start.line == 1)
    }

    /// Keys are Go strings to Helm: `café` with a precomposed `é` and with `e` and a combining
    /// accent are two keys, in a small mapping and in a large one (which hashes its keys), and a
    /// merge brings in the one the mapping does not have.
    @Test(arguments: [0, 20])
    func keysDifferingInNormalFormAreTwoKeys(_ others: Int) throws {
        let filler = (0..<others).map { "k\($0): \($0)\n" }.joined()
        let result = parse(filler + "caf\u{E9}: 1\ncafe\u{301}: 2\nk0: again\n")
        #expect(result.duplicateKeys.map(\.key.range.start.line) == (others > 0 ? [others + 3] : []))
        let merged = try root("base: &b {\"cafe\u{301}\": 1}\nobj:\n  <<: *b\n  \"caf\u{E9}\": 2\n" + filler.split(separator: "\n").map { "  \($0)\n" }.joined())
        let keys = merged["obj"]?.pairs.map { Array($0.key.keyString.utf8) } ?? []
        #expect(keys.contains(Array("caf\u{E9}".utf8)) && keys.contains(Array("cafe\u{301}".utf8)))
    }

    @Test func syntaxErrorsCarryPositionAndKeepEarlierDocuments() throws {
        let result = parse("ok: 1\n---\na: [1, 2\nb: 3\n")
        #expect(result.documents.count == 1)
        let error = try #require(result.error)
        #expect(error.position.line == 4)
        #expect(error.message.contains("flow"))
    }

    @Test func unknownAliasIsAnError() throws {
        let result = parse("a: *nope\n")
        let error = try #require(result.error)
        #expect(error.message.contains("nope"))
        #expect(error.position == Position(offset: 3, line: 1, column: 4))
    }

    @Test func invalidUTF8IsAnErrorNotACrash() throws {
        let source = SourceFile(name: "bin", bytes: [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A])
        let result = YAMLParser.parse(source)
        #expect(result.error != nil)
    }

    @Test func deepNestingStopsAtTheLimit() throws {
        let text = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let result = YAMLParser.parse(SourceFile(name: "deep", text: text), limits: ParseLimits(maxDepth: 100))
        #expect(result.error?.message.contains("nesting") == true)
        #expect(result.error?.kind == .limit)
        #expect(result.error?.position.column == 101)
    }

    @Test func jsonGoesThroughTheSameLayer() throws {
        let r = try root("{\n\t\"version\": 1,\n\t\"client\": {\"allow_direct_keys\": true, \"x\": null, \"f\": 1.5}\n}\n")
        #expect(r["version"]?.int == 1)
        #expect(r["client"]?["allow_direct_keys"]?.bool == true)
        #expect(r["client"]?["x"]?.isNull == true)
        #expect(r["client"]?["f"]?.value == .float(1.5))
        let key = try #require(r["client"]?.pair("allow_direct_keys")?.key)
        #expect(key.range.start.line == 3)
        #expect(key.path.description == "client.allow_direct_keys")
    }

    @Test func pathsQuoteKeysWithDots() throws {
        let r = try root("metadata:\n  labels:\n    app.kubernetes.io/name: x\nspec:\n  containers:\n    - ports: [{containerPort: 1}, {containerPort: 2}]\n")
        #expect(r["metadata"]?["labels"]?["app.kubernetes.io/name"]?.path.description == "metadata.labels[\"app.kubernetes.io/name\"]")
        #expect(r["spec"]?["containers"]?.items[0]["ports"]?.items[1].path.description == "spec.containers[0].ports[1]")
    }

    @Test func embeddedLiteralBlockMapsBackToTheOuterFile() throws {
        let outerText = "data:\n  config.json: |\n    {\n      \"a\": [1,\n         2]\n    }\n"
        let outer = SourceFile(name: "cm.yaml", text: outerText)
        let result = YAMLParser.parse(outer)
        let scalar = try #require(result.documents.first?.root?["data"]?["config.json"])
        let origin = try #require(EmbeddedOrigin.literalBlock(outer: outer, scalar: scalar))
        let inner = SourceFile(name: "cm.yaml", bytes: Array((scalar.scalar?.text ?? "").utf8), origin: origin)
        let innerRoot = try #require(YAMLParser.parse(inner).documents.first?.root)
        let two = try #require(innerRoot["a"]?.items.last)
        let (file, pos) = inner.outerPosition(two.range.start)
        #expect(file === outer)
        #expect(pos.line == 5 && pos.column == 10)
        #expect(outer.text(pos.offset..<(pos.offset + 1)) == "2")
    }
}

@Suite("Document reader")
struct DocumentReaderTests {
    /// Every slicing of a stream into chunks gives the same documents as parsing it whole.
    static let stream = "# lead\n---\na: 1\nb: |\n  text\n  --- not a marker (indented)\n---\n- x\n---   \n\r\n%YAML 1.1\n---\nc: [1,\n  2]\n...\n---\nd: 日本\r\n---"

    @Test(arguments: [1, 2, 3, 5, 7, 64, 10_000])
    func chunkingDoesNotChangeDocumentsOrPositions(chunk: Int) throws {
        let bytes = Array(Self.stream.utf8)
        var pos = 0
        let reader = DocumentReader(name: "s.yaml", nextChunk: {
            guard pos < bytes.count else { return nil }
            let end = min(bytes.count, pos + chunk)
            defer { pos = end }
            return Array(bytes[pos..<end])
        })
        let slices = Array(reader)
        #expect(slices.map { $0.bytes.count }.reduce(0, +) == bytes.count, "no byte lost")
        #expect(slices.count == 7, "\(slices.map { String(decoding: $0.bytes, as: UTF8.self) })")
        let whole = YAMLParser.parse(SourceFile(name: "s.yaml", bytes: bytes))
        #expect(whole.error == nil)
        let pieces = slices.map { YAMLParser.parse($0) }
        #expect(pieces.allSatisfy { $0.error == nil }, "\(slices.map { String(decoding: $0.bytes, as: UTF8.self) })")
        let docs = pieces.flatMap(\.documents)
        #expect(docs.count == whole.documents.count)
        for (a, b) in zip(docs, whole.documents) {
            #expect(a.root?.range == b.root?.range)
            #expect(a.root?.path == b.root?.path)
        }
        let found = docs.compactMap { doc -> Node? in doc.root?["d"] }
        let d = try #require(found.first)
        #expect(d.range.start.line == 17 && d.range.start.column == 4)
        #expect(d.source.text(d.range.bytes) == "日本")
        #expect(d.source.lineText(17) == "d: 日本")
    }

    /// A file of several 1 MiB reads gives the documents the same bytes give held in memory,
    /// and a NUL byte after the first read is placed by its file offset.
    @Test func aFileReadInChunksGivesTheDocumentsOfItsBytes() throws {
        var text = ""
        var n = 0
        while text.utf8.count < 3 * (1 << 20) + 12345 {
            text += "---\nkind: ConfigMap\nmetadata: {name: m\(n)}\ndata:\n  blob: \(String(repeating: "x", count: 97 + n % 211))\r\n"
            n += 1
        }
        let bytes = Array(text.utf8)
        func documents(_ bytes: [UInt8], maxBytes: Int? = nil) throws -> (docs: [[UInt8]], starts: [Int], stop: ReadStop?) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).yaml").path
            defer { unlink(path) }
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let fd = open(path, O_RDONLY)
            try #require(fd >= 0)
            var reader = DocumentReader(name: "f.yaml", fileDescriptor: fd, closeAtEnd: true)
            if let maxBytes { reader.maxBytes = maxBytes }
            var docs: [[UInt8]] = [], starts: [Int] = []
            while let d = reader.next() {
                docs.append(d.bytes)
                starts.append(d.baseOffset)
            }
            return (docs, starts, reader.stop)
        }
        let inMemory = Array(DocumentReader(name: "f.yaml", bytes: bytes))
        let read = try documents(bytes)
        #expect(read.docs.count == n && inMemory.count == n)
        let differing = zip(read.docs, inMemory).enumerated().first { $0.element.0 != $0.element.1.bytes || $0.element.0.isEmpty }?.offset
        #expect(differing == nil, "document \(differing ?? -1) differs")
        let sameStarts = read.starts == inMemory.map(\.baseOffset)
        #expect(sameStarts)

        var withNUL = bytes
        let at = (1 << 20) + 70_000
        withNUL[at] = 0
        let cut = try documents(withNUL)
        #expect(cut.stop?.message.contains("a NUL byte at byte \(at)") == true)
        #expect(cut.docs.reduce(0) { $0 + $1.count } <= at)
        let samePrefix = cut.docs == Array(inMemory.prefix(cut.docs.count)).map(\.bytes)
        #expect(samePrefix && cut.docs.count > n / 4)

        let limited = try documents(bytes, maxBytes: 2 * (1 << 20) + 5)
        #expect(limited.stop?.message.contains("input larger than") == true)
        #expect(limited.docs.reduce(0) { $0 + $1.count } <= 2 * (1 << 20) + 5)
    }

    @Test func utf16IsNotSplit() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("a: 1\n---\nb: 2\n".utf8).flatMap { [$0, 0] }
        #expect(Array(DocumentReader(name: "u", bytes: bytes)).count == 1)
    }
}

@Suite("Path text")
struct PathTextTests {
    /// Every node's text path, made from the table's bytes, reads as its YAMLPath does.
    @Test func everyNodesPathTextIsItsPathsDescription() throws {
        let yaml = """
        metadata:
          labels: {app.kubernetes.io/name: bifrost, "quoted key": 1, 'a"b\\\\c': 2, "q\\"\u{0301}x": 3, "tab\\tkey": 4, "esc\\u001bkey": 5, "dot.é": 6}
        twelve: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, {eleven: [x]}]
        spec:
          containers:
            - name: bifrost
              ports: [{containerPort: 10102}, [nested, [deeper]]]
        y: yes-key
        1: number key
        "": empty key
        ? [complex, key]
        : value
        base: &base {shared: true}
        merged:
          <<: *base
          own: 1
        café: unicode
        """
        let parse = YAMLParser.parse(SourceFile(name: "p.yaml", bytes: Array(yaml.utf8)))
        let root = try #require(parse.documents.first?.root)
        var stack = [root]
        var checked = 0
        while let node = stack.popLast() {
            #expect(node.pathText == node.path.description, "\(node.path.description)")
            checked += 1
            stack += node.isMapping ? node.pairs.flatMap { [$0.key, $0.value] } : node.items
        }
        #expect(checked > 30)
        #expect(root["metadata"]?["labels"]?["quoted key"]?.pathText == "metadata.labels[\"quoted key\"]")
        #expect(root["spec"]?["containers"]?.items.first?["ports"]?.items.last?.items.last?.items.first?.pathText == "spec.containers[0].ports[1][1][0]")
        // Indices of one digit and of two are written in place; an ASCII key without quote or
        // backslash is quoted from its bytes, any other through its String.
        #expect(root["twelve"]?.item(7)?.pathText == "twelve[7]")
        #expect(root["twelve"]?.item(11)?["eleven"]?.item(0)?.pathText == "twelve[11].eleven[0]")
        #expect(root["metadata"]?["labels"]?["app.kubernetes.io/name"]?.pathText == "metadata.labels[\"app.kubernetes.io/name\"]")
        #expect(root["metadata"]?["labels"]?["tab\tkey"]?.pathText == "metadata.labels[\"tab\tkey\"]")
        #expect(root["metadata"]?["labels"]?["q\"\u{0301}x"]?.pathText == "metadata.labels[\"q\"\u{0301}x\"]")
    }

    /// A record packs its place in the parent in 19 bits; past that the parent's slots are
    /// searched. Both must give the same paths, aliases included.
    @Test func pathsWithoutTheRecordedSlotAreTheSame() throws {
        let yaml = "a: &x {k: [1, 2, &y {z: 3}]}\nb: *x\nc: [*y, *y, {w: *y}]\nd: {<<: *x, e: 4}\n? [q]\n: r\nlist: [a, b, c, d, e]\n"
        let parse = YAMLParser.parse(SourceFile(name: "p.yaml", bytes: Array(yaml.utf8)))
        var table = parse.nodes.table
        for i in table.records.indices { table.records[i].slotInParent = nil }
        let searched = NodeStore(table)
        #expect(MemoryLayout<NodeRecord>.size == 24)
        for id in 0..<Int32(table.records.count) {
            let recorded = Node(parse.nodes, id), found = Node(searched, id)
            #expect(found.pathText == recorded.pathText, "\(recorded.pathText)")
            #expect(found.path.description == recorded.path.description)
        }
    }
}

@Suite("Integer values read from the table")
struct IntegerValueTests {
    @Test func plainDecimalsAndEverythingElseResolveAsHelmReadsThem() throws {
        let yaml = "a: 10102\nb: !!str 10102\nc: '10102'\nd: 0777\ne: 1_000\nf: 123456789012345678901\ng: 0\nh: -5\ni: ! 42\nj: 12ab\n"
        let root = try #require(YAMLParser.parse(SourceFile(name: "i.yaml", bytes: Array(yaml.utf8))).documents.first?.root)
        #expect(root["a"]?.value == .int(10102))
        #expect(root["b"]?.value == .string("10102"))
        #expect(root["c"]?.value == .string("10102"))
        #expect(root["d"]?.value == .int(511))
        #expect(root["e"]?.value == .int(1000))
        #expect(root["f"]?.value == .float(123456789012345678901))
        #expect(root["g"]?.value == .int(0))
        #expect(root["h"]?.value == .int(-5))
        // The non-specific tag reads as no tag, as the resolver reads it.
        #expect(root["i"]?.value == .int(42))
        #expect(root["j"]?.value == .string("12ab"))
    }
}

@Suite("Key lookup")
struct KeyLookupTests {
    /// `node[key]` walks the table's bytes; it must find what comparing each key as Helm reads it finds.
    @Test func lookupMatchesTheKeysAsHelmReadsThem() throws {
        let text = """
        a: 1
        "b": 2
        'c d': 3
        1: int
        01: octal
        true: bool
        yes: word
        ~: null
        1.5: float
        "é": accent
        a: again
        "": empty
        ? [x]
        : flow
        e: |
          block
        """
        let root = try #require(parse(text).documents.first?.root)
        let names = ["a", "b", "c d", "1", "01", "true", "yes", "~", "null", "1.5", "é", "", "x", "e", "block", "2", "bool"]
        for name in names {
            let expected = root.pairs.first { $0.key.isKey(name) }
            #expect(root.pair(name)?.key == expected?.key, "\(name)")
            #expect(root[name] == expected?.value, "\(name)")
        }
        #expect(root["a"]?.int == 1)
    }
}

@Suite("Pairs by key name anywhere")
struct PairsNamedTests {
    /// The walk as written over Node values: the table walk must meet the same pairs in the same order.
    static func reference(_ start: Node, _ names: Set<String>) -> [(pair: Pair, parent: Node)] {
        var out: [(pair: Pair, parent: Node)] = []
        var seen = Set<Node>()
        var stack = [start]
        while let node = stack.popLast() {
            if node.anchor != nil, !seen.insert(node).inserted { continue }
            if node.isMapping {
                for p in node.pairs where names.contains(p.key.keyString) { out.append((p, node)) }
                stack += node.pairs.reversed().map(\.value)
            } else if node.isSequence {
                stack += node.items.reversed()
            }
        }
        return out
    }

    @Test func walkMeetsThePairsTheNodeWalkMeets() throws {
        let yaml = """
        shared: &shared {deployments: {a: b}, other: 1}
        providers:
          azure:
            keys:
              - name: east
                deployments: {gpt: x}
                azure_key_config: *shared
              - <<: *shared
                name: west
          list: [{deployments: []}, [ {allow_direct_keys: true} ]]
        allow_direct_keys: false
        y: {deployments: 1}
        """
        let root = try #require(YAMLParser.parse(SourceFile(name: "w.yaml", bytes: Array(yaml.utf8))).documents.first?.root)
        func places(_ found: [(pair: Pair, parent: Node)]) -> [String] {
            found.map { "\($0.pair.key.keyString)@\($0.pair.key.range.start) in \($0.parent.range.start)" }
        }
        for names in [["deployments", "allow_direct_keys"], ["deployments"], ["other", "a", "name"], []] {
            #expect(places(root.pairs(named: names)) == places(Self.reference(root, Set(names))), "\(names)")
        }
        let providers = try #require(root["providers"])
        #expect(places(providers.pairs(named: ["deployments"])) == places(Self.reference(providers, ["deployments"])))
        // The anchored mapping's pair, met directly and again through the merge key of `west`.
        #expect(places(root.pairs(named: ["deployments"])).count == 5)
    }
}

@Suite("Line table")
struct LineTableTests {
    /// Line starts the slow way: LF, CR, CRLF, NEL, LS and PS end a line, as libyaml reads them.
    static func reference(_ bytes: [UInt8]) -> ([Int], Bool) {
        var starts = [0]
        var i = 0
        while i < bytes.count {
            let rest = bytes[i...]
            var width = 0
            if rest.starts(with: [0x0D, 0x0A]) { width = 2 }
            else if rest.first == 0x0A || rest.first == 0x0D { width = 1 }
            else if rest.starts(with: [0xC2, 0x85]) { width = 2 }
            else if rest.starts(with: [0xE2, 0x80, 0xA8]) || rest.starts(with: [0xE2, 0x80, 0xA9]) { width = 3 }
            if width > 0 { starts.append(i + width); i += width } else { i += 1 }
        }
        return (starts, bytes.allSatisfy { $0 < 0x80 })
    }

    @Test func everyKindOfBreakAtEveryAlignment() {
        // Pieces chosen to straddle the eight-byte steps of the scan in every position.
        let pieces: [[UInt8]] = [Array("key: value".utf8), [0x0A], [0x0D], [0x0D, 0x0A], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9],
                                 Array("é".utf8), [0x09], [0x0C], [0x0E], [0x7F], [0x20], Array("abcdefgh".utf8), [0x00]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            let (starts, ascii) = SourceFile.scan(bytes)
            let expected = Self.reference(bytes)
            #expect(starts.map(Int.init) == expected.0, "\(bytes)")
            #expect(ascii == expected.1, "\(bytes)")
        }
    }
}

@Suite("Item count")
struct ItemCountTests {
    @Test func countsTheItemsOfASequenceOnly() throws {
        let yaml = "a: [1, 2, 3]\nb: []\nd: {k: v}\ne: scalar\ny: &y 1\n"
        let root = try #require(YAMLParser.parse(SourceFile(name: "c.yaml", bytes: Array(yaml.utf8))).documents.first?.root)
        for (key, count) in [("a", 3), ("b", 0), ("d", 0), ("e", 0)] {
            #expect(root[key]?.itemCount == count, "\(key)")
            #expect(root[key]?.itemCount == root[key]?.items.count, "\(key)")
        }
        #expect(root.itemCount == 0)
    }
}
