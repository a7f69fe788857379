/// GitHub Actions workflow commands: annotations on the pull request diff.
public struct GitHubReporter: Reporter {
    public init() {}

    static func escape(_ s: String, property: Bool) -> String {
        // Nearly every string has nothing to escape: returned as it is, without walking its scalars.
        if !s.utf8.contains(where: { $0 == 0x25 || $0 == 0x0D || $0 == 0x0A || (property && ($0 == 0x3A || $0 == 0x2C)) }) {
            return s
        }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func escapeData(_ s: String) -> String { escape(s, property: false) }
    static func escapeProperty(_ s: String) -> String { escape(s, property: true) }

    public func write(_ report: LintReport, to out: ReportSink) {
        let findings = report.findings
        out.writeEach(count: findings.count) { i, out in
            let f = findings[i]
            let command: String
            switch f.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            // Written in pieces straight to the sink: a stream of old releases has 80,000.
            out.write("::")
            out.write(command)
            out.write(" file=")
            out.write(Self.escapeProperty(f.file))
            out.write(",line=")
            out.write(f.range.start.line)
            out.write(",col=")
            out.write(f.range.start.column)
            out.write(",endLine=")
            out.write(f.range.end.line)
            out.write(",endColumn=")
            out.write(f.range.end.column)
            out.write(",title=")
            out.write(Self.escapeProperty(f.code + " " + f.name))
            out.write("::")
            out.write(Self.escapeData(f.message))
            out.write(byte: 0x0A)
        }
    }
}
