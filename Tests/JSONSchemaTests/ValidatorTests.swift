import Testing
import YAMLSource
@testable import JSONSchema

func schema(_ json: String) throws -> Schema {
    try Schema.compile(YAMLParser.parse(name: "schema.json", text: json))
}

func violations(_ s: Schema, _ yaml: String) -> [Violation] {
    let parse = YAMLParser.parse(name: "values.yaml", text: yaml)
    return s.validate(Instance(parse.documents[0].root!))
}

func pointers(_ v: [Violation]) -> [String] { v.map(\.pointer) }

@Suite("JSON Schema validator")
struct ValidatorTests {
    @Test("types as Helm reads YAML: 1 and 1.0 are integers, 1.5 a number, yes a boolean")
    func types() throws {
        let s = try schema(#"{"properties": {"i": {"type": "integer"}, "n": {"type": "number"}, "b": {"type": "boolean"}, "s": {"type": ["string", "null"]}}}"#)
        #expect(violations(s, "i: 1\nn: 1\nb: yes\ns: ~\n").isEmpty)
        #expect(violations(s, "i: 1.0\n").isEmpty)
        #expect(violations(s, "i: 1e3\n").isEmpty)
        let v = violations(s, "i: 1.5\nb: 'yes'\ns: 3\n")
        #expect(pointers(v) == ["/b", "/i", "/s"].sorted() || Set(pointers(v)) == ["/b", "/i", "/s"])
        #expect(v.first { $0.pointer == "/i" }?.message == "got number, want integer")
        #expect(v.first { $0.pointer == "/s" }?.message == "got integer, want string or null")
    }

    /// JSON Schema compares names and strings as code points, and Helm's keys are Go strings:
    /// `café` with `é` and with `e` + U+0301 are two names, two values, two pattern inputs.
    @Test(arguments: [0, 10])
    func namesAndStringsInAnotherNormalFormAreOthers(_ filler: Int) throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let others = (0..<filler).map { "\"k\($0)\": {}" }.joined(separator: ", ")
        let s = try schema(#"{"type": "object", "additionalProperties": false, "required": [""# + nfc + #""], "properties": {""# + nfc + #"": {"type": "string"}"# + (others.isEmpty ? "" : ", " + others) + #"}}"#)
        let extra = (0..<filler).map { "k\($0): 1\n" }.joined()
        let missing = violations(s, extra + "\(nfd): 1\n")
        #expect(Set(missing.map(\.keyword)) == ["required", "additionalProperties"], "\(missing.map(\.message))")
        let both = violations(s, extra + "\(nfc): 1\n\(nfd): x\n")
        #expect(both.contains { $0.keyword == "type" && Array($0.pointer.utf8) == Array("/\(nfc)".utf8) }, "\(both.map(\.message))")
        #expect(violations(try schema(#"{"enum": [""# + nfc + #""]}"#), nfd + "\n").count == 1)
        // A pattern matched on one spelling does not answer for the other.
        let p = try schema(#"{"additionalProperties": {"pattern": "^caf\\u00e9$"}}"#)
        #expect(violations(p, "a: \(nfc)\n").isEmpty)
        #expect(violations(p, "a: \(nfd)\n").count == 1)
        #expect(violations(p, "a: \(nfc)\n").isEmpty)
    }

    @Test("additional property at its key, missing required at the mapping, enum at the value")
    func locations() throws {
        let s = try schema(##"""
        {"type": "object", "additionalProperties": false,
         "properties": {"vk": {"type": "array", "items": {"$ref": "#/$defs/vk"}}},
         "$defs": {"vk": {"type": "object", "required": ["name"], "additionalProperties": false,
                          "properties": {"name": {"type": "string", "description": "Key name"},
                                         "mode": {"enum": ["a", "b"]}}}}}
        """##)
        let v = violations(s, "vk:\n  - name: x\n    mode: c\n  - mode: a\n    extra: 1\ntop: 2\n")
        let byPointer = Dictionary(v.map { ($0.pointer, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byPointer.keys) == ["/vk/0/mode", "/vk/1", "/vk/1/extra", "/top"])
        #expect(byPointer["/vk/0/mode"]?.node?.range.start.line == 3)
        #expect(byPointer["/vk/1"]?.keyword == "required")
        #expect(byPointer["/vk/1"]?.schemaDescription == "Key name")
        #expect(byPointer["/vk/1"]?.node?.range.start.line == 4)
        #expect(byPointer["/vk/1/extra"]?.atKey == true)
        #expect(byPointer["/vk/1/extra"]?.node?.range.start.column == 5)
        #expect(byPointer["/top"]?.node?.range.start.line == 6)
    }

    @Test("draft-07 definitions, $ref replacing its siblings, items arrays")
    func draft07() throws {
        let s = try schema(##"""
        {"$schema": "http://json-schema.org/draft-07/schema#",
         "definitions": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
         "properties": {"p": {"$ref": "#/definitions/port", "type": "string"},
                        "t": {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}}}
        """##)
        #expect(violations(s, "p: 8080\nt: [a, 1]\n").isEmpty)
        #expect(pointers(violations(s, "p: 0\n")) == ["/p"])
        #expect(Set(pointers(violations(s, "t: [1, 1, x]\n"))) == ["/t/0", "/t/2"])
    }

    @Test("2020-12 prefixItems and items; 2019-09 $ref beside siblings")
    func newer() throws {
        let s = try schema(##"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "$defs": {"s": {"type": "string"}},
         "properties": {"t": {"prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
                        "r": {"$ref": "#/$defs/s", "minLength": 3}}}
        """##)
        #expect(violations(s, "t: [a, 1, 2]\nr: abc\n").isEmpty)
        #expect(pointers(violations(s, "t: [a, b]\n")) == ["/t/1"])
        #expect(pointers(violations(s, "r: ab\n")) == ["/r"])
        #expect(pointers(violations(s, "r: 1\n")) == ["/r"])
    }

    @Test("combinators, conditionals and bounds")
    func combinators() throws {
        let s = try schema(##"""
        {"properties": {
          "any": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
          "one": {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
          "all": {"allOf": [{"required": ["a"]}, {"required": ["b"]}]},
          "nt": {"not": {"const": "x"}},
          "cond": {"if": {"properties": {"m": {"const": "p"}}, "required": ["m"]}, "then": {"required": ["dsn"]}, "else": {"required": ["path"]}},
          "s": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 4},
          "u": {"type": "array", "uniqueItems": true, "minItems": 2, "maxItems": 3},
          "num": {"exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5},
          "pp": {"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": {"type": "string"}},
          "e": {"type": "string", "format": "email"}}}
        """##)
        #expect(violations(s, "any: 1\none: {a: 1}\nall: {a: 1, b: 2}\nnt: y\ncond: {m: p, dsn: d}\ns: abc\nu: [1, 2]\nnum: 1.5\npp: {x-a: 1, b: c}\ne: not-an-email\n").isEmpty)
        let v = violations(s, "any: 1.5\none: {a: 1, b: 1}\nall: {c: 1}\nnt: x\ncond: {m: q}\ns: A\nu: [1, 1, 1, 1]\nnum: 0\npp: {x-a: s, b: 1}\n")
        #expect(pointers(v).sorted() == ["/all", "/all", "/any", "/cond", "/nt", "/num", "/one", "/pp/b", "/pp/x-a", "/s", "/s", "/u", "/u"])
        #expect(v.first { $0.pointer == "/cond" }?.message == "missing required property 'path'")
        #expect(pointers(violations(s, "s: Ab\n")) == ["/s"])
        #expect(pointers(violations(s, "s: \"ab\\n\"\n")) == ["/s"])   // `$` is the end, not before a newline
    }

    @Test("enum and const compare as JSON: 1 == 1.0, objects without order")
    func equality() throws {
        let s = try schema(#"{"properties": {"e": {"enum": [1, {"a": 1, "b": [true]}]}, "c": {"const": "on"}}}"#)
        #expect(violations(s, "e: 1.0\nc: \"on\"\n").isEmpty)
        #expect(violations(s, "e: {b: [yes], a: 1}\n").isEmpty)
        #expect(pointers(violations(s, "c: on\n")) == ["/c"])   // a bare on is true
    }

    @Test("merge keys and aliases are followed; the last of repeated keys counts")
    func yamlShapes() throws {
        let s = try schema(#"{"additionalProperties": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}}"#)
        #expect(violations(s, "base: &b {a: 1}\nx:\n  <<: *b\ny: *b\n").isEmpty)
        #expect(pointers(violations(s, "x: {a: s, a: 2}\n")).isEmpty)
    }

    @Test("boolean schemas, dependentRequired, propertyNames, unresolvable references")
    func rest() throws {
        let s = try schema(#"{"properties": {"nope": false, "d": {"dependentRequired": {"a": ["b"]}, "propertyNames": {"pattern": "^[a-c]$"}}}}"#)
        #expect(pointers(violations(s, "nope: 1\n")) == ["/nope"])
        #expect(Set(pointers(violations(s, "d: {a: 1, d: 2}\n"))) == ["/d", "/d/d"])
        #expect(throws: Schema.CompileError.self) { try schema(##"{"$ref": "#/$defs/missing"}"##) }
        #expect(throws: Schema.CompileError.self) { try schema(##"{"$ref": "other.json#/x"}"##) }
        let recursive = try schema(##"{"$defs": {"t": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/t"}}}, "additionalProperties": false}}, "$ref": "#/$defs/t"}"##)
        #expect(pointers(violations(recursive, "kids: [{kids: [{x: 1}]}]\n")) == ["/kids/0/kids/0/x"])
    }
}
