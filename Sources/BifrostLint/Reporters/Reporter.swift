/// What a report is made of: the findings of a run and the files it read.
public struct LintReport: Sendable {
    public let findings: FindingList
    public let files: [String]
    /// The deployed Helm releases linted, when release records were among the inputs (else
    /// empty, and the report is what it was before release records).
    public let releases: [ReleaseSummary]

    public init(findings: [Finding], files: [String], releases: [ReleaseSummary] = []) {
        self.findings = FindingList(findings)
        self.files = files
        self.releases = releases
    }

    public init(findings: FindingList, files: [String], releases: [ReleaseSummary] = []) {
        self.findings = findings
        self.files = files
        self.releases = releases
    }

    func count(_ severity: Severity) -> Int {
        findings.count(severity)
    }
}

/// One output format, written as it is made (see `ReportSink`).
public protocol Reporter {
    func write(_ report: LintReport, to out: ReportSink)
}

extension Reporter {
    /// The whole report as one String (tests, small reports).
    public func render(_ report: LintReport) -> String {
        let sink = ReportSink()
        write(report, to: sink)
        return sink.finish()
    }
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github

    /// `version` and `sourceRoot` (the working directory) are for SARIF.
    public func reporter(color: Bool, rules: [RuleDescription], version: String? = nil, sourceRoot: String? = nil) -> any Reporter {
        switch self {
        case .text: return TextReporter(color: color)
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter(rules: rules, version: version, sourceRoot: sourceRoot)
        case .junit: return JUnitReporter(rules: rules)
        case .github: return GitHubReporter()
        }
    }
}

/// Minimal JSON building with a fixed key order, so output is stable and diffable.
enum JSON {
    static func string(_ s: String) -> String {
        DoubleQuoted.quote(s)
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }
}
