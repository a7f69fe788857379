import YAMLSource

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
            if i > 0 { out.write(",\n    ") }
            findings.withTexts(at: i) { t in
                Self.write(code: t.code, name: t.name, severity: t.severity, message: t.message, file: t.file, range: t.range,
                           path: t.path, fixable: t.fixable, to: out)
            }
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

    /// One finding in `JSON.object`'s layout.
    private static func write(code: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>, severity: Severity,
                              message: UnsafeBufferPointer<UInt8>, file: UnsafeBufferPointer<UInt8>, range: SourceRange,
                              path: UnsafeBufferPointer<UInt8>, fixable: Bool, to out: ReportSink) {
        out.write("{\"code\":")
        out.write(json: code)
        out.write(",\"name\":")
        out.write(json: name)
        out.write(",\"severity\":")
        out.write(json: severity.rawValue)
        out.write(",\"message\":")
        out.write(json: message)
        out.write(",\"file\":")
        out.write(json: file)
        out.write(range, labels: (",\"line\":", ",\"column\":", ",\"endLine\":", ",\"endColumn\":"))
        out.write(",\"path\":")
        out.write(json: path)
        out.write(fixable ? ",\"fixable\":true}" : ",\"fixable\":false}")
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
