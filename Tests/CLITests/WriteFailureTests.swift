import Foundation
import Testing

/// A report that did not reach its reader is a failure, never a clean run (issue 17, items 3, 4).
@Suite("Write failures end in exit 2 with a message")
struct WriteFailureTests {
    /// Runs the binary with standard output sent to /dev/full.
    func toFullDevice(_ arguments: [String], in directory: URL = CLI.repoRoot) throws -> CLI.Result {
        try CLI.run(["-c", "exec \"$0\" \"$@\" > /dev/full", CLI.binary.path] + arguments, executable: URL(fileURLWithPath: "/bin/sh"), in: directory)
    }

    @Test(arguments: [
        ["lint", "-o", "sarif", "-R", "charts-fixtures/2.1.14"],
        ["lint", "charts-fixtures/pre-2.1.14/governance/values.yaml"],
        ["compose", "--overlay", "teams"],
        ["rules", "-o", "json"],
        ["explain", "BF101"],
        ["version"],
    ])
    func fullStandardOutput(_ arguments: [String]) throws {
        let r = try toFullDevice(arguments)
        #expect(r.status == 2, "\(arguments): exit \(r.status)")
        #expect(r.stderr.contains("cannot write to standard output: No space left on device"), "\(r.stderr)")
    }

    @Test func composeRefusesATargetThatIsNotARegularFile() throws {
        let r = try CLI.run(["compose", "--overlay", "teams", "-o", "/dev/null"])
        #expect(r.status == 2 && r.stderr.contains("/dev/null: not a regular file"))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/null must stay a device")
    }

    @Test func composeRefusesToOverwriteItsOwnInputUnlessForced() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = "# hand-written base\nbifrost:\n  logLevel: &lvl info\n"
        let url = dir.appendingPathComponent("base.yaml")
        try base.write(to: url, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["compose", "--values", "base.yaml", "--overlay", "scim-sso", "-o", "./base.yaml"], in: dir)
        #expect(refused.status == 2 && refused.stderr.contains("is one of the inputs"), "\(refused.stderr)")
        #expect(try String(contentsOf: url, encoding: .utf8) == base)
        let forced = try CLI.run(["compose", "--values", "base.yaml", "--overlay", "scim-sso", "-o", "base.yaml", "--force"], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: url, encoding: .utf8) != base)
    }
}
