import Foundation
import Testing
@testable import BifrostLint

enum FixFixtures {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("charts-fixtures/fix")

    /// (fixture stem, file name the linter sees)
    static let cases: [(String, String)] = [
        ("values-governance", "values.yaml"),
        ("config", "config.json"),
        ("configmap", "configmap.yaml"),
        ("release-block", "release.yaml"),
        ("release-flow", "release.yaml"),
        ("Chart", "Chart.yaml"),
    ]

    static func load(_ stem: String, _ which: String) throws -> [UInt8] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let name = try #require(files.first { $0.hasPrefix("\(stem).\(which).") })
        return Array(try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            if b == 0x0A { out.append(0x0D) }
            out.append(b)
        }
        return out
    }
}

@Suite("--fix")
struct FixTests {
    let fixer = Fixer(linter: Linter(), unsafe: false)

    func fix(_ bytes: [UInt8], name: String, unsafe: Bool = false) -> Fixer.FileResult {
        Fixer(linter: Linter(), unsafe: unsafe).fix([SourceFile(name: name, bytes: bytes)])[0]
    }

    /// Two budgets moved into an empty `budgets: []` go in as one edit (appended one at a time
    /// they had no separator, and the fixer refused the unparsable result of a finding that
    /// said it was fixable).
    @Test(arguments: [
        ("{\"governance\": {\"budgets\": [], \"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", \"budgets\": [{\"max_limit\": 10, \"reset_duration\": \"1d\"}, {\"max_limit\": 20, \"reset_duration\": \"1M\"}]}]}}\n", "config.json"),
        ("bifrost:\n  governance:\n    budgets: []\n    virtualKeys:\n      - id: vk\n        name: vk\n        budgets:\n          - {max_limit: 5, reset_duration: 1d}\n          - {max_limit: 9, reset_duration: 1M}\n", "values.yaml"),
    ])
    func severalBudgetsIntoAnEmptyList(text: String, name: String) throws {
        let before = Linter().lint([SourceFile(name: name, bytes: Array(text.utf8))])
        #expect(before.contains { $0.code == "BF306" && $0.fixable })
        let result = fix(Array(text.utf8), name: name)
        #expect(result.refusal == nil, "\(result.refusal ?? "")")
        let fixed = String(decoding: result.fixed, as: UTF8.self)
        #expect(fixed.contains("budget-1") && fixed.contains("budget-2"))
        let after = Linter().lint([SourceFile(name: name, bytes: result.fixed)])
        #expect(!after.contains { $0.code == "BF306" || $0.code == "BF001" || $0.code == "BF002" }, "\(after.map(\.code))")
    }

    @Test(arguments: FixFixtures.cases.map(\.0), [false, true])
    func beforeBecomesAfter(stem: String, crlf: Bool) throws {
        let name = try #require(FixFixtures.cases.first { $0.0 == stem }?.1)
        var before = try FixFixtures.load(stem, "before"), after = try FixFixtures.load(stem, "after")
        if crlf { before = FixFixtures.crlf(before); after = FixFixtures.crlf(after) }
        let result = fix(before, name: name)
        #expect(result.refusal == nil, "\(result.refusal ?? "")")
        #expect(String(decoding: result.fixed, as: UTF8.self) == String(decoding: after, as: UTF8.self))
        #expect(result.applied > 0)

        // Idempotent, and nothing a safe fix could do is left.
        let again = fix(result.fixed, name: name)
        #expect(again.fixed == result.fixed && !again.changed)
        let remaining = Linter().lint([SourceFile(name: name, bytes: result.fixed)])
        #expect(!remaining.contains { $0.fix?.applicability == .safe }, "\(remaining.map(\.code))")
        #expect(!remaining.contains { $0.code == "BF001" || $0.code == "BF002" })
    }

    @Test func unsafeFixesOnlyWhenAsked() throws {
        let text = "bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: []   # all models, v1.3 style\n"
        let safe = fix(Array(text.utf8), name: "values.yaml")
        #expect(!safe.changed)
        let unsafe = fix(Array(text.utf8), name: "values.yaml", unsafe: true)
        #expect(String(decoding: unsafe.fixed, as: UTF8.self) == text.replacingOccurrences(of: "models: []", with: "models: [\"*\"]"))
    }

    @Test func conflictingAliasesAreReportedNotOverwritten() throws {
        let text = "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: k\n          aliases: {gpt-4o: other}\n          azure_key_config:\n            endpoint: e\n            deployments: {gpt-4o: mine}\n"
        let findings = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF307" }
        #expect(findings.count == 1)
        #expect(findings.first?.fix == nil)
        #expect(findings.first?.message.contains("already maps gpt-4o") == true)
    }

    @Test func renameIsSkippedWhenTheNewKeyExists() {
        let text = "bifrost:\n  governance:\n    virtualKeys:\n      - id: v\n        provider_configs:\n          - {provider: openai, key_ids: [a], allowed_keys: [b]}\n"
        let f = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF301" }
        #expect(f.count == 1 && f.first?.fix == nil)
    }

    @Test func verificationRefusesChangesOutsideTheScopes() {
        let before = SourceFile(name: "v.yaml", text: "a:\n  b: 1\nc: 2\n")
        let inScope = SourceFile(name: "v.yaml", text: "a:\n  b: 3\nc: 2\n")
        let outOfScope = SourceFile(name: "v.yaml", text: "a:\n  b: 3\nc: 4\n")
        let broken = SourceFile(name: "v.yaml", text: "a:\n  b: [3\nc: 2\n")
        let scope = [YAMLPath([.key("a")])]
        #expect(Fixer.verify(before: before, after: inScope, scopes: scope) == nil)
        #expect(Fixer.verify(before: before, after: outOfScope, scopes: scope)?.contains("c") == true)
        #expect(Fixer.verify(before: before, after: broken, scopes: scope)?.contains("would not parse") == true)
    }

    @Test func base64SecretsAreReportedButNotEdited() {
        let json = #"{"client": {"allow_direct_keys": true}}"#
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\ndata:\n  config.json: \(Data(json.utf8).base64EncodedString())\n"
        let f = Linter().lint([SourceFile(name: "s.yaml", text: text)]).filter { $0.code == "BF309" }
        #expect(f.count == 1 && f.first?.fix == nil)
    }
}

@Suite("Atomic writes")
struct AtomicWriterTests {
    func temp(_ text: String, mode: Int = 0o640) throws -> (URL, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("values.yaml")
        try text.write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return (dir, file)
    }

    @Test func replacesContentAndKeepsPermissions() throws {
        let (dir, file) = try temp("a: 1\n", mode: 0o640)
        defer { try? FileManager.default.removeItem(at: dir) }
        try AtomicWriter.replace(file.path, with: Array("a: 2\n".utf8), expecting: Array("a: 1\n".utf8))
        #expect(try String(contentsOf: file, encoding: .utf8) == "a: 2\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["values.yaml"], "no temporary file left")
    }

    @Test func refusesWhenTheFileChangedSinceItWasRead() throws {
        let (dir, file) = try temp("a: 1\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a: 5\n".write(to: file, atomically: false, encoding: .utf8)
        #expect(throws: AtomicWriter.Failure.self) {
            try AtomicWriter.replace(file.path, with: Array("a: 2\n".utf8), expecting: Array("a: 1\n".utf8))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "a: 5\n")
    }

    /// Runs a command, for the fault-injection set-up (chattr, mount).
    @discardableResult
    static func sh(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func readOnlyDirectoryLeavesTheOriginal() throws {
        let (dir, file) = try temp("a: 1\n")
        // root ignores permission bits, so as root the directory is made immutable instead.
        let root = getuid() == 0
        if root {
            try #require(Self.sh(["chattr", "+i", dir.path]) == 0, "chattr +i is needed to make a directory read-only for root")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        }
        defer {
            if root { Self.sh(["chattr", "-i", dir.path]) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            try? FileManager.default.removeItem(at: dir)
        }
        #expect(throws: AtomicWriter.Failure.self) {
            try AtomicWriter.replace(file.path, with: Array("a: 2\n".utf8), expecting: Array("a: 1\n".utf8))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "a: 1\n")
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func fullDiskLeavesTheOriginal() throws {
        let mount = FileManager.default.temporaryDirectory.appendingPathComponent("kb-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try #require(Self.sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.path]) == 0)
        defer {
            Self.sh(["umount", mount.path])
            try? FileManager.default.removeItem(at: mount)
        }
        let file = mount.appendingPathComponent("values.yaml")
        try "a: 1\n".write(to: file, atomically: false, encoding: .utf8)
        // Fill the file system, leaving the original in place.
        FileManager.default.createFile(atPath: mount.appendingPathComponent("filler").path, contents: Data(count: 256 * 1024))
        let big = Array(repeating: UInt8(ascii: "x"), count: 128 * 1024)
        #expect(throws: AtomicWriter.Failure.self) {
            try AtomicWriter.replace(file.path, with: big, expecting: Array("a: 1\n".utf8))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "a: 1\n")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: mount.path)).contains { $0.contains("kubectl-bifrost-") }, "no temporary file left")
    }
}
