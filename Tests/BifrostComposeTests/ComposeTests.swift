import Foundation
import Testing
import YAMLSource
@testable import BifrostCompose

func values(_ text: String, name: String = "v.yaml") throws -> OrderedMap {
    try Value.load(SourceFile(name: name, text: text))
}

func compose(_ files: [String], sets: [String] = []) throws -> Composer.Result {
    try Composer.compose(files.enumerated().map { i, text in
        Composer.Input(name: i == 0 ? "base.yaml" : "o\(i).yaml", bytes: Array(text.utf8), isOverlay: i > 0)
    }, sets: sets)
}

/// Composed text read back by the same Helm-style reader.
func roundTrip(_ result: Composer.Result) throws -> OrderedMap {
    try values(result.render(explain: false))
}

@Suite("Helm merge semantics")
struct MergeTests {
    static let table: [(String, [String], String)] = [
        ("maps merge recursively", ["a: {b: 1, c: 2}\n", "a: {c: 3, d: 4}\n"], "a:\n  b: 1\n  c: 3\n  d: 4\n"),
        ("lists replace", ["l: [1, 2, 3]\n", "l: [9]\n"], "l:\n- 9\n"),
        ("a scalar replaces a map", ["a: {b: 1}\n", "a: x\n"], "a: x\n"),
        ("a map replaces a scalar", ["a: x\n", "a: {b: 1}\n"], "a:\n  b: 1\n"),
        ("null stays null", ["a: {b: 1, c: 2}\n", "a: {b: null}\n"], "a:\n  b: null\n  c: 2\n"),
        ("null replaces a whole map", ["a: {b: 1}\n", "a: ~\n"], "a: null\n"),
        ("an empty map merges as nothing", ["a: {b: 1}\n", "a: {}\n"], "a:\n  b: 1\n"),
        ("bare y key is the boolean true", ["y: 1\n"], "\"true\": 1\n"),
        ("on, no and y values are booleans", ["a: on\nb: no\nc: y\n"], "a: true\nb: false\nc: true\n"),
        ("quoted YAML 1.1 words stay strings", ["a: \"on\"\nb: 'yes'\nc: \"y\"\n"], "a: \"on\"\nb: \"yes\"\nc: \"y\"\n"),
        ("versions and octal-looking strings stay strings", ["v: \"1.10\"\nm: \"0755\"\nt: \"2026-01-01\"\n"], "v: \"1.10\"\nm: \"0755\"\nt: \"2026-01-01\"\n"),
        ("plain octal and hex are numbers", ["m: 0755\nh: 0x1F\n"], "m: 493\nh: 31\n"),
        ("floats stay floats", ["f: 1.0\ng: 1.10\n"], "f: 1.0\ng: 1.1\n"),
        ("first-seen key order", ["b: 1\na: 2\n", "c: 3\na: 4\n"], "b: 1\na: 4\nc: 3\n"),
        ("merge keys and anchors are expanded", ["base: &b {x: 1}\nobj:\n  <<: *b\n  y2: 2\n"], "base:\n  x: 1\nobj:\n  y2: 2\n  x: 1\n"),
        ("strings that need quotes", ["a: \"#hash\"\nb: \"x: y\"\nc: \"-dash\"\nd: \"\"\ne: \"null\"\n"], "a: \"#hash\"\nb: \"x: y\"\nc: \"-dash\"\nd: \"\"\ne: \"null\"\n"),
    ]

    @Test(arguments: table.indices)
    func semantics(_ i: Int) throws {
        let (name, files, expected) = Self.table[i]
        let result = try compose(files)
        let body = result.render(explain: false).split(separator: "\n", maxSplits: 1)[1]
        #expect(String(body) == expected, "\(name)")
        // What Helm reads back from the composition is the merged tree itself.
        #expect(try roundTrip(result) == result.values, "\(name)")
    }

    @Test func conflictsBetweenOverlaysAreListed() throws {
        let result = try compose(["a: {b: 1}\n", "a: {b: 2, c: 1}\n", "a: {b: 3, c: 1}\n"])
        #expect(result.conflicts.map(\.path) == ["a.b"])
        #expect(result.conflicts.first?.description == "a.b is set by o1.yaml:1 and again, differently, by o2.yaml:1 (the later wins)")
    }

    /// Keys and strings are Go strings to Helm: `café` with `é` and with `e` + U+0301 are two
    /// keys (both kept, in one file or across files) and two values (a conflict between overlays).
    @Test func keysAndValuesDifferingInNormalFormStayApart() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let one = try compose(["\(nfc): 1\n\(nfd): 2\n"])
        #expect(one.values.keys.map { Array($0.utf8) } == [Array(nfc.utf8), Array(nfd.utf8)])
        let merged = try compose(["\(nfc): 1\n", "\(nfd): 2\n"])
        #expect(merged.values[nfc] == .int(1) && merged.values[nfd] == .int(2) && merged.values.keys.count == 2)
        #expect(try roundTrip(merged) == merged.values)
        let conflict = try compose(["a: x\n", "a: \(nfc)\n", "a: \(nfd)\n"])
        #expect(conflict.conflicts.map(\.path) == ["a"])
        #expect(try compose(["a: x\n", "a: \(nfc)\n", "a: \(nfc)\n"]).conflicts.isEmpty)
    }

    @Test func overridingTheBaseIsNotAConflict() throws {
        #expect(try compose(["a: 1\n", "a: 2\n"]).conflicts.isEmpty)
    }

    @Test func explainNamesTheFileAndLineOfEveryValue() throws {
        let result = try compose(["a:\n  b: 1\n  c: 2\n", "a:\n  c: 3\n"])
        let text = result.render(explain: true)
        #expect(text.contains("  b: 1  # base.yaml:2\n"))
        #expect(text.contains("  c: 3  # o1.yaml:2\n"))
        #expect(try values(text) == result.values, "comments do not change the values")
    }

    @Test func composesAValuesFileWithCommentsAndAnchors() throws {
        let base = """
        # Team defaults
        defaults: &defaults
          weight: 1   # equal split
          models: ["*"]
        bifrost:
          providers:
            openai:
              keys:
                - name: a
                  <<: *defaults
        """
        let overlay = "bifrost:\n  providers:\n    openai:\n      keys:\n        - {name: b, weight: 2, models: [\"*\"]}\n"
        let result = try compose([base, overlay])
        let text = result.render(explain: false)
        #expect(text.contains("defaults:\n  weight: 1\n  models:\n  - \"*\"\n"))
        #expect(text.contains("      keys:\n      - name: b\n        weight: 2\n"))
        #expect(try roundTrip(result) == result.values)
    }
}

@Suite("--set")
struct SetParserTests {
    static let table: [(String, String)] = [
        ("a=1", "a: 1\n"),
        ("a.b.c=x", "a:\n  b:\n    c: x\n"),
        ("a=1,b=true,c=null,d=0,e=007,f=1.5", "a: 1\nb: true\nc: null\nd: 0\ne: \"007\"\nf: \"1.5\"\n"),
        ("list[1]=x", "list:\n- null\n- x\n"),
        ("list[0].name=a,list[0].port=80", "list:\n- name: a\n  port: 80\n"),
        ("l={a,b,3}", "l:\n- a\n- b\n- 3\n"),
        ("l={}", "l:\n- \"\"\n"),  // Helm: a list of one empty string
        ("labels.app\\.kubernetes\\.io/name=bifrost", "labels:\n  app.kubernetes.io/name: bifrost\n"),
        ("a=x\\,y", "a: x,y\n"),
        ("a=", "a: \"\"\n"),
        ("a=TRUE", "a: true\n"),
    ]

    @Test(arguments: table.indices)
    func parse(_ i: Int) throws {
        let (expression, expected) = Self.table[i]
        var map = OrderedMap()
        try SetParser.apply(expression, to: &map)
        #expect(Emitter().emit(map) == expected, "\(expression)")
    }

    @Test func setAppliesOnTopOfFilesAndEditsListsInPlace() throws {
        let result = try compose(["l: [a, b, c]\nm: {x: 1}\n"], sets: ["l[1]=z", "m.y=2"])
        #expect(result.render(explain: false).hasSuffix("l:\n- a\n- z\n- c\nm:\n  x: 1\n  \"y\": 2\n"), "a --set key y is the string y, so it is quoted")
    }

    /// Helm applies --set into the merged values (strvals.ParseInto) and refuses a path through
    /// a value of another kind; compose used to replace it silently.
    @Test(arguments: ["a.b=1", "l.b=1", "m[0]=1", "e.x=1", "e[0]=1", "s[0]=1", "x.\(Array(repeating: "k", count: 31).joined(separator: "."))=1", "n[65537]=1"])
    func setThroughTheWrongKindIsAnError(_ expression: String) throws {
        #expect(throws: ComposeError.self) {
            try compose(["a: 1\nl: [1]\nm: {x: 1}\ns: text\n", "e: null\n"], sets: [expression])
        }
    }

    @Test func emptyKeysAreDroppedAndHelmLimitsAreKept() throws {
        let result = try compose(["keep: 1\n"], sets: ["=1", ".a=1", "[0]=1", "x.\(Array(repeating: "k", count: 30).joined(separator: "."))=1", "n[65536]=1"])
        #expect(result.values["keep"] == .int(1))
        #expect(result.values[""] == nil)
        #expect(result.values["x"] != nil)
        if case .list(let items)? = result.values["n"] { #expect(items.count == 65_537) } else { Issue.record("n is not a list") }
    }

    @Test(arguments: ["a", "a.b", "a,b=1", "l[x]=1", "l[0]x=1", "l={a,b"])
    func badExpressionsAreErrors(_ expression: String) {
        var map = OrderedMap()
        #expect(throws: ComposeError.self) { try SetParser.apply(expression, to: &map) }
    }
}

@Suite("Emitter round trip")
struct EmitterTests {
    @Test(arguments: ["on", "Off", "y", "N", "~", "null", "1.10", "0755", "0x1F", "1e3", ".5", "+1", "-", "- x", "a: b", "a #b", "#x", "*ref", "&a", "!tag", "|", ">", "'q'", "\"d\"",
                      "@at", "`tick`", "%p", "trailing ", " leading", "multi\nline", "tab\there", "日本語", "2026-01-01", "12:30", "", "[x]", "{x}", "x,y", "?", ":", "a:"])
    func trickyStringsSurvive(_ s: String) throws {
        var map = OrderedMap()
        map.set("k", .string(s), origin: nil)
        map.set(s.isEmpty ? "empty" : s, .int(1), origin: nil)
        let text = Emitter().emit(map)
        #expect(try values(text) == map, "\(text)")
    }
}

@Suite("overlay chart requirements")
struct OverlayRequirementTests {
    @Test func headerLineIsParsed() throws {
        let r = try #require(OverlayRequirement.parse("# Overlay: x\n# Chart: >= 2.1.14 < 2.1.30 for a thing (why)\nbifrost: {}\n"))
        #expect(r.minimum == ChartVersion("2.1.14") && r.below == ChartVersion("2.1.30") && r.feature == "a thing (why)")
        #expect(r.admits(ChartVersion("2.1.16")!) && !r.admits(ChartVersion("2.1.30")!) && !r.admits(ChartVersion("2.1.13")!))
        #expect(OverlayRequirement.parse("bifrost: {}\n# Chart: >= 1.0.0\n") == nil)
        #expect(ChartVersion.ofChartYAML("name: bifrost\nversion: \"2.1.30\"  # pinned\n") == ChartVersion("2.1.30"))
        #expect(ChartVersion("v2.1.9-rc.1")! < ChartVersion("2.1.14")!)
    }

    @Test func everyShippedOverlayDeclaresItsCharts() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("overlays")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".yaml") {
            let r = OverlayCatalog.requirement(of: dir.appendingPathComponent(file).path)
            #expect(r != nil && !(r?.feature.isEmpty ?? true), "\(file) has no `# Chart: >= …` line")
        }
    }
}
