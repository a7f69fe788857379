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
        #expect(warn.stderr.contains("warning: bifrost.scim.provider is set by overlays/scim-sso.yaml:13 and again, differently, by \(mine.path):3"))
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

    /// Two values files named the same in two normal forms (`é`, `e` + U+0301) are two files: a
    /// finding from the second is shown with its own line, not the first's.
    @Test func findingsPointAtTheirOwnFileWhenTwoNamesLookTheSame() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("cafe\u{301}.yaml").path, second = dir.appendingPathComponent("caf\u{E9}.yaml").path
        try "bifrost:\n  client:\n    dropExcessRequests: true\n".write(toFile: first, atomically: true, encoding: .utf8)
        try "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-legacy\n        provider_configs:\n          - provider: openai\n            allowed_models: [\"*\"]\n            allowed_keys: [k]\n".write(toFile: second, atomically: true, encoding: .utf8)
        let r = try CLI.run(["compose", "--values", first, "--values", second, "--overlay", "teams"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(":8:13: error BF301 allowed-keys-renamed"), "\(r.stderr)")
        #expect(r.stderr.contains(" 8 |             allowed_keys: [k]\n"), "\(r.stderr)")
    }

    /// An overlay in a directory named like the working one in another normal form is not
    /// inside it: its findings name it by the path given, not as a file of the working directory.
    @Test func anOverlayBesideTheWorkingDirectoryKeepsItsPath() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let here = dir.appendingPathComponent("caf\u{E9}"), there = dir.appendingPathComponent("cafe\u{301}")
        try FileManager.default.createDirectory(at: here, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: there, withIntermediateDirectories: true)
        try "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        provider_configs:\n          - provider: openai\n            allowed_models: [\"*\"]\n            allowed_keys: [k]\n".write(to: there.appendingPathComponent("over.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["compose", "--overlay", "../cafe\u{301}/over.yaml"], in: here)
        #expect(r.stderr.utf8.starts(with: "../cafe\u{301}/over.yaml:8:13: error BF301".utf8), "\(r.stderr)")
    }

    @Test func findingsOnSetValuesNameTheSetArgument() throws {
        let r = try CLI.run(["compose", "--overlay", "teams", "--set", "bifrost.client.allowDirectKeys=false"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--set bifrost.client.allowDirectKeys=false: error BF309 direct-keys-removed"), "\(r.stderr)")
        #expect(!r.stderr.contains("composed-values.yaml"), "\(r.stderr)")
    }
}

/// `compose --chart DIR`: the overlay variant the chart's version supports, a refusal naming what
/// an overlay needs when the chart is too old, and the chart's schema checked before writing.
@Suite("kubectl-bifrost compose --chart")
struct ComposeChartTests {
    func chart(_ version: String, schema: String = "{\"type\": \"object\"}", in dir: URL) throws -> URL {
        let chart = dir.appendingPathComponent("bifrost-\(version)")
        try FileManager.default.createDirectory(at: chart, withIntermediateDirectories: true)
        try "apiVersion: v2\nname: bifrost\nversion: \(version)\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try schema.write(to: chart.appendingPathComponent("values.schema.json"), atomically: true, encoding: .utf8)
        try "image:\n  tag: \"\"\n".write(to: chart.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        return chart
    }

    @Test func anOlderChartGetsTheVariantItAccepts() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try CLI.run(["compose", "--chart", try chart("2.1.16", in: dir).path, "--overlay", "access-profiles", "--overlay", "scim-sso"])
        #expect(old.status == 0, "\(old.stderr)")
        #expect(!old.stdout.contains("roles:") && !old.stdout.contains("key_ids") && !old.stdout.contains("authServerType"))
        #expect(old.stdout.contains("platform-default"))
        #expect(old.stderr.contains("note: chart bifrost 2.1.16 is too old for overlay access-profiles (it needs bifrost.governance.roles and key_ids on access-profile provider configs, which the lowest chart to have is 2.1.30); composing its variant access-profiles@2.1.14.yaml"))
        let new = try CLI.run(["compose", "--chart", try chart("2.1.30", in: dir).path, "--overlay", "access-profiles"])
        #expect(new.status == 0 && new.stderr.isEmpty, "\(new.stderr)")
        #expect(new.stdout == (try CLI.run(["compose", "--overlay", "access-profiles"]).stdout))
        #expect(new.stdout.contains("roles:") && new.stdout.contains("key_ids"))
    }

    @Test func aChartTooOldIsRefusedNamingTheFeatureAndTheLowestChart() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["compose", "--chart", try chart("2.1.13", in: dir).path, "--overlay", "organizational-governance"])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("--overlay organizational-governance: chart bifrost 2.1.13 is too old for it: it needs bifrost.cluster.grpc"), "\(r.stderr)")
        #expect(r.stderr.contains("which the lowest chart to have is 2.1.14"))
        // A file given by path is held to its own header; it has no variants.
        let pinned = try CLI.run(["compose", "--chart", try chart("2.1.16", in: dir).path, "--overlay", "overlays/access-profiles.yaml"])
        #expect(pinned.status == 2 && pinned.stderr.contains("it needs bifrost.governance.roles"))
    }

    @Test func theChartsSchemaIsCheckedBeforeWritingEvenWithNoLint() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let strict = #"{"type": "object", "properties": {"image": {"type": "object"}, "bifrost": {"type": "object", "additionalProperties": false, "properties": {"guardrails": {"type": "object"}}}}}"#
        let chart = try chart("2.1.16", schema: strict, in: dir)
        let out = dir.appendingPathComponent("out.yaml").path
        let r = try CLI.run(["compose", "--chart", chart.path, "--overlay", "teams", "--no-lint", "-o", out])
        #expect(r.status == 1)
        #expect(r.stderr.contains("BF005") && r.stderr.contains("additional property 'governance'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try CLI.run(["compose", "--chart", chart.path, "--overlay", "guardrails", "-o", out]).status == 0)
    }
}
