import BifrostLint
import Foundation
import Testing

@Suite("Settings file, suppressions, plugins, --render")
struct IntegrationTests {
    static let release = CLI.repoRoot.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml")

    func workspace(_ files: [String: String]) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func settingsFileIsFoundUpwardAndApplied() throws {
        let releaseText = try String(contentsOf: Self.release, encoding: .utf8)
        let dir = try workspace([
            ".kubectl-bifrost.yaml": "disable: [BF201, rolling-update]\nseverity: {BF104: error}\nignore: [\"vendor/**\"]\n",
            "deploy/release.yaml": releaseText,
            "vendor/other/release.yaml": releaseText,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "-R", "."], in: dir.appendingPathComponent("deploy").deletingLastPathComponent())
        #expect(r.status == 1)
        let found = CLI.findings(r.stdout)
        #expect(!found.contains { $0.contains("vendor/") })
        #expect(!found.contains { $0.hasSuffix("BF201") || $0.hasSuffix("BF106") })
        #expect(r.stdout.contains("error BF104 gossip-port"))
        // Found from a subdirectory too.
        let sub = try CLI.run(["lint", "release.yaml"], in: dir.appendingPathComponent("deploy"))
        #expect(!sub.stdout.contains("BF201"))
    }

    @Test func explicitConfigAndFailOnFromIt() throws {
        let dir = try workspace(["strict.yaml": "fail-on: warning\nenable: [BF202]\n", "gitops/hr.yaml": try String(contentsOf: CLI.repoRoot.appendingPathComponent("charts-fixtures/pre-2.1.14/gitops/helmrelease.yaml"), encoding: .utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "--config", "strict.yaml", "gitops/hr.yaml"], in: dir)
        #expect(r.status == 1)
        #expect(CLI.findings(r.stdout).map { String($0.split(separator: " ")[1]) } == ["BF202"])
        let overridden = try CLI.run(["lint", "--config", "strict.yaml", "--fail-on", "error", "gitops/hr.yaml"], in: dir)
        #expect(overridden.status == 0)
    }

    @Test(arguments: [
        ("disable: [BF999]\n", "1:11", "unknown rule 'BF999'"),
        ("severity:\n  BF104: fatal\n", "2:10", "severity must be"),
        ("colour: true\n", "1:1", "unknown setting 'colour'"),
        ("ignore: [\n", "2:1", ""),
    ])
    func badSettingsFileExitsTwoNamingTheLine(text: String, position: String, message: String) throws {
        let dir = try workspace([".kubectl-bifrost.yaml": text, "v.yaml": "a: 1\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "v.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains(".kubectl-bifrost.yaml:\(position): \(message)"), "\(r.stderr)")
    }

    @Test func suppressionCommentsAndAnnotationsEndToEnd() throws {
        let values = """
        bifrost:
          providers:
            openai:
              keys:
                - name: batch
                  models: []  # kubectl-bifrost: disable=BF302 (deny on purpose)
                - name: other
                  # kubectl-bifrost: disable=empty-list-denies-all
                  models: []
                - name: third
                  models: ["*"]  # kubectl-bifrost: disable=BF303
                  note: "# kubectl-bifrost: disable-file=BF302"
                - name: fourth
                  models: []

        """
        let dir = try workspace(["values.yaml": values])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["lint", "values.yaml"], in: dir)
        #expect(CLI.findings(r.stdout) == ["values.yaml:11:26 BF004", "values.yaml:14:19 BF302"])
        #expect(r.status == 1)
    }

    @Test func annotationSuppressesInsideTheObjectOnly() throws {
        let text = try String(contentsOf: Self.release, encoding: .utf8)
            .replacingOccurrences(of: "  name: gateway-bifrost-headless\n  namespace: llm-gateway\n", with: "  name: gateway-bifrost-headless\n  namespace: llm-gateway\n  annotations:\n    kubectl-bifrost.io/ignore: \"BF104,BF102\"\n")
        let r = try CLI.run(["lint", "-"], stdin: text)
        let found = CLI.findings(r.stdout)
        #expect(!found.contains("-:107:3 BF102") && !found.contains { $0.hasSuffix("BF102") })
        #expect(found.filter { $0.hasSuffix("BF104") }.count == 1, "the NetworkPolicy's BF104 stays: \(found)")
    }

    @Test func readmeRuleTableMatchesTheRegistry() throws {
        let readme = try String(contentsOf: CLI.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- rules:start"))
        let afterMarker = try #require(readme[start.upperBound...].range(of: "\n"))
        let end = try #require(readme.range(of: "<!-- rules:end -->"))
        #expect(String(readme[afterMarker.upperBound..<end.lowerBound]) == RuleTable.markdown(), "README's rule table drifted: run `make readme`")
    }

    @Test func helmPluginManifestRunsTheLinter() throws {
        let manifest = try #require(YAMLParser.parse(name: "plugin.yaml", text: String(contentsOf: CLI.repoRoot.appendingPathComponent("plugin.yaml"), encoding: .utf8)).documents.first?.root)
        #expect(manifest["name"]?.string == "bifrost")
        let command = try #require(manifest["command"]?.string)
        // Helm expands $HELM_PLUGIN_DIR and appends the user's arguments.
        let pluginDir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: pluginDir) }
        let expanded = command.replacingOccurrences(of: "$HELM_PLUGIN_DIR", with: pluginDir.path)
        let target = URL(fileURLWithPath: expanded)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: CLI.binary)
        let failing = try CLI.run(["lint", "charts-fixtures/pre-2.1.14/rendered/release.yaml"], executable: target)
        #expect(failing.status == 1 && failing.stdout.contains("BF101"))
        let clean = try CLI.run(["lint", "-R", "charts-fixtures/2.1.14"], executable: target)
        #expect(clean.status == 0)
        #expect(manifest["hooks"]?["install"]?.string?.contains("make release") == true)
    }

    @Test func preCommitHookSelectsFilesAndRunsTheEntry() throws {
        let hooks = try #require(YAMLParser.parse(name: ".pre-commit-hooks.yaml", text: String(contentsOf: CLI.repoRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)).documents.first?.root)
        let hook = try #require(hooks.items.first)
        #expect(hook["id"]?.string == "kubectl-bifrost")
        #expect(hook["require_serial"]?.bool == true)
        let files = try NSRegularExpression(pattern: try #require(hook["files"]?.string))
        let exclude = try NSRegularExpression(pattern: try #require(hook["exclude"]?.string))
        func selected(_ path: String) -> Bool {
            let range = NSRange(path.startIndex..., in: path)
            return files.firstMatch(in: path, range: range) != nil && exclude.firstMatch(in: path, range: range) == nil
        }
        #expect(selected("deploy/values-prod.yaml") && selected("config.json") && selected("charts/gw/Chart.lock"))
        #expect(!selected("charts/gw/templates/stateful.yaml") && !selected("README.md"))
        // pre-commit runs `entry` with the selected files appended.
        let entry = try #require(hook["entry"]?.string).split(separator: " ").map(String.init)
        #expect(entry.first == "kubectl-bifrost")
        let args = Array(entry.dropFirst()) + ["charts-fixtures/pre-2.1.14/chart/values.yaml", "charts-fixtures/pre-2.1.14/chart/Chart.lock"]
        let r = try CLI.run(args)
        #expect(r.status == 1)
        #expect(r.stdout.contains("BF201") && r.stdout.contains("BF105"))
    }

    @Test func renderWithoutHelmSaysWhatToDo() throws {
        let empty = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let r = try CLI.run(["lint", "--render", "charts-fixtures/pre-2.1.14/chart"], environment: ["PATH": empty.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--render needs helm on PATH"))
        #expect(r.stderr.contains("helm template RELEASE CHART | kubectl bifrost lint -"))
    }

    @Test func renderRunsHelmTemplateWithTheValues() throws {
        let bin = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bin) }
        let log = bin.appendingPathComponent("args")
        // A stand-in for helm that records its arguments and prints a rendered release.
        let fake = "#!/bin/sh\necho \"$@\" > '\(log.path)'\ncat '\(Self.release.path)'\n"
        let helm = bin.appendingPathComponent("helm")
        try fake.write(to: helm, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helm.path)
        let chart = "charts-fixtures/pre-2.1.14/chart"
        let r = try CLI.run(["lint", "--render", chart, "--values", "prod.yaml", "--values", "eu.yaml"], environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(r.status == 1)
        #expect(try String(contentsOf: log, encoding: .utf8) == "template \(chart) --values prod.yaml --values eu.yaml\n")
        #expect(r.stdout.contains("\(chart)/(helm template):156:11: error BF101"))
        #expect(r.stdout.contains("\(chart)/Chart.yaml:10:14: error BF201"))
    }

    @Test func failingHelmIsReportedWithItsMessage() throws {
        let bin = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bin) }
        // Fills both pipes well past their buffers before failing: the run must not stall.
        let fake = "#!/bin/sh\nhead -c 300000 /dev/zero | tr '\\0' x\nhead -c 100000 /dev/zero | tr '\\0' y >&2\necho >&2\necho 'Error: chart requires kubeVersion' >&2\nexit 3\n"
        let helm = bin.appendingPathComponent("helm")
        try fake.write(to: helm, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helm.path)
        let chart = "charts-fixtures/pre-2.1.14/chart"
        let r = try CLI.run(["lint", "--render", chart], environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(r.status == 2)
        // Pages of earlier output are cut to the last lines, which hold helm's error.
        #expect(r.stderr.hasSuffix("helm template \(chart) failed: …Error: chart requires kubeVersion\n"))
    }
}
