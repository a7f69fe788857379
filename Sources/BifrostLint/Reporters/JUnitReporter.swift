/// JUnit XML, shaped for CI dashboards (GitLab, Jenkins, Azure DevOps, GitHub test-report
/// actions): one `<testsuite>` per checked file, one `<testcase>` per rule run on it, and one
/// `<failure>` in a testcase whose rule found something there, listing every finding with its
/// `file:line:column`. So `tests` is files × rules, `failures` the file × rule pairs with
/// findings, and `tests >= failures` always: dashboards read "3 of 75 checks failed" instead
/// of more failures than tests. (A testcase per finding was the alternative; dashboards and
/// the Ant/Jenkins schema allow at most one failure per testcase, and a clean file would then
/// count no tests.)
public struct JUnitReporter: Reporter {
    /// The rules that ran, each a testcase of every file.
    let rules: [RuleDescription]

    public init(rules: [RuleDescription] = []) {
        self.rules = rules
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 cannot carry other control characters at all.
                if scalar.value < 0x20 { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    public func write(_ report: LintReport, to out: ReportSink) {
        // Indices, not copies: a report may hold tens of thousands of findings.
        var byFile: [String: [Int]] = [:]
        for (i, f) in report.findings.enumerated() { byFile[f.file, default: []].append(i) }
        var files = report.files
        var seenFiles = Set(files)
        for f in report.findings where !seenFiles.contains(f.file) {
            files.append(f.file)
            seenFiles.insert(f.file)
        }
        // The rules that ran, then any code found that is not among them (input errors).
        var checks: [(code: String, name: String)] = rules.map { ($0.code, $0.name) }
        var known = Set(checks.map(\.code))
        for f in report.findings where !known.contains(f.code) {
            checks.append((f.code, f.name))
            known.insert(f.code)
        }
        // The totals head the document: counted before any suite is written.
        var totalFailures = 0
        for file in files {
            var codes = Set<String>()
            for i in byFile[file] ?? [] { codes.insert(report.findings[i].code) }
            totalFailures += checks.filter { codes.contains($0.code) }.count
        }
        let totalTests = files.count * checks.count
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.write("<testsuites name=\"kubectl-bifrost\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\">\n")
        for file in files {
            var byRule: [String: [Int]] = [:]
            for i in byFile[file] ?? [] { byRule[report.findings[i].code, default: []].append(i) }
            let failures = checks.filter { byRule[$0.code] != nil }.count
            let name = Self.escape(file)
            out.write("  <testsuite name=\"\(name)\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n")
            for check in checks {
                let testName = Self.escape("\(check.code) \(check.name)")
                guard let found = byRule[check.code] else {
                    out.write("    <testcase classname=\"\(name)\" name=\"\(testName)\"/>\n")
                    continue
                }
                let count = found.count == 1 ? "1 finding" : "\(found.count) findings"
                let first = report.findings[found[0]]
                let message = "\(count); first at line \(first.range.start.line): \(first.message)"
                out.write("    <testcase classname=\"\(name)\" name=\"\(testName)\">\n")
                out.write("      <failure type=\"\(testName)\" message=\"\(Self.escape(message))\">")
                for (n, i) in found.enumerated() {
                    let f = report.findings[i]
                    out.write(Self.escape((n > 0 ? "\n" : "") + "\(f.file):\(f.range.start.line):\(f.range.start.column): \(f.severity.rawValue) \(f.code) \(f.name): \(f.message)"))
                }
                out.write("</failure>\n")
                out.write("    </testcase>\n")
            }
            out.write("  </testsuite>\n")
        }
        out.write("</testsuites>\n")
    }
}
