import Foundation
import Testing

@Suite("kubectl-bifrost lint --fix / --diff, end to end")
struct FixEndToEndTests {
    func workspace() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for name in ["values.yaml", "config.json"] {
            try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("charts-fixtures/pre-2.1.14/governance/\(name)"), to: dir.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml"), to: dir.appendingPathComponent("release.yaml"))
        return dir
    }

    func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) { out[name] = try Data(contentsOf: dir.appendingPathComponent(name)) }
        return out
    }

    @Test func diffWritesNothingAndSaysWhetherAnythingWouldChange() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try contents(dir)
        let r = try CLI.run(["lint", "--diff", "values.yaml", "config.json", "release.yaml"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("--- a/values.yaml\n+++ b/values.yaml\n"))
        #expect(r.stdout.contains("-            allowed_keys: [\"openai-prod\"]\n+            key_ids: [\"openai-prod\"]\n"))
        #expect(r.stdout.contains("+            - name: grpc\n+              containerPort: 10102\n+              protocol: TCP\n"))
        #expect(try contents(dir) == before)
    }

    /// CI runs `--diff` as a gate: it fails while a finding would remain, even one no fix
    /// covers, and names a refused fix instead of dropping it silently.
    @Test func diffFailsWhileFindingsRemain() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // BF305 has no fix: nothing would change, but the key still denies every provider.
        try "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs: []\n".write(to: dir.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--diff", "values.yaml"], in: dir)
        #expect(r.status == 1 && r.stdout.isEmpty, "\(r.status) \(r.stdout)")
        // An anchored empty list: the unsafe fix keeps the anchor, and the safe one still applies.
        try "bifrost:\n  client:\n    allowDirectKeys: true\n    initialPoolSize: 5\n  providers:\n    openai:\n      keys:\n        - {name: a, weight: 1, models: &none []}\n        - {name: b, weight: 1, models: *none}\n".write(to: dir.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        let u = try CLI.run(["lint", "--diff", "--unsafe-fixes", "values.yaml"], in: dir)
        #expect(u.status == 1 && u.stdout.contains("-    allowDirectKeys: true") && u.stdout.contains("&none [\"*\"]"), "\(u.stdout)\n\(u.stderr)")
        #expect(!u.stderr.contains("nothing written"))
    }

    @Test func fixRewritesInPlaceThenChangesNothing() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["values.yaml", "config.json", "release.yaml"]
        let first = try CLI.run(["lint", "--fix"] + files, in: dir)
        #expect(first.stderr.contains("kubectl-bifrost: fixed "))
        #expect(first.status == 1, "unsafe and unfixable findings remain")
        let remaining = CLI.findings(first.stdout).map { String($0.split(separator: " ")[1]) }
        for code in ["BF101", "BF102", "BF103", "BF301", "BF307", "BF308", "BF309"] {
            #expect(!remaining.contains(code), "\(code) should be fixed")
        }
        // These budgets have no single owner to name: one sits on an anchored key that another
        // merges, two on provider configs without an integer id.
        #expect(remaining.filter { $0 == "BF306" }.count == 3)
        #expect(remaining.contains("BF302") && remaining.contains("BF305"))
        let values = try String(contentsOf: dir.appendingPathComponent("values.yaml"), encoding: .utf8)
        #expect(values.contains("# Product teams share one shape; each key overrides id, name and team."))
        #expect(values.contains("- &team-key"))

        let fixedOnce = try contents(dir)
        let second = try CLI.run(["lint", "--fix"] + files, in: dir)
        #expect(second.stderr.contains("fixed 0 problems in 0 files"))
        #expect(try contents(dir) == fixedOnce)
        // Nothing left to change, but unfixable findings remain: no diff, still exit 1.
        let again = try CLI.run(["lint", "--diff"] + files, in: dir)
        #expect(again.status == 1 && again.stdout.isEmpty)

        // The unsafe fix is opt-in.
        let unsafeDiff = try CLI.run(["lint", "--diff", "--unsafe-fixes", "values.yaml"], in: dir)
        #expect(unsafeDiff.status == 1 && unsafeDiff.stdout.contains("+          models: [\"*\"]"))
    }

    /// Standard input cannot be rewritten in place: as `ruff check --fix -`, the fixed text goes
    /// to standard output (issue 18; it used to be refused with "use --diff").
    @Test func fixOfStandardInputWritesItToStandardOutput() throws {
        let r = try CLI.run(["lint", "--fix", "-"], stdin: "bifrost:\n  client: {allowDirectKeys: true, enableLogging: true}\n")
        #expect(r.stdout == "bifrost:\n  client: {enableLogging: true}\n", "\(r.stdout)")
        #expect(!r.stderr.contains("cannot be fixed in place"))
        let diff = try CLI.run(["lint", "--diff", "-"], stdin: "bifrost:\n  client: {allowDirectKeys: true, enableLogging: true}\n")
        #expect(diff.status == 1 && diff.stdout.contains("+  client: {enableLogging: true}"))
        #expect(try CLI.run(["lint", "--unsafe-fixes", "-"], stdin: "a: 1\n").status == 2)
    }
}
