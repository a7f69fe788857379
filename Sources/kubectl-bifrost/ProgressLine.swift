import BifrostLint
#if canImport(Glibc)
import Glibc
#endif

/// A line on standard error while a long run reads (files, documents, findings so far), redrawn
/// at most four times a second and erased before the report. Only on a terminal and outside CI
/// (`CI` set to anything but empty or `false`): never in a pipe, a file or a CI log. It waits
/// half a second before the first draw, so short runs never show it.
final class ProgressLine: @unchecked Sendable {
    private let lock = Lock()
    private let start = ProgressLine.now()
    private var lastDraw = 0.0
    private var shown = false
    static let delay = 0.5
    static let interval = 0.25

    /// Whether a run may show one: standard error a terminal, not in CI, not `--quiet`.
    static func wanted(quiet: Bool, environment: [String: String]) -> Bool {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return false }
        let ci = (environment["CI"] ?? "").lowercased()
        return ci.isEmpty || ci == "false" || ci == "0"
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func update(_ p: LintProgress) {
        let t = Self.now()
        lock.withLock {
            guard t - start >= Self.delay, t - lastDraw >= Self.interval else { return }
            lastDraw = t
            shown = true
            let files = p.files == 1 ? "1 file" : "\(p.files) files"
            let documents = p.documents == 1 ? "1 document" : "\(p.documents) documents"
            let findings = p.findings == 1 ? "1 finding" : "\(p.findings) findings"
            System.printError("\r\u{1B}[Kkubectl-bifrost: \(files), \(documents), \(findings) so far")
        }
    }

    /// Erases the line, if it was drawn.
    func erase() {
        lock.withLock {
            if shown { System.printError("\r\u{1B}[K") }
            shown = false
        }
    }
}
