import BifrostLint
import Foundation
import Testing
import YAMLSource
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17, items 7, 8 and 11: inputs that exhaust descriptors, block a read, or hold more than
/// the limits. Each runs the binary under a timeout, so a regression fails instead of hanging.
@Suite("Input bounds: descriptors, non-regular files, size and document limits")
struct InputBoundsTests {
    static let bad = "bifrost:\n  client: {allowDirectKeys: true}\n"

    func workspace(_ files: [String: String]) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        return dir
    }

    /// The binary under `timeout` (exit 124 when it would have hung), with a shell prefix such
    /// as `ulimit -n 64;`.
    func run(_ arguments: [String], shell prefix: String = "", seconds: Int = 20, in dir: URL) throws -> CLI.Result {
        try CLI.run(["-c", "\(prefix) exec timeout \(seconds) \"$@\"", "sh", CLI.binary.path] + arguments,
                    executable: URL(fileURLWithPath: "/bin/sh"), in: dir)
    }

    /// Peak resident memory in KiB of the command, from GNU time; nil where it is not installed.
    func peakKiB(_ arguments: [String], in dir: URL) throws -> (CLI.Result, Int?) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            return (try run(arguments, in: dir), nil)
        }
        let r = try CLI.run(["-f", "peak %M", "timeout", "20", CLI.binary.path] + arguments, executable: URL(fileURLWithPath: "/usr/bin/time"), in: dir)
        let peak = r.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap { Int($0.dropFirst(5)) }
        return (r, peak)
    }

    // MARK: item 7

    @Test func moreInputsThanFileDescriptorsAreReadOneAtATime() throws {
        var files: [String: String] = [:]
        for i in 0..<200 { files["f\(i).yaml"] = Self.bad }
        let dir = try workspace(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lint = try run(["lint", "."], shell: "ulimit -n 64;", in: dir)
        #expect(lint.status == 1, "\(lint.stderr.suffix(500))")
        let found = CLI.findings(lint.stdout)
        #expect(found.filter { $0.hasSuffix("BF309") }.count == 200)
        #expect(!found.contains { $0.hasSuffix("BF003") }, "\(found.filter { $0.hasSuffix("BF003") }.prefix(3))")
        // --diff and --fix read every file whole: still one open at a time.
        let diff = try run(["lint", "--diff", "."], shell: "ulimit -n 64;", in: dir)
        #expect(diff.status == 1, "\(diff.stderr.suffix(500))")
        #expect(diff.stdout.components(separatedBy: "\n+++ b/").count - 1 == 200)
    }

    // MARK: item 8

    @Test func aFIFOInsideARecursiveTreeIsSkippedWithAFinding() throws {
        let dir = try workspace(["a/values.yaml": Self.bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("a/pipe.yaml").path, 0o644) == 0)
        for args in [["lint", "-R", "."], ["lint", "--diff", "-R", "."], ["lint", "--fix", "-R", "."]] {
            let r = try run(args, seconds: 10, in: dir)
            #expect(r.status != 124, "\(args) hung on the FIFO")
            if args.contains("--diff") {
                #expect(r.stderr.contains("./a/pipe.yaml: not a regular file (a FIFO); skipped"), "\(r.stderr)")
            } else {
                #expect(r.stdout.contains("./a/pipe.yaml:1:1: error BF003 unreadable: not a regular file (a FIFO); skipped"), "\(args): \(r.stdout)")
            }
        }
    }

    @Test func aFIFOReplacingAListedFileIsSkippedWhenItsTurnComes() throws {
        let dir = try workspace(["late.yaml": Self.bad, "values.yaml": Self.bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try InputCollector(recursive: true).collect([dir.path])
        let late = dir.appendingPathComponent("late.yaml").path
        try FileManager.default.removeItem(atPath: late)
        #expect(mkfifo(late, 0o644) == 0)
        // On another thread with a deadline: a reader that opens the FIFO would block for good.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var findings: [Finding] = []
        DispatchQueue.global().async {
            findings = Linter().lint(inputs: inputs)
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .success else {
            // Release the blocked open with a writer, then fail.
            let writer = open(late, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            Issue.record("linting hung on a FIFO that replaced a listed file")
            return
        }
        #expect(findings.map { "\($0.file) \($0.code) \($0.message)" }.first == "\(late) BF003 not a regular file (a FIFO); skipped")
        #expect(findings.map(\.code) == ["BF003", "BF309"])
    }

    /// Named on the command line, a pipe is read, as kubectl -f reads one: `<(helm template …)`.
    /// A FIFO nobody writes to reads as empty rather than waiting forever.
    @Test func aPipeNamedOnTheCommandLineIsReadAndAnIdleFIFODoesNotHang() throws {
        let dir = try workspace([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let substituted = try CLI.run(["-c", "exec timeout 10 \"$0\" lint <(printf 'bifrost:\\n  client: {allowDirectKeys: true}\\n')", CLI.binary.path],
                                      executable: URL(fileURLWithPath: "/bin/bash"), in: dir)
        #expect(substituted.status == 1)
        #expect(CLI.findings(substituted.stdout).contains { $0.hasPrefix("/dev/fd/") && $0.hasSuffix(":2:12 BF309") }, "\(substituted.stdout)")
        let fixed = try CLI.run(["-c", "exec timeout 10 \"$0\" lint --fix <(printf 'bifrost:\\n  client: {allowDirectKeys: true}\\n')", CLI.binary.path],
                                executable: URL(fileURLWithPath: "/bin/bash"), in: dir)
        #expect(fixed.stderr.contains("cannot be fixed in place (not a file); use --diff"), "\(fixed.stderr)")

        #expect(mkfifo(dir.appendingPathComponent("idle.yaml").path, 0o644) == 0)
        let idle = try run(["lint", "idle.yaml"], seconds: 10, in: dir)
        #expect(idle.status == 0, "an idle FIFO named on the command line: \(idle.status) \(idle.stderr)")
    }

    @Test func anUnlistableDirectoryIsAFindingAndTheRestOfTheTreeIsRead() throws {
        let dir = try workspace(["locked/values.yaml": Self.bad, "open/values.yaml": Self.bad])
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("locked").path)
            try? FileManager.default.removeItem(at: dir)
        }
        for sub in ["", "open", "locked"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent(sub).path)
        }
        for file in ["open/values.yaml", "locked/values.yaml"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent(file).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: dir.appendingPathComponent("locked").path)
        // root lists anything: run as nobody to get a real permission error.
        let r: CLI.Result
        if getuid() == 0 {
            r = try CLI.run(["--reuid=65534", "--regid=65534", "--clear-groups", "timeout", "10", CLI.binary.path, "lint", "-R", "."],
                            executable: URL(fileURLWithPath: "/usr/bin/setpriv"), in: dir)
        } else {
            r = try run(["lint", "-R", "."], in: dir)
        }
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("./locked:1:1: error BF003 unreadable: cannot list directory: Permission denied; skipped"), "\(r.stdout)")
        #expect(CLI.findings(r.stdout).contains("./open/values.yaml:2:12 BF309"))
    }

    @Test func recursionDoesNotFollowLinksOutOfTheTreeUnlessAsked() throws {
        let dir = try workspace(["outside/shared.yaml": Self.bad, "tree/values.yaml": Self.bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("tree/shared.yaml").path, withDestinationPath: "../outside/shared.yaml")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("tree/fds").path, withDestinationPath: "/proc/self/fd")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("tree/inside.yaml").path, withDestinationPath: "values.yaml")
        let r = try run(["lint", "-R", "tree"], seconds: 10, in: dir)
        #expect(r.status == 1)
        // A link inside the tree is followed; the file it names is read once, under the first
        // name met (issue 14: the same finding is never reported twice).
        #expect(CLI.findings(r.stdout).filter { $0.hasSuffix("BF309") } == ["tree/inside.yaml:2:12 BF309"])
        #expect(r.stdout.contains("tree/shared.yaml:1:1: info BF003 unreadable: symbolic link to \(dir.resolvingSymlinksInPath().path)/outside/shared.yaml, outside the tree; not followed"), "\(r.stdout)")
        #expect(r.stdout.contains("tree/fds:1:1: info BF003"))
        let followed = try run(["lint", "-R", "--follow-symlinks", "tree"], seconds: 10, in: dir)
        #expect(CLI.findings(followed.stdout).contains("tree/shared.yaml:2:12 BF309"), "\(followed.stdout)")
        // Not recursive: a directory's files are read as kubectl -f reads them, links and all.
        let flat = try run(["lint", "tree"], seconds: 10, in: dir)
        #expect(CLI.findings(flat.stdout).contains("tree/shared.yaml:2:12 BF309"))
    }

    // MARK: item 11

    @Test func devZeroAndNULFilesStopAtTheFirstChunk() throws {
        let dir = try workspace(["values.yaml": Self.bad])
        defer { try? FileManager.default.removeItem(at: dir) }
        // 300 MB of NUL bytes without writing them: a sparse file.
        let nul = dir.appendingPathComponent("zeros.yaml").path
        let fd = open(nul, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(fd, 300_000_000) == 0)
        close(fd)
        let (r, peak) = try peakKiB(["lint", "/dev/zero", "zeros.yaml", "values.yaml"], in: dir)
        #expect(r.status == 1, "\(r.stderr.suffix(300))")
        #expect(r.stdout.contains("/dev/zero:1:1: error BF003 unreadable: not readable as YAML text: a NUL byte at byte 0 (a binary file?); the rest is not read"), "\(r.stdout.prefix(500))")
        #expect(r.stdout.contains("zeros.yaml:1:1: error BF003"))
        #expect(CLI.findings(r.stdout).contains("values.yaml:2:12 BF309"))
        if let peak { #expect(peak < 200_000, "peak RSS \(peak) KiB") }
        // Read whole for --fix: the same bound.
        let (fix, fixPeak) = try peakKiB(["lint", "--fix", "/dev/zero", "zeros.yaml"], in: dir)
        #expect(fix.status == 1, "\(fix.stderr.suffix(300))")
        #expect(fix.stdout.contains("/dev/zero:1:1: error BF003 unreadable: not readable as YAML text: a NUL byte at byte 0"))
        if let fixPeak { #expect(fixPeak < 200_000, "peak RSS \(fixPeak) KiB") }
    }

    @Test func aScalarOverTheLimitCostsAboutItsSize() throws {
        let dir = try workspace([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        // 40 MB on one line: the 16 MiB limit's finding, and an excerpt of that line.
        var text = Array("bifrost:\n  note: ".utf8)
        text += [UInt8](repeating: UInt8(ascii: "a"), count: 40_000_000)
        text.append(0x0A)
        try Data(text).write(to: dir.appendingPathComponent("big.yaml"))
        let (r, peak) = try peakKiB(["lint", "big.yaml"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("big.yaml:2:9: error BF003 unreadable: a scalar of 40000000 bytes is longer than the limit of 16777216; not read"))
        // Was 16 bytes a character of the excerpt line (640 MB here); now about three times the
        // scalar (122 MB). AddressSanitizer's shadow memory (the CI run sets ASAN_OPTIONS)
        // takes about three times more again.
        let limit = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 250_000 : 1_000_000
        if let peak { #expect(peak < limit, "peak RSS \(peak) KiB") }
    }

    @Test func theDocumentLimitIsEnforcedOnStreams() {
        var linter = Linter()
        linter.limits.maxDocuments = 10
        let stream = String(repeating: "---\nbifrost: {client: {allowDirectKeys: true}}\n", count: 25)
        let findings = linter.lint(streams: [DocumentReader(name: "s.yaml", bytes: Array(stream.utf8))])
        #expect(findings.filter { $0.code == "BF309" }.count == 10)
        let limit = findings.filter { $0.code == "BF003" }
        #expect(limit.map { "\($0.range.start.line) \($0.message)" } == ["21 more than 10 documents; the rest is not read"])
    }

    @Test func readingStopsAtTheByteLimit() {
        var linter = Linter()
        linter.limits.maxFileBytes = 4096
        // Two documents, then one line that never ends: never more than the limit is read.
        var chunks = 0
        let head = Array("bifrost: {client: {allowDirectKeys: true}}\n---\nbifrost: {client: {allowDirectKeys: true}}\n---\nnote: ".utf8)
        let reader = DocumentReader(name: "s.yaml", nextChunk: {
            chunks += 1
            if chunks == 1 { return head }
            return chunks <= 1000 ? [UInt8](repeating: UInt8(ascii: "a"), count: 1024) : nil
        })
        let findings = linter.lint(streams: [reader])
        #expect(chunks <= 6, "read \(chunks) chunks for a limit of 4 KiB")
        #expect(findings.filter { $0.code == "BF309" }.count == 2)
        #expect(findings.filter { $0.code == "BF003" }.map { "\($0.range.start.line):\($0.range.start.column) \($0.message)" } == ["4:1 input larger than 4096 bytes; the rest is not read"])
    }
}
