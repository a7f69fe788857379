import BifrostLint
import Foundation
import Testing

@Suite("kubectl-bifrost lint, end to end")
struct LintEndToEndTests {
    static let pre = "charts-fixtures/pre-2.1.14"

    @Test func preUpgradeFixturesTriggerEveryRuleAtTheRightPlaces() throws {
        let r = try CLI.run(["lint", "-R"] + ["broken", "chart", "gitops", "rendered"].map { "\(Self.pre)/\($0)" })
        #expect(r.status == 1)
        let expected = [
            "\(Self.pre)/broken/values-override.yaml:5:3 BF001",
            "\(Self.pre)/chart/Chart.lock:4:12 BF201",
            "\(Self.pre)/chart/Chart.yaml:10:14 BF201",
            "\(Self.pre)/chart/values.yaml:24:15 BF105",
            "\(Self.pre)/chart/values.yaml:29:5 BF002",
            "\(Self.pre)/gitops/argocd-application.yaml:12:21 BF201",
            "\(Self.pre)/gitops/helmfile.yaml:9:14 BF202",
            "\(Self.pre)/gitops/helmrelease.yaml:12:16 BF202",
            "\(Self.pre)/rendered/release.yaml:10:20 BF201",
            "\(Self.pre)/rendered/release.yaml:20:3 BF103",
            "\(Self.pre)/rendered/release.yaml:20:3 BF104",
            "\(Self.pre)/rendered/release.yaml:105:3 BF102",
            "\(Self.pre)/rendered/release.yaml:105:3 BF104",
            "\(Self.pre)/rendered/release.yaml:128:16 BF107",
            "\(Self.pre)/rendered/release.yaml:131:11 BF106",
            "\(Self.pre)/rendered/release.yaml:156:11 BF101",
        ]
        #expect(CLI.findings(r.stdout) == expected)
        #expect(r.stdout.contains("Found 16 problems (11 errors, 5 warnings) in 8 files."))
        // Excerpt with a caret under the exact columns.
        #expect(r.stdout.contains(" 156 |           ports:\n     |           ^^^^^\n"))
    }

    @Test func preUpgradeGovernanceFixturesTriggerEveryConfigRule() throws {
        let g = "\(Self.pre)/governance"
        let r = try CLI.run(["lint", "-R", g])
        #expect(r.status == 1)
        let expected = [
            "\(g)/config-v1.json:2:14 BF310",
            "\(g)/config.json:7:5 BF309",
            "\(g)/config.json:8:5 BF308",
            "\(g)/config.json:13:90 BF302",
            "\(g)/config.json:22:32 BF304",
            "\(g)/config.json:26:13 BF307",
            "\(g)/config.json:33:109 BF307",
            "\(g)/config.json:43:34 BF301",
            "\(g)/config.json:43:89 BF303",
            "\(g)/config.json:44:84 BF302",
            "\(g)/config.json:44:88 BF306",
            "\(g)/config.json:47:58 BF305",
            "\(g)/config.json:52:92 BF304",
            "\(g)/config.json:58:5 BF401",
            "\(g)/rest/openai-provider.json:3:3 BF311",
            "\(g)/values.yaml:22:5 BF309",
            "\(g)/values.yaml:24:5 BF308",
            "\(g)/values.yaml:32:19 BF302",
            "\(g)/values.yaml:36:35 BF303",
            "\(g)/values.yaml:45:15 BF304",
            "\(g)/values.yaml:55:13 BF307",
            "\(g)/values.yaml:67:13 BF307",
            "\(g)/values.yaml:93:13 BF301",
            "\(g)/values.yaml:95:9 BF306",
            "\(g)/values.yaml:103:9 BF305",
            "\(g)/values.yaml:110:22 BF302",
            "\(g)/values.yaml:112:13 BF306",
            "\(g)/values.yaml:115:31 BF302",
            "\(g)/values.yaml:128:5 BF401",
        ]
        #expect(CLI.findings(r.stdout) == expected)
        let codes = Set(expected.map { $0.split(separator: " ")[1] })
        #expect(codes == ["BF301", "BF302", "BF303", "BF304", "BF305", "BF306", "BF307", "BF308", "BF309", "BF310", "BF311", "BF401"])
        // Under `version: 1`, config-v1.json's empty lists are not BF302.
        #expect(!expected.contains { $0.hasPrefix("\(g)/config-v1.json") && $0.hasSuffix("BF302") })
    }

    @Test func compliantFixturesAreClean() throws {
        let r = try CLI.run(["lint", "-R", "charts-fixtures/2.1.14"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout == "No problems found in 12 files.\n")
    }

    @Test func withoutRecursionADirectoryGivesOnlyItsOwnFiles() throws {
        let r = try CLI.run(["lint", "charts-fixtures/pre-2.1.14"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("in 0 files"))
        // The skipped subdirectories are named, with the -R hint (issue 18).
        #expect(r.stderr.contains("5 subdirectories not linted (charts-fixtures/pre-2.1.14/broken, charts-fixtures/pre-2.1.14/chart, charts-fixtures/pre-2.1.14/gitops and 2 more); use -R"), "\(r.stderr)")
        #expect(r.stderr.contains("no YAML or JSON files found"))
    }

    @Test func chartDirectoryGivesChartLockAndValues() throws {
        let r = try CLI.run(["lint", "-f", "\(Self.pre)/chart"])
        #expect(r.status == 1)
        #expect(Set(CLI.findings(r.stdout).map { $0.split(separator: ":")[0] }) == ["\(Self.pre)/chart/Chart.lock", "\(Self.pre)/chart/Chart.yaml", "\(Self.pre)/chart/values.yaml"])
    }

    @Test func standardInputIsNamedDash() throws {
        let text = try String(contentsOf: CLI.repoRoot.appendingPathComponent("\(Self.pre)/rendered/release.yaml"), encoding: .utf8)
        let r = try CLI.run(["lint", "-"], stdin: text)
        #expect(r.status == 1)
        #expect(CLI.findings(r.stdout).contains("-:156:11 BF101"))
    }

    @Test func failOnAndRuleSelection() throws {
        let helmrelease = "\(Self.pre)/gitops/helmrelease.yaml"
        #expect(try CLI.run(["lint", helmrelease]).status == 0, "warnings alone pass at the default --fail-on error")
        #expect(try CLI.run(["lint", "--fail-on", "warning", helmrelease]).status == 1)
        #expect(try CLI.run(["lint", "--fail-on", "none", "-R", Self.pre]).status == 0)
        let disabled = try CLI.run(["lint", "--disable", "BF202", "--disable", "gossip-port", "-R", Self.pre])
        #expect(!disabled.stdout.contains("BF202") && !disabled.stdout.contains("BF104") && disabled.stdout.contains("BF101"))
        let only = try CLI.run(["lint", "--enable", "BF101", "-R", Self.pre])
        // Input errors (the fixtures' syntax error and duplicate key) are reported whatever the selection (issue 18).
        #expect(CLI.findings(only.stdout).map { $0.split(separator: " ")[1] } == ["BF001", "BF002", "BF101"])
    }

    @Test func commandFailuresExitTwo() throws {
        let missing = try CLI.run(["lint", "no/such/file.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/file.yaml: no such file or directory"))
        #expect(try CLI.run(["lint", "--fail-on", "sometimes", "x"]).status == 2)
        #expect(try CLI.run(["lint", "--disable", "BF999", "x"]).status == 2)
        #expect(try CLI.run(["lint", "--no-such-flag", "x"]).status == 2)
        #expect(try CLI.run(["lint"]).status == 2)
        #expect(try CLI.run(["explain", "BF999"]).status == 2)
    }

    @Test func rulesExplainVersionAndHelp() throws {
        let rules = try CLI.run(["rules"])
        #expect(rules.status == 0)
        for code in ["BF001", "BF002", "BF101", "BF107", "BF201", "BF202"] { #expect(rules.stdout.contains(code)) }
        let json = try CLI.run(["rules", "-o", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(list.compactMap { $0["code"] as? String } == RuleRegistry.all.map(\.description.code))
        #expect(list.allSatisfy { ($0["rationale"] as? String)?.isEmpty == false })
        let explain = try CLI.run(["explain", "networkpolicy-grpc-port"])
        #expect(explain.status == 0 && explain.stdout.hasPrefix("BF103 networkpolicy-grpc-port"))
        #expect(try CLI.run(["version"]).stdout.hasPrefix("kubectl-bifrost "))
        for command in ["lint", "rules", "explain", "version"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("Example"), "\(command) --help")
        }
        #expect(try CLI.run(["--help"]).stdout.contains("kubectl bifrost lint"))
    }

    static let kubectl = ["/usr/local/bin/kubectl", "/usr/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: kubectl != nil, "kubectl is not installed"))
    func runsAsAKubectlPlugin() throws {
        let dir = CLI.binary.deletingLastPathComponent().path
        let path = dir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try CLI.run(["bifrost", "lint", "-R", "charts-fixtures/2.1.14"], executable: URL(fileURLWithPath: Self.kubectl!), environment: ["PATH": path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("No problems found in 12 files."))
        let failing = try CLI.run(["bifrost", "lint", "\(Self.pre)/rendered/release.yaml"], executable: URL(fileURLWithPath: Self.kubectl!), environment: ["PATH": path])
        #expect(failing.status == 1)
    }
}
