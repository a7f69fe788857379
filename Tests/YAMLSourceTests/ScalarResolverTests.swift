import Testing
@testable import YAMLSource

@Suite("YAML 1.1 scalar resolution (sigs.k8s.io/yaml)")
struct ScalarResolverTests {
    static let table: [(String, ScalarValue)] = [
        ("y", .bool(true)), ("Y", .bool(true)), ("yes", .bool(true)), ("On", .bool(true)), ("TRUE", .bool(true)),
        ("n", .bool(false)), ("no", .bool(false)), ("off", .bool(false)), ("False", .bool(false)),
        ("~", .null), ("null", .null), ("", .null), ("NULL", .null),
        ("10102", .int(10102)), ("-3", .int(-3)), ("+7", .int(7)), ("0x1F", .int(31)), ("0o17", .int(15)),
        ("017", .int(15)), ("0b101", .int(5)), ("1_000", .int(1000)), ("0", .int(0)),
        ("999999999999999999", .int(999_999_999_999_999_999)), ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)), ("9223372036854775808", .float(9223372036854775808)), ("10Gi", .string("10Gi")),
        ("1.10", .float(1.1)), ("1e3", .float(1000)), (".5", .float(0.5)), ("09", .float(9)),
        ("2.1.14", .string("2.1.14")), ("bifrost", .string("bifrost")), ("yes!", .string("yes!")),
        ("0x", .string("0x")), ("1.2.3-rc1", .string("1.2.3-rc1")), ("-", .string("-")),
        // Words Swift's Double would read, which go-yaml leaves as strings.
        ("nan", .string("nan")), ("NaN", .string("NaN")), ("Inf", .string("Inf")), ("infinity", .string("infinity")),
    ]

    @Test(arguments: table.indices)
    func plain(_ i: Int) {
        let (text, expected) = Self.table[i]
        let actual = ScalarResolver.resolve(text: text, style: .plain, tag: nil)
        #expect(actual == expected, "\(text)")
    }

    @Test func quotedScalarsStayStrings() {
        #expect(ScalarResolver.resolve(text: "yes", style: .doubleQuoted, tag: nil) == .string("yes"))
        #expect(ScalarResolver.resolve(text: "10", style: .singleQuoted, tag: nil) == .string("10"))
    }

    @Test func specialFloats() {
        #expect(ScalarResolver.resolve(text: ".inf", style: .plain, tag: nil) == .float(.infinity))
        #expect(ScalarResolver.resolve(text: "-.Inf", style: .plain, tag: nil) == .float(-.infinity))
        if case .float(let d) = ScalarResolver.resolve(text: ".nan", style: .plain, tag: nil) { #expect(d.isNaN) } else { Issue.record("nan") }
    }

    @Test func explicitTagsWin() {
        #expect(ScalarResolver.resolve(text: "yes", style: .plain, tag: "tag:yaml.org,2002:str") == .string("yes"))
        #expect(ScalarResolver.resolve(text: "12", style: .doubleQuoted, tag: "tag:yaml.org,2002:int") == .int(12))
    }

    @Test func helmKeyStrings() throws {
        let r = try #require(YAMLParser.parse(name: "v", text: "y: 1\n10: 2\n~: 3\n").documents.first?.root)
        #expect(r.pairs.map(\.key.keyString) == ["true", "10", "null"])
        #expect(r["true"]?.int == 1)
    }

    /// The parser settles most plain scalars from their bytes (words, plain decimals, text that
    /// cannot be a number); whatever it settles must be what the general rules say.
    @Test func theParsersShortcutsAgreeWithTheRules() throws {
        let fixed = ["1M", "1e3", "0x1F", "0o17", "0b101", "017", "1_000", "+12", "-0", ".5", "5.", "-.inf", ".NaN", ".nan", ".Inf", "1.5e-3",
                     "10.0.0.1", "1/2", "1:20", "0xZZ", "1e", "Yes", "yes", "YES", "yEs", "On", "off", "OFF", "n", "N", "y", "~", "Null", "nULL",
                     "True", "tRUE", "None", "TCP", "o", "f", "ff", "nan", "inf", "e1", "_1", "1__2", "12345678901234567890", "-9223372036854775808"]
        var g = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789+-._eExXoObBaAfFiInNyYtTsM~")
        let random = (0..<3000).map { _ in String((0..<Int.random(in: 1...6, using: &g)).map { _ in alphabet.randomElement(using: &g)! }) }
        for text in fixed + random {
            // Only what YAML reads back as this very plain scalar.
            let parse = YAMLParser.parse(name: "t.yaml", text: "k: \(text)\n")
            guard parse.error == nil, let node = parse.documents.first?.root?["k"], node.scalar?.style == .plain, node.scalar?.text == text else { continue }
            let expected = ScalarResolver.resolvePlain(text)
            let got = node.value
            if case .float(let e) = expected, e.isNaN, case .float(let v) = got, v.isNaN { continue }
            #expect(got == expected, "\(text)")
        }
    }
}

@Suite("Double-quoted strings")
struct DoubleQuotedTests {
    /// The escaping a scalar at a time, as it was written first: the oracle for the byte-wise one.
    static func oracle(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{FEFF}" {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test(arguments: ["plain", "write [\"*\"] to allow all", "a\\b\n\r\t\u{0}\u{1B}\u{7F}", "\u{85}\u{2028}\u{2029}\u{FEFF}é😀\u{80}\u{2027}\u{202A}", "", "\u{FEFE}\u{C285}"])
    func sameAsScalarWise(_ s: String) {
        #expect(DoubleQuoted.quote(s) == Self.oracle(s))
    }
}
