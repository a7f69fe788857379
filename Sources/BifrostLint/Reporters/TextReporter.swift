import YAMLSource

/// `file:line:col: severity CODE name: message`, the source line, and a caret under the range.
public struct TextReporter: Reporter {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    public func render(_ report: LintReport) -> String {
        self.report(report.findings, fileCount: report.files.count)
    }

    public func report(_ findings: [Finding], fileCount: Int) -> String {
        var out = ""
        for f in findings {
            let sev: String
            switch f.severity {
            case .error: sev = paint("error", "1;31")
            case .warning: sev = paint("warning", "1;33")
            case .info: sev = paint("info", "1;36")
            }
            out += "\(paint("\(f.file):\(f.range.start.line):\(f.range.start.column)", "1")): \(sev) \(f.code) \(f.name): \(f.message)\n"
            out += excerpt(f)
        }
        out += summary(findings, fileCount: fileCount) + "\n"
        return out
    }

    func excerpt(_ f: Finding) -> String {
        let line = f.range.start.line
        guard line >= 1 else { return "" }
        let text = f.lineText
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        // Characters are counted, not copied out: an array of them costs 16 bytes each, 1.6 GB
        // for the line of a 100 MB scalar.
        let length = text.count
        let startCol = max(1, f.range.start.column)
        var endCol = f.range.end.line == line ? f.range.end.column : length + 1
        if endCol <= startCol { endCol = startCol + 1 }
        // Keep tabs so the caret lines up under tab-indented text.
        var lead = ""
        for c in text.prefix(startCol - 1) { lead.append(c == "\t" ? "\t" : " ") }
        let caret = String(repeating: "^", count: max(1, min(endCol, length + 1) - startCol))
        return " \(gutter) | \(text)\n \(pad) | \(lead)\(paint(caret, "1;32"))\n"
    }

    public func summary(_ findings: [Finding], fileCount: Int) -> String {
        let files = fileCount == 1 ? "1 file" : "\(fileCount) files"
        guard !findings.isEmpty else { return "No problems found in \(files)." }
        var parts: [String] = []
        for sev in [Severity.error, .warning, .info] {
            let n = findings.filter { $0.severity == sev }.count
            if n > 0 { parts.append("\(n) \(sev.rawValue)\(n == 1 ? "" : "s")") }
        }
        let total = findings.count == 1 ? "1 problem" : "\(findings.count) problems"
        return "Found \(total) (\(parts.joined(separator: ", "))) in \(files)."
    }
}
