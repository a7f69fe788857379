import Foundation
import Testing

@Suite("kubectl-bifrost compose, end to end")
struct ComposeEndToEndTests {
    static let overlays = ["guardrails", "organizational-governance", "access-profiles", "customer-budgets", "teams", "multi-customer-governance", "scim-sso"]
    static let golden = "charts-fixtures/compose/golden"

    func golden(_ name: String) throws -> String {
        try String(contentsOf: CLI.repoRoot.appendingPathComponent("\(Self.golden)/\(name).yaml"), encoding: .utf8)
    }

    @Test(arguments: overlays)
    func eachOverlayAloneMatchesItsGoldenAndLintsClean(_ name: String) throws {
        let r = try CLI.run(["compose", "--overlay", name])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try golden(name)))
        #expect(r.stderr.isEmpty)
        let lint = try CLI.run(["lint", "overlays/\(name).yaml"])
        #expect(lint.status == 0 && lint.stdout.contains("No problems found"), "\(lint.stdout)")
    }

    @Test func allOverlaysTogetherInAnyOrderWithoutConflicts() throws {
        let forward = try CLI.run(["compose"] + Self.overlays.flatMap { ["--overlay", $0] } + ["--strict"])
        #expect(forward.status == 0, "\(forward.stderr)")
        #expect(forward.stdout == (try golden("all")))
        let backward = try CLI.run(["compose"] + Self.overlays.reversed().flatMap { ["--overlay", $0] } + ["--strict"])
        #expect(backward.status == 0 && backward.stderr.isEmpty)
        // Same values, different first-seen key order.
        #expect(backward.stdout != forward.stdout)
        #expect(Set(backward.stdout.split(separator: "\n")) == Set(forward.stdout.split(separator: "\n")))
    }

    @Test func checkIsADriftGate() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values-enterprise.yaml").path
        let write = try CLI.run(["compose", "--overlay", "teams", "--overlay", "scim-sso", "-o", file])
        #expect(write.status == 0)
        #expect(try CLI.run(["compose", "--overlay", "teams", "--overlay", "scim-sso", "--check", file]).status == 0)
        let drift = try CLI.run(["compose", "--overlay", "teams", "--overlay", "scim-sso", "--set", "bifrost.logLevel=debug", "--check", file])
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("+  logLevel: debug"))
        #expect(drift.stderr.contains("differs from the composition"))
    }

    @Test func findingsInTheCompositionBlockTheWrite() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("old.yaml")
        try "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-legacy\n        provider_configs:\n          - provider: openai\n            allowed_keys: [k]\n".write(to: old, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.yaml").path
        let r = try CLI.run(["compose", "--values", old.path, "--overlay", "teams", "-o", out])
        #expect(r.status == 1)
        #expect(r.stderr.contains("BF301 allowed-keys-renamed"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try CLI.run(["compose", "--values", old.path, "--overlay", "teams", "-o", out, "--no-lint"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func conflictsWarnAndFailUnderStrict() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("my-scim.yaml")
        try "bifrost:\n  scim:\n    provider: entra\n".write(to: mine, atomically: true, encoding: .utf8)
        let warn = try CLI.run(["compose", "--overlay", "scim-sso", "--overlay", mine.path])
        #expect(warn.status == 0)
        #expect(warn.stderr.contains("warning: bifrost.scim.provider is set by overlays/scim-sso.yaml:10 and again, differently, by \(mine.path):3"))
        #expect(try CLI.run(["compose", "--overlay", "scim-sso", "--overlay", mine.path, "--strict"]).status == 1)
    }

    @Test func badInputsExitTwo() throws {
        let unknown = try CLI.run(["compose", "--overlay", "no-such-overlay"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no shipped overlay of that name"))
        #expect(try CLI.run(["compose"]).status == 2)
        #expect(try CLI.run(["compose", "--set", "a"]).status == 2)
    }
}

@Suite("compose says what Helm drops from its inputs")
struct ComposeInputWarningTests {
    /// Helm keeps a repeated key's last value and reads only a values file's first document;
    /// compose did the same without a word (issue 18).
    @Test func repeatedKeysAndExtraDocumentsAreReported() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.yaml").path
        try "a: 1\nb:\n  c: 1\n  c: 2\n---\nd: 3\n".write(toFile: base, atomically: true, encoding: .utf8)
        let r = try CLI.run(["compose", "--no-lint", "--values", base])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: \(base):4: key 'c' repeats the one at line 3; Helm keeps only this last value"), "\(r.stderr)")
        #expect(r.stderr.contains("warning: \(base):6: a second YAML document"), "\(r.stderr)")
        #expect(r.stdout.contains("  c: 2\n") && !r.stdout.contains("d: 3"))
        let strict = try CLI.run(["compose", "--no-lint", "--strict", "--values", base])
        #expect(strict.status == 1 && strict.stderr.contains("error: \(base):4: key 'c'"), "\(strict.stderr)")
        // A trailing empty document is nothing to drop.
        try "a: 1\n---\n".write(toFile: base, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["compose", "--no-lint", "--strict", "--values", base]).stderr.isEmpty)
    }
}

@Suite("compose findings name the input that set the value")
struct ComposeFindingPlacementTests {
    /// The lint gate reported `out.yaml:18:5` (a file it then refused to write) or
    /// `composed-values.yaml`; the user edits the input, whose line `--explain` already knew
    /// (issue 18).
    @Test func findingsPointAtTheInputFileAndLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("old.yaml").path
        try "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-legacy\n        provider_configs:\n          - provider: openai\n            allowed_models: [\"*\"]\n            allowed_keys: [k]\n".write(toFile: old, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.yaml").path
        for extra in [["-o", out], []] {
            let r = try CLI.run(["compose", "--values", old, "--overlay", "teams"] + extra)
            #expect(r.status == 1)
            #expect(r.stderr.contains("\(old):8:13: error BF301 allowed-keys-renamed"), "\(r.stderr)")
            #expect(r.stderr.contains(" 8 |             allowed_keys: [k]\n"), "\(r.stderr)")
            #expect(!r.stderr.contains("out.yaml:") && !r.stderr.contains("composed-values.yaml"), "\(r.stderr)")
        }
    }

    @Test func findingsOnSetValuesNameTheSetArgument() throws {
        let r = try CLI.run(["compose", "--overlay", "teams", "--set", "bifrost.client.allowDirectKeys=false"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--set bifrost.client.allowDirectKeys=false: error BF309 direct-keys-removed"), "\(r.stderr)")
        #expect(!r.stderr.contains("composed-values.yaml"), "\(r.stderr)")
    }
}
