/// SPEC's JSON shape: `{"findings":[…],"summary":{…}}`, one finding per line for readable diffs;
/// `"releases":[…]` comes first when Helm release records were linted.
public struct JSONReporter: Reporter {
    public init() {}

    public func write(_ report: LintReport, to out: ReportSink) {
        out.write("{\n" + releases(report.releases) + "  \"findings\": ")
        out.write(report.findings.isEmpty ? "[]" : "[\n    ")
        for (i, f) in report.findings.enumerated() {
            if i > 0 { out.write(",\n    ") }
            out.write(JSON.object([
                ("code", JSON.string(f.code)),
                ("name", JSON.string(f.name)),
                ("severity", JSON.string(f.severity.rawValue)),
                ("message", JSON.string(f.message)),
                ("file", JSON.string(f.file)),
                ("line", String(f.range.start.line)),
                ("column", String(f.range.start.column)),
                ("endLine", String(f.range.end.line)),
                ("endColumn", String(f.range.end.column)),
                ("path", JSON.string(f.path)),
                ("fixable", f.fixable ? "true" : "false"),
            ]))
        }
        if !report.findings.isEmpty { out.write("\n  ]") }
        let summary = JSON.object([
            ("files", String(report.files.count)),
            ("findings", String(report.findings.count)),
            ("errors", String(report.count(.error))),
            ("warnings", String(report.count(.warning))),
            ("infos", String(report.count(.info))),
        ])
        out.write(",\n  \"summary\": \(summary)\n}\n")
    }

    /// `"releases": […]` first, one deployed Helm release per line, when release records were
    /// among the inputs; nothing otherwise.
    func releases(_ releases: [ReleaseSummary]) -> String {
        guard !releases.isEmpty else { return "" }
        let rows = releases.map { r in
            JSON.object([
                ("namespace", JSON.string(r.namespace)),
                ("release", JSON.string(r.release)),
                ("revision", String(r.revision)),
                ("chartVersion", r.chartVersion.map(JSON.string) ?? "null"),
                ("errors", String(r.errors)),
                ("warnings", String(r.warnings)),
                ("infos", String(r.infos)),
                ("fixable", String(r.fixable)),
                ("record", JSON.string(r.origin)),
            ])
        }
        return "  \"releases\": [\n    " + rows.joined(separator: ",\n    ") + "\n  ],\n"
    }
}
