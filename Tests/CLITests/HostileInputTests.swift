import Foundation
import Testing

/// Inputs a linter meets in CI on other people's pull requests.
@Suite("Hostile and broken input")
struct HostileInputTests {
    func workspace(_ files: [String: [UInt8]]) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for (name, bytes) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return dir
    }

    static let good = Array("bifrost:\n  client: {allowDirectKeys: true}\n".utf8)

    @Test func invalidUTF8AndBinaryAreBF003AndTheOtherFilesStillRun() throws {
        let dir = try workspace([
            "latin1.yaml": Array("bifrost:\n  note: caf".utf8) + [0xE9] + Array("\n".utf8),
            "image.yaml": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D],
            "values.yaml": Self.good,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "latin1.yaml", "image.yaml", "values.yaml"], in: dir)
        #expect(r.status == 1)
        let found = CLI.findings(r.stdout)
        #expect(found.contains("latin1.yaml:2:12 BF003"), "\(r.stdout)")
        #expect(found.contains { $0.hasPrefix("image.yaml:") && $0.hasSuffix("BF003") })
        #expect(found.contains("values.yaml:2:12 BF309"))
        #expect(r.stdout.contains("not readable as YAML text"))
    }

    @Test func utf16WithBOMIsLintedWithRightPositionsButNotRewritten() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "bifrost:\r\n  client: {allowDirectKeys: true}\r\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let dir = try workspace(["values.yaml": utf16])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "values.yaml"], in: dir)
        #expect(CLI.findings(r.stdout) == ["values.yaml:2:12 BF309"])
        let fix = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(fix.stderr.contains("UTF-16 files are not rewritten"))
        #expect(Array(try Data(contentsOf: dir.appendingPathComponent("values.yaml"))) == utf16)
    }

    @Test func emptyFilesDirectoriesAndTruncatedStreams() throws {
        let dir = try workspace([
            "empty.yaml": [],
            "truncated.yaml": Array("apiVersion: v1\nkind: ConfigMap\ndata:\n  config.json: |\n    {\"client\": {\n---\nbifrost: {client: {allowDirectKeys: [1, 2".utf8),
            "tabs.yaml": Array("bifrost:\n\tclient: {}\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "empty.yaml", "truncated.yaml", "tabs.yaml"], in: dir)
        let found = CLI.findings(r.stdout)
        // The embedded config.json ends mid-document, and so does the stream: one finding each.
        #expect(found.filter { $0.hasPrefix("truncated.yaml:") && $0.hasSuffix("BF001") } == ["truncated.yaml:6:5 BF001", "truncated.yaml:8:1 BF001"], "\(found)")
        #expect(found.contains("tabs.yaml:2:1 BF001"))
        #expect(r.stdout.contains("a tab: YAML indentation must be spaces"))
        #expect(!found.contains { $0.hasPrefix("empty.yaml") })
        let asFile = try CLI.run(["lint", "--config", dir.path, "empty.yaml"], in: dir)
        #expect(asFile.status == 2 && asFile.stderr.contains("cannot read the settings file"))
    }

    @Test func symlinkLoopsUnderRecursionEnd() throws {
        let dir = try workspace(["a/values.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("a/loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("a/self.yaml").path, withDestinationPath: "self.yaml")
        let r = try CLI.run(["lint", "-R", "."], in: dir)
        #expect(r.status == 1)
        #expect(CLI.findings(r.stdout) == ["./a/values.yaml:2:12 BF309"])
        #expect(r.stderr.contains("symbolic link loop") || r.stderr.contains("already read"))
        #expect(r.stderr.contains("self.yaml: broken or looping symbolic link"))
    }

    @Test func unreadableFilesAreBF003ForTheFileAlone() throws {
        let dir = try workspace(["secret.yaml": Self.good, "values.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: dir.appendingPathComponent("secret.yaml").path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        // root reads anything: run as nobody to get a real permission error.
        let asNobody = getuid() == 0
        let binary = CLI.binary.path
        let result: CLI.Result
        if asNobody {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent("values.yaml").path)
            result = try CLI.run(["--reuid=65534", "--regid=65534", "--clear-groups", binary, "lint", "secret.yaml", "values.yaml"],
                                 executable: URL(fileURLWithPath: "/usr/bin/setpriv"), in: dir)
        } else {
            result = try CLI.run(["lint", "secret.yaml", "values.yaml"], in: dir)
        }
        #expect(result.stdout.contains("secret.yaml:1:1: error BF003 unreadable: cannot be read: Permission denied"), "\(result.stdout) \(result.stderr)")
        #expect(CLI.findings(result.stdout).contains("values.yaml:2:12 BF309"))
    }

    @Test func closedStandardInputIsAClearError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" lint - <&-", CLI.binary.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("-:1:1: error BF003 unreadable: cannot be read: Bad file descriptor"), "\(text)")
        #expect(process.terminationStatus == 1)
    }

    @Test func limitsAreFindingsNotCrashes() throws {
        var laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let deep = String(repeating: "- ", count: 5000) + "x\n"
        let dir = try workspace(["laughs.yaml": Array(laughs.utf8), "deep.yaml": Array(deep.utf8), "values.yaml": Self.good])
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = Date()
        let r = try CLI.run(["lint", "laughs.yaml", "deep.yaml", "values.yaml"], in: dir)
        #expect(Date().timeIntervalSince(start) < 30, "limits keep hostile input fast")
        let found = CLI.findings(r.stdout)
        #expect(found.contains { $0.hasPrefix("laughs.yaml:") && $0.hasSuffix("BF003") })
        #expect(found.contains { $0.hasPrefix("deep.yaml:1:") && $0.hasSuffix("BF003") })
        #expect(found.contains("values.yaml:2:12 BF309"))
    }
}
