import YAMLSource

/// `file:line:col: severity CODE name: message`, the source line, and a caret under the range.
public struct TextReporter: Reporter, Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    public func write(_ report: LintReport, to out: ReportSink) {
        out.write(releaseTable(report.releases))
        write(report.findings, to: out)
        out.write(summary(report.findings, fileCount: report.files.count) + "\n")
    }

    /// The findings with their excerpts, without the summary line (`--quiet`).
    public func writeFindingsOnly(_ report: LintReport, to out: ReportSink) {
        write(report.findings, to: out)
    }

    /// One row per deployed Helm release linted, before the findings (nothing without release
    /// records): where it runs, its chart version and the counts of its decoded files' findings.
    ///
    ///     NAMESPACE  RELEASE  REVISION  CHART  ERRORS  WARNINGS  FIXABLE
    ///     llm        gw       7         2.1.9  3       2         1
    public func releaseTable(_ releases: [ReleaseSummary]) -> String {
        guard !releases.isEmpty else { return "" }
        let header = ["NAMESPACE", "RELEASE", "REVISION", "CHART", "ERRORS", "WARNINGS", "FIXABLE"]
        let rows = releases.map { r in
            [r.namespace, r.release, String(r.revision), r.chartVersion ?? "(none)",
             String(r.errors), String(r.warnings), String(r.fixable)].map { Self.clipped(Self.visible($0), to: 63) }
        }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String.spaces(widths[i] - cell.count + 2)
            }.joined()
        }
        let noun = releases.count == 1 ? "release" : "releases"
        return "\(releases.count) Helm \(noun) (the deployed revision of each):\n" + paint(line(header), "1") + "\n"
            + rows.map { line($0) + "\n" }.joined() + "\n"
    }

    /// The findings with their excerpts, without the summary line (`--quiet`).
    public func findingsOnly(_ report: LintReport) -> String {
        let sink = ReportSink()
        write(report.findings, to: sink)
        return sink.finish()
    }

    public func report(_ findings: [Finding], fileCount: Int) -> String {
        let sink = ReportSink()
        write(LintReport(findings: findings, files: Array(repeating: "", count: fileCount)), to: sink)
        return sink.finish()
    }

    func write(_ findings: FindingList, to out: ReportSink) {
        // Written in pieces straight to the sinks, on every core: a stream of old releases has
        // 80,000. A kept finding is written from its stored bytes, without making it whole.
        out.writeEach(count: findings.count) { i, sink in
            findings.withTexts(at: i) { t in
                write(file: t.file, range: t.range, severity: t.severity, code: t.code, name: t.name, message: t.message, to: sink)
                excerpt(line: t.line, range: t.range, to: sink)
            }
        }
    }

    /// The finding's first line. Text that is printable ASCII (nearly all) is written as it
    /// stands; anything else goes through `visible` (and the message through `clipped`).
    private func write(file: UnsafeBufferPointer<UInt8>, range: SourceRange, severity: Severity, code: UnsafeBufferPointer<UInt8>,
                       name: UnsafeBufferPointer<UInt8>, message: UnsafeBufferPointer<UInt8>, to out: ReportSink) {
        let sev: String, sevColor: String
        switch severity {
        case .error: (sev, sevColor) = ("error", "1;31")
        case .warning: (sev, sevColor) = ("warning", "1;33")
        case .info: (sev, sevColor) = ("info", "1;36")
        }
        // Line 0: not a place in a file (a `--set` argument of compose): the name alone.
        open("1", out)
        if Self.allPlain(file) { out.write(file) } else { out.write(Self.visible(String(decoding: file, as: UTF8.self))) }
        if range.start.line >= 1 {
            out.write(byte: 0x3A)
            out.write(range.start.line)
            out.write(byte: 0x3A)
            out.write(range.start.column)
        }
        close(out)
        out.write(": ")
        open(sevColor, out)
        out.write(sev)
        close(out)
        out.write(byte: 0x20)
        out.write(code)
        out.write(byte: 0x20)
        out.write(name)
        out.write(": ")
        if message.count <= Self.messageLimit, Self.allPlain(message) {
            out.write(message)
        } else {
            out.write(Self.clipped(Self.visible(String(decoding: message, as: UTF8.self)), to: Self.messageLimit))
        }
        out.write(byte: 0x0A)
    }

    private func open(_ code: String, _ out: ReportSink) {
        guard color else { return }
        out.write("\u{1B}[" + code + "m")
    }

    private func close(_ out: ReportSink) {
        if color { out.write("\u{1B}[0m") }
    }

    /// Longest message and source window printed: a minified JSON line or a 100 MB scalar must
    /// not become a report line of the same size.
    static let messageLimit = 400
    static let windowWidth = 120

    /// The source line (`bytes`, the text of the range's first line) with a caret line under the range.
    func excerpt(line bytes: UnsafeBufferPointer<UInt8>, range: SourceRange, to out: ReportSink) {
        let line = range.start.line
        guard line >= 1 else { return }
        // Columns count characters of the source line as libyaml does (code points, so `é`
        // written as e + U+0301 is two); escaping widens some, so the window is cut from the
        // source first and each code point escaped on its own.
        // Only the window's characters are made, whatever the length of the line.
        let startCol = max(1, range.start.column)
        let lo = max(0, startCol - 1 - Self.windowWidth / 3)
        // Printable ASCII and tabs up to the window's end (nearly every line): one byte is one
        // column, one character and one cell, and nothing needs escaping, so the window is cut
        // from the bytes. What follows the window only decides the trailing ellipsis.
        let done: Bool = {
            let upTo = min(bytes.count, lo + Self.windowWidth + 1)
            guard Self.allPlain(UnsafeBufferPointer(rebasing: bytes[..<upTo])) else { return false }
            let window = bytes[min(lo, upTo)..<upTo]
            let hi = lo + min(window.count, Self.windowWidth)
            let endCol = min(max(range.end.line == line ? range.end.column : hi + 1, startCol + 1), hi + 1)
            let shown = window.prefix(Self.windowWidth)
            let first = min(startCol - 1 - lo, shown.count), last = max(first, min(endCol - 1 - lo, shown.count))
            out.write(byte: 0x20)
            out.write(line)
            out.write(" | ")
            if lo > 0 { out.write("…") }
            out.write(UnsafeBufferPointer(rebasing: shown))
            if window.count > Self.windowWidth { out.write("…") }
            out.write("\n ")
            out.write(byte: 0x20, count: Self.digits(line))
            out.write(" | ")
            if lo > 0 { out.write(byte: 0x20) }
            // Tabs stay tabs, so the caret lines up under tab-indented text.
            let lead = shown.prefix(first)
            if lead.contains(0x09) {
                for b in lead { out.write(byte: b == 0x09 ? 0x09 : 0x20) }
            } else {
                out.write(byte: 0x20, count: lead.count)
            }
            open("1;32", out)
            out.write(byte: 0x5E, count: max(1, last - first))
            close(out)
            out.write(byte: 0x0A)
            return true
        }()
        if done { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let gutter = String(line)
        let pad = String.spaces(gutter.count)
        let window = text.unicodeScalars.dropFirst(lo).prefix(Self.windowWidth + 1).map(Character.init)
        let hi = lo + min(window.count, Self.windowWidth)
        let endCol = min(max(range.end.line == line ? range.end.column : hi + 1, startCol + 1), hi + 1)
        let shown = window.prefix(Self.windowWidth).map(Self.visible)
        let head = lo > 0 ? "…" : "", tail = window.count > Self.windowWidth ? "…" : ""
        // Keep tabs so the caret lines up under tab-indented text.
        // A position past the line's end (end of file) puts the caret just after the text.
        let first = min(startCol - 1 - lo, shown.count), last = max(first, min(endCol - 1 - lo, shown.count))
        // Columns count characters, but a terminal gives CJK and emoji two cells: the caret
        // line counts cells.
        let lead = (lo > 0 ? " " : "") + shown[..<first].map { $0 == "\t" ? "\t" : String.spaces(Self.cells($0)) }.joined()
        let caretCount = shown[first..<last].reduce(0) { $0 + Self.cells($1) }
        let caret = String(repeating: "^", count: max(1, caretCount))
        out.write(" \(gutter) | \(head)\(shown.joined())\(tail)\n \(pad) | \(lead)\(paint(caret, "1;32"))\n")
    }

    static func digits(_ n: Int) -> Int {
        var n = n, count = 1
        while n >= 10 { n /= 10; count += 1 }
        return count
    }

    /// Terminal cells of shown text: 2 for East Asian Wide and Fullwidth characters and emoji
    /// shown as emoji, 0 for combining marks and zero-width format characters, 1 otherwise.
    static func cells(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + cells($1) }
    }

    static func cells(_ u: Unicode.Scalar) -> Int {
        if u.isASCII { return 1 }
        // VS16 asks for the emoji form, two cells: it adds the one the character before lacks.
        if u == "\u{FE0F}" { return 1 }
        if u.properties.isEmojiPresentation { return 2 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch u.value {
        // A simplified East Asian Width table (Wide and Fullwidth): Hangul Jamo, CJK radicals to
        // CJK symbols, kana, CJK Unified (with extension A and the compatibility block), Yi,
        // Hangul syllables, vertical and small forms, fullwidth forms, planes 2 and 3.
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    /// Text from a file as it may reach a terminal or a CI log: control characters (which could
    /// clear the screen, or start a line GitHub Actions runs as a workflow command), bidi
    /// overrides and line separators are written as escapes.
    static func visible(_ s: String) -> String {
        // Printable ASCII (nearly everything): nothing hidden, without walking its scalars.
        var s = s
        if s.withUTF8(allPlain) { return s }
        guard s.unicodeScalars.contains(where: isHidden) else { return s }
        return s.map(visible).joined()
    }

    static func visible(_ c: Character) -> String {
        guard c.unicodeScalars.contains(where: isHidden) else { return String(c) }
        return c.unicodeScalars.map { u in
            guard isHidden(u) else { return String(u) }
            return u.value < 0x80 ? "\\x" + hex(u.value, 2) : "\\u{" + hex(u.value, 4) + "}"
        }.joined()
    }

    /// Printable ASCII or a tab: one column, one cell, nothing to escape.
    static func isPlain(_ b: UInt8) -> Bool { (b >= 0x20 && b < 0x7F) || b == 0x09 }

    /// Whether every byte `isPlain`, eight at a time: every finding's file, message and source
    /// line are asked. A word with a byte below 0x20 or above 0x7E is asked byte by byte (it
    /// may hold a tab).
    static func allPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allBytes(isPlain, suspect: SWAR.outsidePrintable)
    }

    static func isHidden(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09: return false  // tabs are shown as tabs
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: return true
        default: return false
        }
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func clipped(_ s: String, to limit: Int) -> String {
        // Counting characters is slow; a message of at most `limit` bytes has no more.
        s.utf8.count <= limit || s.count <= limit ? s : String(s.prefix(limit)) + "…"
    }

    public func summary(_ findings: [Finding], fileCount: Int) -> String {
        summary(FindingList(findings), fileCount: fileCount)
    }

    public func summary(_ findings: FindingList, fileCount: Int) -> String {
        let files = fileCount == 1 ? "1 file" : "\(fileCount) files"
        guard !findings.isEmpty else { return "No problems found in \(files)." }
        var parts: [String] = []
        for sev in [Severity.error, .warning, .info] {
            let n = findings.count(sev)
            if n > 0 { parts.append("\(n) \(sev.rawValue)\(n == 1 ? "" : "s")") }
        }
        let total = findings.count == 1 ? "1 problem" : "\(findings.count) problems"
        return "Found \(total) (\(parts.joined(separator: ", "))) in \(files)."
    }
}
