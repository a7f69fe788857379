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

    /// `ignore:` globs are relative to the settings file's directory, as .gitignore and ruff's
    /// `exclude` are; they used to match the path as typed.
    @Test func ignoreGlobsAreRelativeToTheSettingsFile() throws {
        let dir = try directory([
            ".kubectl-bifrost.yaml": "ignore: [\"vendor/**\", \"sub/skip-*.yaml\"]\n",
            "vendor/chart/values.yaml": "a: [1\n",
            "sub/values.yaml": "a: 1\n",
            "sub/skip-me.yaml": "a: [1\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("sub")
        for args in [["-R", ".."], ["-R", dir.path], ["-R", dir.path + "/sub/../vendor"], ["skip-me.yaml"], [sub.path + "/skip-me.yaml"]] {
            let r = try CLI.run(["lint"] + args, in: sub)
            #expect(r.status == 0, "lint \(args): \(r.stdout)\(r.stderr)")
            #expect(!r.stdout.contains("BF001"), "lint \(args): \(r.stdout)")
        }
        // The same file outside the settings file's tree is linted.
        let outside = try directory(["vendor/x.yaml": "a: [1\n"])
        defer { try? FileManager.default.removeItem(at: outside) }
        #expect(try CLI.run(["lint", "-R", outside.path], in: sub).status == 1)
    }

    /// Without -R, a directory of subdirectories was "0 files", exit 0, with no word of what was
    /// left out; the hint came only when nothing at all was found.
    @Test func skippedSubdirectoriesAreNamedWithAHint() throws {
        let dir = try directory(["top.yaml": "a: 1\n", "deploy/prod/values.yaml": "a: [1\n", "deploy/dev/values.yaml": "a: 1\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "deploy"], in: dir)
        #expect(r.stderr.contains("2 subdirectories not linted (deploy/dev, deploy/prod); use -R"), "\(r.stderr)")
        let t = try CLI.run(["lint", "."], in: dir)
        #expect(t.stderr.contains("1 subdirectory not linted (./deploy); use -R"), "\(t.stderr)")
        let recursive = try CLI.run(["lint", "-R", "."], in: dir)
        #expect(!recursive.stderr.contains("not linted"), "\(recursive.stderr)")
    }
}
