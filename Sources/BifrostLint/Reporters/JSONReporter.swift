/// SPEC's JSON shape: `{"findings":[…],"summary":{…}}`, one finding per line for readable diffs;
/// `"releases":[…]` comes first when Helm release records were linted.
public struct JSONReporter: Reporter {
    public init() {}

    public func write(_ report: LintReport, to out: ReportSink) {
        out.write("{\n" + releases(report.releases) + "  \"findings\": ")
        out.write(report.findings.isEmpty ? "[]" : "[\n    ")
        // Each finding written in pieces straight to the sink, in `JSON.object`'s layout: a
        // stream of old releases has 80,000.
        let findings = report.findings
        out.writeEach(count: findings.count) { i, out in
            let f = findings[i]
            if i > 0 { out.write(",\n    ") }
            out.write("{\"code\":")
            out.write(json: f.code)
            out.write(",\"name\":")
            out.write(json: f.name)
            out.write(",\"severity\":")
            out.write(json: f.severity.rawValue)
            out.write(",\"message\":")
            out.write(json: f.message)
            out.write(",\"file\":")
            out.write(json: f.file)
            out.write(",\"line\":")
            out.write(f.range.start.line)
            out.write(",\"column\":")
            out.write(f.range.start.column)
            out.write(",\"endLine\":")
            out.write(f.range.end.line)
            out.write(",\"endColumn\":")
            out.write(f.range.end.column)
            out.write(",\"path\":")
            out.write(json: f.path)
            out.write(f.fixable ? ",\"fixable\":true}" : ",\"fixable\":false}")
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
