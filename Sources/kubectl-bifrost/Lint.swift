import ArgumentParser
import BifrostLint
import Foundation

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report what breaks when upgrading to Bifrost Enterprise v1.4.0.",
        discussion: """
        PATH may be a file, a directory (its .yaml/.yml/.json files; a chart directory's Chart.yaml, \
        Chart.lock and values files), or - for standard input.

        Exit status: 0 no finding at or above --fail-on, 1 findings, 2 the command could not run.

        Examples:
          kubectl bifrost lint values.yaml config.json
          helm template gw bifrost/bifrost -f values.yaml | kubectl bifrost lint -
          kubectl bifrost lint -R -f deploy/ --fail-on warning
        """
    )

    @Argument(help: "Files or directories to lint; - reads standard input.")
    var paths: [String] = []

    @Option(name: .customShort("f"), help: "A file or directory to lint (repeatable), as with kubectl -f.")
    var files: [String] = []

    @Flag(name: .customShort("R"), help: "Descend into directories.")
    var recursive = false

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit status 1: error, warning, info or none.")
    var failOn: String = "error"

    @Option(help: "Run only these rules (code or name, repeatable).")
    var enable: [String] = []

    @Option(help: "Skip these rules (code or name, repeatable).")
    var disable: [String] = []

    func validate() throws {
        guard ["error", "warning", "info", "none"].contains(failOn) else {
            throw ValidationError("--fail-on must be error, warning, info or none, not '\(failOn)'")
        }
        for code in enable + disable where RuleRegistry.rule(named: code) == nil {
            throw ValidationError("unknown rule '\(code)'; `kubectl bifrost rules` lists them")
        }
        if paths.isEmpty && files.isEmpty {
            throw ValidationError("nothing to lint: give a PATH, -f FILE, or - for standard input")
        }
    }

    func run() throws {
        let collector = InputCollector(recursive: recursive)
        let sources: [SourceFile]
        do {
            sources = try collector.collect(paths + files)
        } catch let error as InputError {
            FileHandle.standardError.write(Data("kubectl-bifrost: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        if sources.isEmpty {
            let hint = recursive ? "" : " (use -R to descend into subdirectories)"
            FileHandle.standardError.write(Data("kubectl-bifrost: warning: no YAML or JSON files found\(hint)\n".utf8))
        }
        var rules = RuleRegistry.all
        if !enable.isEmpty {
            let wanted = enable.compactMap { RuleRegistry.rule(named: $0)?.description.code }
            rules = rules.filter { wanted.contains($0.description.code) }
        }
        let skipped = disable.compactMap { RuleRegistry.rule(named: $0)?.description.code }
        rules = rules.filter { !skipped.contains($0.description.code) }

        let findings = Linter(rules: rules).lint(sources)
        let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        print(TextReporter(color: color).report(findings, fileCount: sources.count), terminator: "")
        if let threshold = Severity(rawValue: failOn), findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}
