/// SARIF 2.1.0 for GitHub code scanning and other viewers, with every rule's metadata.
public struct SARIFReporter: Reporter {
    let rules: [RuleDescription]

    public init(rules: [RuleDescription]) {
        self.rules = rules
    }

    static let informationURI = "https://github.com/maximhq/bifrost"

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A relative URI reference: path segments percent-encoded, slashes kept.
    static func uri(_ path: String) -> String {
        let name = path == "-" ? "stdin" : (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
        var out = ""
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    public func render(_ report: LintReport) -> String {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        let ruleObjects = rules.map { r in
            JSON.object([
                ("id", JSON.string(r.code)),
                ("name", JSON.string(r.name)),
                ("shortDescription", JSON.object([("text", JSON.string(r.summary))])),
                ("fullDescription", JSON.object([("text", JSON.string(r.rationale))])),
                ("help", JSON.object([("text", JSON.string(r.remediation)), ("markdown", JSON.string(RulePage.render(r)))])),
                ("defaultConfiguration", JSON.object([("level", JSON.string(Self.level(r.severity)))])),
                ("properties", JSON.object([("tags", JSON.array(["\"kubernetes\"", "\"bifrost\""]))])),
            ])
        }
        let results = report.findings.map { f in
            var fields: [(String, String)] = [
                ("ruleId", JSON.string(f.code)),
                ("level", JSON.string(Self.level(f.severity))),
                ("message", JSON.object([("text", JSON.string(f.message))])),
                ("locations", JSON.array([JSON.object([
                    ("physicalLocation", JSON.object([
                        ("artifactLocation", JSON.object([("uri", JSON.string(Self.uri(f.file)))])),
                        ("region", JSON.object([
                            ("startLine", String(f.range.start.line)),
                            ("startColumn", String(f.range.start.column)),
                            ("endLine", String(max(f.range.end.line, f.range.start.line))),
                            ("endColumn", String(max(f.range.end.column, f.range.start.column + (f.range.end.line > f.range.start.line ? 0 : 1)))),
                        ])),
                    ])),
                    ("logicalLocations", JSON.array([JSON.object([("fullyQualifiedName", JSON.string(f.path)), ("kind", JSON.string("member"))])])),
                ])])),
            ]
            if let i = ruleIndex[f.code] { fields.insert(("ruleIndex", String(i)), at: 1) }
            return JSON.object(fields)
        }
        let run = JSON.object([
            ("tool", JSON.object([("driver", JSON.object([
                ("name", JSON.string("kubectl-bifrost")),
                ("informationUri", JSON.string(Self.informationURI)),
                ("rules", JSON.array(ruleObjects)),
            ]))])),
            ("columnKind", JSON.string("unicodeCodePoints")),
            ("results", JSON.array(results)),
        ])
        return JSON.object([
            ("$schema", JSON.string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", JSON.string("2.1.0")),
            ("runs", JSON.array([run])),
        ]) + "\n"
    }
}
