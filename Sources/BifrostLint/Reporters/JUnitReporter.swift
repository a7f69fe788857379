/// JUnit XML: one testcase per file, one failure per finding.
public struct JUnitReporter: Reporter {
    public init() {}

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

    public func render(_ report: LintReport) -> String {
        var byFile: [String: [Finding]] = [:]
        for f in report.findings { byFile[f.file, default: []].append(f) }
        var files = report.files
        for f in report.findings where !files.contains(f.file) { files.append(f.file) }
        let failures = report.findings.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"kubectl-bifrost\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"kubectl-bifrost\" tests=\"\(files.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for file in files {
            let found = byFile[file] ?? []
            if found.isEmpty {
                out += "    <testcase classname=\"kubectl-bifrost\" name=\"\(Self.escape(file))\"/>\n"
                continue
            }
            out += "    <testcase classname=\"kubectl-bifrost\" name=\"\(Self.escape(file))\">\n"
            for f in found {
                let where_ = "\(f.file):\(f.range.start.line):\(f.range.start.column)"
                out += "      <failure type=\"\(f.code) \(f.name)\" message=\"\(Self.escape(f.message))\">\(Self.escape("\(where_): \(f.severity.rawValue) \(f.code) \(f.name): \(f.message)"))</failure>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
