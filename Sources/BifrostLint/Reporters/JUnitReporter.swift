import YAMLSource

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
        var copy = s
        let escaped: String? = copy.withUTF8 { bytes in
            // Nearly every string has nothing to escape: returned as it is.
            if bytes.allSatisfy({ ($0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
                return nil
            }
            // On bytes: every byte to replace is ASCII, and no byte of a multi-byte character is.
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for b in bytes {
                switch b {
                case 0x26: out += Array("&amp;".utf8)
                case 0x3C: out += Array("&lt;".utf8)
                case 0x3E: out += Array("&gt;".utf8)
                case 0x22: out += Array("&quot;".utf8)
                case 0x27: out += Array("&apos;".utf8)
                case 0x09, 0x0A, 0x0D: out.append(b)
                // XML 1.0 cannot carry other control characters at all.
                case 0..<0x20: out.append(0x3F)
                default: out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? s
    }

    /// Stored bytes as `escape` writes their String: as they stand when they are printable
    /// ASCII with nothing to escape.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, to out: ReportSink) {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            out.write(bytes)
        } else if bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII (messages quote `["*"]`): escaped into the sink byte for byte as `escape`
            // escapes, without two Strings made.
            for b in bytes {
                switch b {
                case 0x26: out.write("&amp;")
                case 0x3C: out.write("&lt;")
                case 0x3E: out.write("&gt;")
                case 0x22: out.write("&quot;")
                case 0x27: out.write("&apos;")
                case 0x09, 0x0A, 0x0D: out.write(byte: b)
                case 0..<0x20: out.write(byte: 0x3F)
                default: out.write(byte: b)
                }
            }
        } else {
            out.write(escape(String(decoding: bytes, as: UTF8.self)))
        }
    }

    public func write(_ report: LintReport, to out: ReportSink) {
        // One pass over the findings, keeping indices (a report may hold tens of thousands):
        // each finding's file, and its check as an index into `checks`.
        // Files by their bytes: two names that differ only in Unicode normalisation are two files.
        var byFile: [ExactString: [Int]] = [:]
        var files = report.files
        var seenFiles = Set(files.map(ExactString.init))
        // The rules that ran, then any code found that is not among them (input errors).
        var checks: [(code: String, name: String)] = rules.map { ($0.code, $0.name) }
        var checkIndex: [String: Int] = [:]
        for (i, check) in checks.enumerated() where checkIndex[check.code] == nil { checkIndex[check.code] = i }
        var checkOf: [Int32] = []
        checkOf.reserveCapacity(report.findings.count)
        // The check of a code: its rule's, or a new one named after the first finding of it.
        func check(code: String, name: @autoclosure () -> String) -> Int32 {
            if checkIndex[code] == nil {
                checkIndex[code] = checks.count
                checks.append((code, name()))
            }
            return Int32(checkIndex[code]!)
        }
        if report.findings.isCompact {
            // By the string table's ids first: files and codes are few, findings many, and a
            // String made and hashed for each was most of this pass.
            // A file's findings are neighbours in report order, and so, often, are a code's: each
            // is looked up only when it differs from the last one's.
            var fileOrder: [Int32] = []
            var byFileID: [Int32: [Int]] = [:]
            var checkOfCode: [Int32: Int32] = [:]
            var lastCode: Int32 = -1, lastCheck: Int32 = 0
            var run: (file: Int32, indices: [Int])?
            for i in report.findings.indices {
                guard let (c, strings) = report.findings.compact(at: i) else { continue }
                if run?.file != c.file {
                    if let (file, indices) = run { byFileID[file, default: []] += indices }
                    if byFileID[c.file] == nil { fileOrder.append(c.file) }
                    run = (c.file, [])
                }
                run!.indices.append(i)
                if c.code != lastCode {
                    if let check = checkOfCode[c.code] {
                        lastCheck = check
                    } else {
                        lastCheck = check(code: strings[c.code], name: strings[c.name])
                        checkOfCode[c.code] = lastCheck
                    }
                    lastCode = c.code
                }
                checkOf.append(lastCheck)
            }
            if let (file, indices) = run { byFileID[file, default: []] += indices }
            if let strings = report.findings.strings {
                for id in fileOrder {
                    let file = strings[id]
                    byFile[ExactString(file), default: []] += byFileID[id] ?? []
                    if seenFiles.insert(ExactString(file)).inserted {
                        files.append(file)
                    }
                }
            }
        } else {
            for i in report.findings.indices {
                let file = report.findings.file(at: i), code = report.findings.code(at: i)
                byFile[ExactString(file), default: []].append(i)
                if seenFiles.insert(ExactString(file)).inserted {
                    files.append(file)
                }
                checkOf.append(check(code: code, name: report.findings[i].name))
            }
        }
        // A check is failed in a file when a finding of its code is there (a code listed twice
        // among the rules fails at each place, as before).
        // A finding's check is its code's first (`checkIndex`): grouped by that index, not by
        // hashing each finding's code.
        func failedChecks(_ indices: [Int]) -> [Int: [Int]] {
            var byFirst = [[Int]](repeating: [], count: checks.count)
            for i in indices { byFirst[Int(checkOf[i])].append(i) }
            var out: [Int: [Int]] = [:]
            for (c, check) in checks.enumerated() {
                let found = byFirst[checkIndex[check.code]!]
                if !found.isEmpty { out[c] = found }
            }
            return out
        }
        // The totals head the document: counted before any suite is written.
        let failed = files.map { failedChecks(byFile[ExactString($0)] ?? []) }
        let totalFailures = failed.reduce(0) { $0 + $1.count }
        let totalTests = files.count * checks.count
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.write("<testsuites name=\"kubectl-bifrost\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\">\n")
        for (file, byRule) in zip(files, failed) {
            let name = Self.escape(file)
            out.write("  <testsuite name=\"\(name)\" tests=\"\(checks.count)\" failures=\"\(byRule.count)\" errors=\"0\" skipped=\"0\">\n")
            for (c, check) in checks.enumerated() {
                let testName = Self.escape("\(check.code) \(check.name)")
                guard let found = byRule[c] else {
                    out.write("    <testcase classname=\"\(name)\" name=\"\(testName)\"/>\n")
                    continue
                }
                let count = found.count == 1 ? "1 finding" : "\(found.count) findings"
                let first = report.findings[found[0]]
                let message = "\(count); first at line \(first.range.start.line): \(first.message)"
                out.write("    <testcase classname=\"\(name)\" name=\"\(testName)\">\n")
                out.write("      <failure type=\"\(testName)\" message=\"\(Self.escape(message))\">")
                // One line a finding, made on every core (a stream of old releases has 80,000).
                let findings = report.findings
                out.writeEach(count: found.count) { n, out in
                    // `file:line:column: severity CODE name: message`. Escaping goes a byte at a
                    // time, so each text is escaped apart (what lies between needs none).
                    if n > 0 { out.write(byte: 0x0A) }
                    findings.withTexts(at: found[n]) { t in
                        Self.write(t.file, to: out)
                        out.write(byte: 0x3A)
                        out.write(t.range.start.line)
                        out.write(byte: 0x3A)
                        out.write(t.range.start.column)
                        out.write(": ")
                        out.write(t.severity.rawValue)
                        out.write(byte: 0x20)
                        Self.write(t.code, to: out)
                        out.write(byte: 0x20)
                        Self.write(t.name, to: out)
                        out.write(": ")
                        Self.write(t.message, to: out)
                    }
                }
                out.write("</failure>\n")
                out.write("    </testcase>\n")
            }
            out.write("  </testsuite>\n")
        }
        out.write("</testsuites>\n")
    }
}
