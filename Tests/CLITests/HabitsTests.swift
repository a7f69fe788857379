import Foundation
import Testing

/// What users of kubectl, Helm and ruff expect from a command line (issue 18, "Habits people
/// bring"); each test failed before the change it guards.
@Suite("Habits people bring")
struct HabitsTests {
    static let release = "charts-fixtures/pre-2.1.14/rendered/release.yaml"
    static let chartYAML = "apiVersion: v2\nname: gateway\nversion: 0.3.0\ndependencies:\n  - name: bifrost\n    version: 2.1.10\n"
    static let legacyValues = "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        provider_configs:\n          - provider: openai\n            allowed_models: [\"*\"]\n            allowed_keys: [k]\n"

    /// A shell to run the binary with redirections and process substitution.
    static func sh(_ script: String) throws -> CLI.Result {
        try CLI.run(["-c", script], executable: URL(fileURLWithPath: "/bin/bash"), environment: ["BIN": CLI.binary.path])
    }

    @Test func quietPrintsOnlyTheFindings() throws {
        let r = try CLI.run(["lint", "--quiet", Self.release])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error BF101"))
        #expect(!r.stdout.contains("Found ") && !r.stdout.contains("problems"), "\(r.stdout)")
        let clean = try CLI.run(["lint", "-q", "charts-fixtures/2.1.14/rendered"])
        #expect(clean.status == 0 && clean.stdout.isEmpty, "\(clean.stdout)")
    }

    @Test func colorIsChosenByFlagTerminalTermAndNoColor() throws {
        let always = try CLI.run(["lint", "--color", "always", Self.release])
        #expect(always.stdout.contains("\u{1B}[1;31merror"))
        #expect(try CLI.run(["lint", "--color", "sometimes", Self.release]).status == 2)
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            Issue.record("util-linux `script` is needed to give the command a terminal")
            return
        }
        let lint = "\(CLI.binary.path) lint \(Self.release)"
        let dumb = try CLI.run(["-qec", lint, "/dev/null"], executable: script, environment: ["NO_COLOR": "", "TERM": "dumb"])
        #expect(dumb.stdout.contains("error BF101") && !dumb.stdout.contains("\u{1B}["))
        let never = try CLI.run(["-qec", lint + " --color never", "/dev/null"], executable: script, environment: ["NO_COLOR": "", "TERM": "xterm"])
        #expect(never.stdout.contains("error BF101") && !never.stdout.contains("\u{1B}["))
        let auto = try CLI.run(["-qec", lint, "/dev/null"], executable: script, environment: ["NO_COLOR": "", "TERM": "xterm"])
        #expect(auto.stdout.contains("\u{1B}[1;31merror"))
    }

    @Test func stdinFilenameMakesPipedChartYAMLRecognised() throws {
        let unnamed = try CLI.run(["lint", "-"], stdin: Self.chartYAML)
        #expect(unnamed.status == 0)
        let named = try CLI.run(["lint", "--stdin-filename", "charts/gw/Chart.yaml", "-"], stdin: Self.chartYAML)
        #expect(named.status == 1)
        #expect(named.stdout.contains("charts/gw/Chart.yaml:6:14: error BF201"), "\(named.stdout)")
    }

    @Test func fixOnStandardInputWritesTheFixedTextToStandardOutput() throws {
        let r = try CLI.run(["lint", "--fix", "-"], stdin: Self.legacyValues)
        #expect(r.stdout == Self.legacyValues.replacingOccurrences(of: "allowed_keys", with: "key_ids"), "\(r.stdout)")
        #expect(r.stderr.contains("fixed 1 problem"))
        #expect(r.status == 0)
        // Nothing to fix: the text goes through unchanged, and the findings go to stderr.
        let same = try CLI.run(["lint", "--fix", "-"], stdin: Self.chartYAML)
        #expect(same.stdout == Self.chartYAML)
    }

    /// Standard input named as a file also given would share that file's fixes: refused. Named
    /// like it in another normal form (`é`, `e` + U+0301), it is another file: its text goes to
    /// standard output and the file is left alone.
    @Test func fixOnStandardInputNamedLikeAnInputFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("caf\u{E9}.yaml")
        let clean = "bifrost:\n  client:\n    dropExcessRequests: true\n"
        try clean.write(to: file, atomically: true, encoding: .utf8)
        let same = try CLI.run(["lint", "--fix", "--stdin-filename", "caf\u{E9}.yaml", "-", "caf\u{E9}.yaml"], stdin: Self.legacyValues, in: dir)
        #expect(same.status == 2 && same.stderr.contains("--stdin-filename caf\u{E9}.yaml names a file that is also an input"), "\(same.stderr)")
        let other = try CLI.run(["lint", "--fix", "--stdin-filename", "cafe\u{301}.yaml", "-", "caf\u{E9}.yaml"], stdin: Self.legacyValues, in: dir)
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stdout == Self.legacyValues.replacingOccurrences(of: "allowed_keys", with: "key_ids"), "\(other.stdout)")
        #expect(try String(contentsOf: file, encoding: .utf8) == clean)
    }

    @Test func completionScriptsAreGeneratedAndDocumented() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try CLI.run(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains("kubectl-bifrost"), "\(shell): \(r.stderr)")
        }
        let readme = try String(contentsOf: CLI.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("--generate-completion-script bash"))
    }

    @Test func composeReadsStandardInputDevFdAndDevNull() throws {
        let stdin = try CLI.run(["compose", "--no-lint", "--values", "-", "--set", "a=1"], stdin: "b: 2\n")
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.stdout.hasSuffix("b: 2\na: 1\n"), "\(stdin.stdout)")
        let null = try CLI.run(["compose", "--no-lint", "--values", "/dev/null", "--set", "a=1"])
        #expect(null.status == 0 && null.stdout.hasSuffix("a: 1\n"), "\(null.stderr)")
        let fd = try Self.sh("\"$BIN\" compose --no-lint --values <(printf 'c: 3\\n')")
        #expect(fd.status == 0 && fd.stdout.hasSuffix("c: 3\n"), "\(fd.stderr)")
    }

    @Test func errorsCarryTheSystemsReason() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let unwritable = try CLI.run(["compose", "--no-lint", "--set", "a=1", "-o", dir.appendingPathComponent("missing/out.yaml").path])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("cannot be written: No such file or directory"), "\(unwritable.stderr)")
        let unreadable = try CLI.run(["compose", "--values", dir.path])
        #expect(unreadable.status == 2 && unreadable.stderr.contains("cannot be read: is a directory"), "\(unreadable.stderr)")
        let stdinDir = try Self.sh("\"$BIN\" lint --fix - < /")
        #expect(stdinDir.status == 2)
        #expect(stdinDir.stderr.contains("-: standard input cannot be read: Is a directory"), "\(stdinDir.stderr)")
        let settings = try CLI.run(["lint", "--config", dir.path, Self.release])
        #expect(settings.status == 2 && settings.stderr.contains("cannot read the settings file: is a directory"), "\(settings.stderr)")
    }

    @Test func aSelfReferencingSymlinkIsALoopNotAMissingFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("values.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "values.yaml")
        let r = try CLI.run(["lint", link.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Too many levels of symbolic links"), "\(r.stderr)")
        #expect(!r.stderr.contains("no such file"))
        #expect(try CLI.run(["lint", dir.appendingPathComponent("absent.yaml").path]).stderr.contains("no such file or directory"))
    }

    @Test func unknownRulesSuggestNearMatches() throws {
        let far = try CLI.run(["explain", "BF999"])
        #expect(far.status == 2 && far.stderr.contains("unknown rule 'BF999'; did you mean "), "\(far.stderr)")
        let typo = try CLI.run(["explain", "gosip-port"])
        #expect(typo.stderr.contains("did you mean BF104 gossip-port?"), "\(typo.stderr)")
        let lint = try CLI.run(["lint", "--enable", "BF1O1", Self.release])
        #expect(lint.status == 2 && lint.stderr.contains("did you mean BF101 statefulset-grpc-port"), "\(lint.stderr)")
    }

    @Test func helpExamplesAreNotWrappedInsideACommand() throws {
        for command in [["--help"], ["lint", "--help"], ["compose", "--help"], ["explain", "--help"], ["rules", "--help"]] {
            let help = try CLI.run(command, environment: ["COLUMNS": "80"]).stdout
            guard let examples = help.range(of: "Example") else { continue }
            let block = help[examples.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix { !$0.isEmpty }
            var continued = false
            for line in block {
                // Every line is a command, or continues one that ended in a backslash.
                #expect(line.hasPrefix("  ") && (continued || line.hasPrefix("  kubectl ") || line.hasPrefix("  helm ")), "\(command): \(line)")
                #expect(line.count <= 80, "\(command): \(line)")
                continued = line.hasSuffix("\\")
            }
        }
    }
}
