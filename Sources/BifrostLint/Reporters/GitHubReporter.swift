import YAMLSource

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

    /// Bytes as `escape` would write them: as they stand when nothing needs escaping.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, property: Bool, to out: ReportSink) {
        if !bytes.contains(where: { $0 == 0x25 || $0 == 0x0D || $0 == 0x0A || (property && ($0 == 0x3A || $0 == 0x2C)) }) {
            out.write(bytes)
        } else {
            out.write(escape(String(decoding: bytes, as: UTF8.self), property: property))
        }
    }

    public func write(_ report: LintReport, to out: ReportSink) {
        let findings = report.findings
        out.writeEach(count: findings.count) { i, out in
            findings.withTexts(at: i) { t in
                Self.write(file: t.file, range: t.range, severity: t.severity, code: t.code, name: t.name, message: t.message, to: out)
            }
        }
    }

    // Written in pieces straight to the sink: a stream of old releases has 80,000.
    private static func write(file: UnsafeBufferPointer<UInt8>, range: SourceRange, severity: Severity, code: UnsafeBufferPointer<UInt8>,
                              name: UnsafeBufferPointer<UInt8>, message: UnsafeBufferPointer<UInt8>, to out: ReportSink) {
        let command: String
        switch severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .info: command = "notice"
        }
        out.write("::")
        out.write(command)
        out.write(" file=")
        write(file, property: true, to: out)
        out.write(range, labels: (",line=", ",col=", ",endLine=", ",endColumn="))
        out.write(",title=")
        // Escaping goes a character at a time: code and name are escaped apart, the space between needs none.
        write(code, property: true, to: out)
        out.write(byte: 0x20)
        write(name, property: true, to: out)
        out.write("::")
        write(message, property: false, to: out)
        out.write(byte: 0x0A)
    }
}
