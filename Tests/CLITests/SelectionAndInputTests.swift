import Foundation
import Testing

/// Issue 18, "Wrong results": what lint reports whatever the selection, and what it skipped.
@Suite("lint: rule selection, ignore globs, skipped directories")
struct SelectionAndInputTests {
    func directory(_ files: [String: String]) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    /// As ruff does with syntax errors: a file that was not read was not checked, so the
    /// selection cannot make it look clean.
    @Test func inputErrorsAreReportedWhateverTheSelection() throws {
        let dir = try directory(["broken.yaml": "a: [1\nb: 2\n", "dup.yaml": "a: 1\na: 2\n", "binary.yaml": "a: \u{01}\u{02}\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "--enable", "BF106", "broken.yaml", "dup.yaml", "binary.yaml"], in: dir)
        #expect(r.status == 1, "\(r.stdout)")
        #expect(Set(CLI.findings(r.stdout).map { String($0.split(separator: " ")[1]) }) == ["BF001", "BF002", "BF003"], "\(r.stdout)")
        #expect(!r.stdout.contains("No problems found"))
    }

    @Test(arguments: ["BF001", "yaml-syntax", "BF003"])
    func inputErrorsCannotBeDisabled(_ code: String) throws {
        let r = try CLI.run(["lint", "--disable", code, "charts-fixtures/pre-2.1.14/broken"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot be disabled"), "\(r.stderr)")
        let dir = try directory([".kubectl-bifrost.yaml": "disable: [BF104, \(code)]\n", "v.yaml": "a: 1\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try CLI.run(["lint", "v.yaml"], in: dir)
        #expect(c.status == 2 && c.stderr.contains(".kubectl-bifrost.yaml:1:") && c.stderr.contains("cannot be disabled"), "\(c.stderr)")
    }
}
