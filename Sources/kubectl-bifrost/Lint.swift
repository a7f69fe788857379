import ArgumentParser
import BifrostLint
import YAMLSource
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report what breaks when upgrading to Bifrost Enterprise v1.4.0.",
        discussion: """
        PATH may be a file, a directory (its .yaml/.yml/.json files; a chart directory's Chart.yaml, \
        Chart.lock and values files), or - for standard input.

        Settings are read from .kubectl-bifrost.yaml in the working directory or the nearest \
        parent, or from --config.

        Exit status: 0 no finding at or above --fail-on, 1 findings, 2 the command could not run.

        Examples:
          kubectl bifrost lint values.yaml config.json
          helm template gw bifrost/bifrost -f values.yaml | kubectl bifrost lint -
          kubectl bifrost lint -R -f deploy/ --fail-on warning
          kubectl bifrost lint --render ./charts/gateway --values values-prod.yaml
          kubectl bifrost lint -o sarif -R . > kubectl-bifrost.sarif
          kubectl get secrets -A -l owner=helm -o yaml | kubectl bifrost lint -
          kubectl bifrost lint --cluster -A
        """
    )

    @Argument(help: "Files or directories to lint; - reads standard input.")
    var paths: [String] = []

    @Option(name: .customShort("f"), help: "A file or directory to lint (repeatable), as with kubectl -f.")
    var files: [String] = []

    @Flag(name: .customShort("R"), help: "Descend into directories.")
    var recursive = false

    @Flag(name: .customLong("follow-symlinks"), help: "With -R, also follow symbolic links that lead out of the directory given.")
    var followSymlinks = false

    @Option(name: .shortAndLong, help: "Output format: text, json, sarif, junit or github.")
    var output: String = "text"

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit status 1: error, warning, info or none (default: error).")
    var failOn: String?

    @Option(help: "Settings file (default: .kubectl-bifrost.yaml found upward from the working directory).")
    var config: String?

    @Option(help: "Run only these rules (code or name, repeatable); input errors BF001-BF003 are always reported.")
    var enable: [String] = []

    @Option(help: "Skip these rules (code or name, repeatable); BF001-BF003 cannot be skipped.")
    var disable: [String] = []

    @Flag(help: "Rewrite files in place with the safe fixes (comments, order and style elsewhere stay as they are).")
    var fix = false

    @Flag(name: .customLong("unsafe-fixes"), help: "With --fix or --diff, also apply fixes that change access semantics (BF302 [] → [\"*\"]).")
    var unsafeFixes = false

    @Flag(help: "Print the fixes as a unified diff and write nothing; exit 1 when anything would change or any finding would remain.")
    var diff = false

    @Flag(help: "Also lint `helm template` output of each chart directory given (needs helm on PATH).")
    var render = false

    @Option(name: .customLong("values"), help: "Values file passed to helm template with --render (repeatable).")
    var valuesFiles: [String] = []

    @Option(help: "Chart directory whose values.schema.json (after coalescing with its values.yaml) the values files are checked against (BF005).")
    var chart: String?

    @Option(name: .customLong("config-schema"), help: "Bifrost config schema (JSON) to check config.json inputs against (BF005).")
    var configSchema: String?

    @Flag(name: .shortAndLong, help: "Print only the findings: no summary line, no fix count.")
    var quiet = false

    @Option(help: "Colour text output: auto (a terminal, TERM not dumb, NO_COLOR unset), always or never.")
    var color: String = "auto"

    @Option(name: .customLong("stdin-filename"), help: "The name standard input (-) stands for, so Chart.yaml or config.json piped in is recognised and reported under that name.")
    var stdinFilename: String?

    @Flag(help: "Lint what is running: the Helm release records and live objects of the Bifrost releases, read with kubectl.")
    var cluster = false

    @Option(name: [.customShort("n"), .customLong("namespace")], help: "With --cluster, the namespace to look for Helm releases in (default: the context's).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "With --cluster, look for Helm releases in every namespace.")
    var allNamespaces = false

    @Option(help: "With --cluster, the kubeconfig context to use.")
    var context: String?

    @Option(help: "With --cluster, the kubeconfig file to use (else KUBECONFIG or ~/.kube/config, as kubectl reads them).")
    var kubeconfig: String?

    func validate() throws {
        guard OutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(output)'")
        }
        if let failOn, !["error", "warning", "info", "none"].contains(failOn) {
            throw ValidationError("--fail-on must be error, warning, info or none, not '\(failOn)'")
        }
        for code in enable + disable where RuleRegistry.rule(named: code) == nil {
            throw ValidationError(RuleRegistry.unknownRuleMessage(code))
        }
        if let code = disable.compactMap({ RuleRegistry.rule(named: $0)?.description.code }).first(where: Configuration.alwaysOn.contains) {
            throw ValidationError("--disable \(Configuration.cannotDisable(code))")
        }
        if paths.isEmpty && files.isEmpty && !cluster {
            throw ValidationError("nothing to lint: give a PATH, -f FILE, - for standard input, or --cluster")
        }
        if !cluster, namespace != nil || allNamespaces || context != nil || kubeconfig != nil {
            throw ValidationError("--namespace, --all-namespaces, --context and --kubeconfig only apply with --cluster")
        }
        if namespace != nil && allNamespaces {
            throw ValidationError("--namespace and --all-namespaces exclude each other")
        }
        if cluster && fix {
            throw ValidationError("--fix does not write to a cluster; use --cluster --diff to see the values fixes")
        }
        if unsafeFixes && !fix && !diff {
            throw ValidationError("--unsafe-fixes only applies with --fix or --diff")
        }
        if !["auto", "always", "never"].contains(color) {
            throw ValidationError("--color must be auto, always or never, not '\(color)'")
        }
        if let stdinFilename, stdinFilename.isEmpty || stdinFilename == "-" {
            throw ValidationError("--stdin-filename needs a file name")
        }
        if !valuesFiles.isEmpty && !render {
            throw ValidationError("--values only applies with --render")
        }
    }

    func run() throws {
        let settings = try loadConfiguration()
        let paths = self.paths + files
        var inputs: [InputFile]
        var renderedSources: [ExactString: (chart: String, lines: [(line: Int, source: String)])] = [:]
        var collector = InputCollector(recursive: recursive, followSymlinks: followSymlinks)
        if let stdinFilename { collector.stdinName = stdinFilename }
        // The input standard input is read as, when it is one.
        let stdinName: String? = paths.contains("-") ? collector.stdinName : nil
        do {
            inputs = try collector.collect(paths)
            if render {
                let rendered = try HelmRenderer(values: valuesFiles).renderWithSources(paths)
                inputs += rendered.inputs
                renderedSources = rendered.sources
            }
            if cluster {
                inputs += try ClusterFetcher(namespace: namespace, allNamespaces: allNamespaces, context: context, kubeconfig: kubeconfig).fetch()
            }
        } catch let error as InputError {
            fail(error.description)
        }
        inputs = inputs.filter { !settings.isIgnored($0.name) }
        let skipped = collector.skippedDirectories.filter { !settings.isIgnored($0) }
        if !skipped.isEmpty {
            let names = skipped.prefix(3).joined(separator: ", ") + (skipped.count > 3 ? " and \(skipped.count - 3) more" : "")
            let noun = skipped.count == 1 ? "subdirectory" : "subdirectories"
            System.printError("kubectl-bifrost: warning: \(skipped.count) \(noun) not linted (\(names)); use -R to descend into them\n")
        }
        if inputs.isEmpty {
            let hint = recursive || !skipped.isEmpty ? "" : " (use -R to descend into subdirectories)"
            System.printError("kubectl-bifrost: warning: no YAML or JSON files found\(hint)\n")
        }
        var linter = Linter(rules: settings.rules(enable: enable, disable: disable))
        linter.severityOverrides = settings.severity
        linter.releaseLog = ReleaseLog()
        // The live objects are what runs: the records' manifests would report them twice.
        linter.releaseManifests = !cluster
        linter.chartDirectory = chart
        linter.configSchemaPath = configSchema
        if let chart, System.isDirectory(chart) != true {
            fail("--chart \(chart): not a chart directory")
        }
        if linter.rules.contains(where: { $0.description.code == ValuesSchemaRule.description.code }) {
            let catalog = linter.schemaCatalog(inputNames: inputs.map(\.name))
            if let problem = catalog.problems.first { fail(problem) }
            linter.catalog = catalog
        }
        let findings: FindingList
        // A report that only prints findings does not keep their fixes to the end.
        linter.keepsFixes = fix || diff
        // JSON says which findings are fixable; the other formats do not.
        let format = OutputFormat(rawValue: output) ?? .text
        linter.computesFixes = fix || diff || format == .json
        // JSON and SARIF print each finding's YAML path; the other formats do not.
        linter.keepsPaths = [.json, .sarif].contains(format)
        // The process ends after the report: the run's facts go back with it, not one by one.
        linter.freesFacts = false
        do {
            if diff || fix {
                // Fixes edit whole files: read them whole (one open at a time, each within the
                // size limit). Only regular files are rewritten in place.
                // Names by their bytes: `é` and `e` + U+0301 name two files.
                var sources: [SourceFile] = [], unread: [Unread] = [], inPlace = Set<ExactString>()
                for input in inputs {
                    switch try input.load(limits: linter.limits) {
                    case .source(let source, let regular):
                        sources.append(source)
                        if regular { inPlace.insert(ExactString(source.name)) }
                    case .unread(let u):
                        unread.append(u)
                    }
                }
                // Fixes are told apart by file name: standard input named as a file also given
                // would take that file's fixes, and its own would be written there.
                if let stdinName, sources.filter({ $0.name.sameBytes(as: stdinName) }).count > 1 {
                    fail("--stdin-filename \(stdinName) names a file that is also an input; give standard input another name")
                }
                if diff {
                    // --diff prints no findings: say which inputs it did not read.
                    for u in unread { System.printError("kubectl-bifrost: \(u.file): \(u.message)\n") }
                    var (changed, fixed) = showDiff(linter, sources)
                    // Release records are never rewritten: their values are shown as a diff to
                    // apply with `helm upgrade -f`.
                    if showReleaseValuesDiff(linter, sources) { changed = true }
                    // Exit 1 while anything would change or any finding would remain.
                    let threshold = Severity(rawValue: failOn ?? settings.failOn ?? "error")
                    let remaining = threshold.map { level in linter.lint(fixed, unread: unread).contains { $0.severity >= level } } ?? false
                    throw ExitCode(changed || remaining ? 1 : 0)
                }
                sources = try applyFixes(linter, sources, inPlace: inPlace, stdinName: stdinName)
                let log = ReleaseLog()
                linter.releaseLog = log
                let fixedFindings = linter.lint(sources, unread: unread)
                let labels = log.entries.map { "release \($0.label): " }
                let inRecords = fixedFindings.filter { f in f.fixable && labels.contains { f.file.hasPrefix($0) } }.count
                if inRecords > 0 && !quiet {
                    System.printError("kubectl-bifrost: \(inRecords) fixable problem\(inRecords == 1 ? "" : "s") in Helm release records left as they are (release records are never rewritten); `--diff` shows the values fix to apply with `helm upgrade -f`\n")
                }
                findings = FindingList(fixedFindings)
            } else {
                let line = ProgressLine.wanted(quiet: quiet, environment: ProcessInfo.processInfo.environment) ? ProgressLine() : nil
                if let line { linter.progress = { line.update($0) } }
                findings = linter.findings(inputs: inputs)
                line?.erase()
            }
            if !quiet, let skipped = linter.releaseLog?.skippedSummary {
                System.printError("kubectl-bifrost: info: \(skipped)\n")
            }
        } catch let error as InputError {
            fail(error.description)
        }

        // `--fix -` writes the fixed text to standard output; the report goes to standard error.
        let reportToStderr = fix && stdinName != nil
        let color = format == .text && Self.useColor(color, fd: reportToStderr ? STDERR_FILENO : STDOUT_FILENO)
        var reported = findings
        if format == .sarif, !renderedSources.isEmpty {
            // Code scanning cannot place `CHART/(helm template)`: a finding there goes to the
            // template file its document's `# Source:` comment names.
            reported = FindingList(findings.map { f in
                guard let rendered = renderedSources[ExactString(f.file)],
                      let file = HelmRenderer.templateFile(chart: rendered.chart, sources: rendered.lines, line: f.range.start.line) else { return f }
                let start = Position(offset: 0, line: 1, column: 1)
                return f.relocated(to: Loc(file: file, range: SourceRange(start: start, end: start), path: f.path, lineText: ""),
                                   note: "(in the helm template output of \(rendered.chart), line \(f.range.start.line))")
            })
        }
        // The per-release table and JSON "releases" (none without release records).
        let releases = linter.releaseLog?.summaries(of: findings) ?? []
        let report = LintReport(findings: reported, files: inputs.map(\.name), releases: releases)
        let reporter = format.reporter(color: color, rules: linter.rules.map(\.description), version: BuildInfo.version, sourceRoot: FileManager.default.currentDirectoryPath)
        // Written as it is made, in chunks: never the whole report in one string.
        let sink = ReportSink(fd: reportToStderr ? STDERR_FILENO : STDOUT_FILENO)
        if quiet, format == .text, let text = reporter as? TextReporter {
            // The findings only: the summary is the report's last line.
            text.writeFindingsOnly(report, to: sink)
        } else {
            reporter.write(report, to: sink)
        }
        sink.finish()
        // A report that did not reach its reader must not pass for a clean run (a closed
        // standard error is ignored, as before).
        if let failure = sink.failure, !reportToStderr {
            System.printError("kubectl-bifrost: cannot write to standard output: \(failure)\n")
            Glibc.exit(2)
        }

        let threshold = failOn ?? settings.failOn ?? "error"
        if let level = Severity(rawValue: threshold), findings.indices.contains(where: { findings.severity(at: $0) >= level }) {
            throw ExitCode(1)
        }
    }


    /// `--color`: always, never, or on a terminal whose TERM is not `dumb` without NO_COLOR.
    static func useColor(_ choice: String, fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch choice {
        case "always": return true
        case "never": return false
        default:
            return isatty(fd) == 1 && environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }

    /// Prints the fixes as a diff; whether anything would change (or was refused), and the
    /// sources as they would be.
    func showDiff(_ linter: Linter, _ sources: [SourceFile]) -> (Bool, [SourceFile]) {
        let results = Fixer(linter: linter, unsafe: unsafeFixes).fix(sources)
        var changed = false
        for r in results {
            Self.reportRefusals(r)
            if r.refusal != nil || !r.refusedFixes.isEmpty { changed = true }
            guard r.changed else { continue }
            changed = true
            let before = String(decoding: r.original.bytes, as: UTF8.self)
            let after = String(decoding: r.fixed, as: UTF8.self)
            System.printOutput(UnifiedDiff.make(before, after, fromName: "a/\(r.original.name)", toName: "b/\(r.original.name)"))
        }
        return (changed, results.map { $0.changed ? SourceFile(name: $0.original.name, bytes: $0.fixed) : $0.original })
    }

    /// Prints the fixes of the values of each deployed Bifrost release recorded in the sources
    /// (the decoded `release NS/NAME rev N: values`); whether any would change.
    func showReleaseValuesDiff(_ linter: Linter, _ sources: [SourceFile]) -> Bool {
        var plain = linter
        plain.releaseLog = nil
        let values = sources.flatMap { ReleaseRecord.deployedValues(in: $0, limits: plain.limits, maxReleaseBytes: plain.maxReleaseBytes) }
        guard !values.isEmpty else { return false }
        var changed = false
        for r in Fixer(linter: plain, unsafe: unsafeFixes).fix(values) {
            Self.reportRefusals(r)
            guard r.changed else { continue }
            changed = true
            let before = String(decoding: r.original.bytes, as: UTF8.self)
            let after = String(decoding: r.fixed, as: UTF8.self)
            System.printOutput(UnifiedDiff.make(before, after, fromName: "a/\(r.original.name)", toName: "b/\(r.original.name)"))
            System.printError("kubectl-bifrost: \(r.original.name): decoded from a Helm release record, which is never rewritten; apply this to the release's values (`helm get values`) and run `helm upgrade -f`\n")
        }
        return changed
    }

    static func reportRefusals(_ r: Fixer.FileResult) {
        if let refusal = r.refusal {
            System.printError("kubectl-bifrost: \(r.original.name): \(refusal)\n")
        }
        for reason in r.refusedFixes {
            System.printError("kubectl-bifrost: \(r.original.name): fix not applied: \(reason)\n")
        }
    }

    /// `inPlace`: the regular files among the sources (not stdin, helm output, a pipe or a device).
    /// `stdinName`: standard input's name when it is an input; its text, fixed or not, is written
    /// to standard output (as `ruff check --fix -` does), so `… | lint --fix - > fixed.yaml` works.
    func applyFixes(_ linter: Linter, _ sources: [SourceFile], inPlace: Set<ExactString>, stdinName: String?) throws -> [SourceFile] {
        let results = Fixer(linter: linter, unsafe: unsafeFixes).fix(sources)
        var out: [SourceFile] = []
        var fixedCount = 0, fileCount = 0, failed = false
        for r in results {
            Self.reportRefusals(r)
            if r.refusal != nil { failed = true }
            if let stdinName, r.original.name.sameBytes(as: stdinName), !inPlace.contains(ExactString(r.original.name)) {
                let text = r.changed ? r.fixed : r.original.bytes
                System.printOutput(String(decoding: text, as: UTF8.self))
                if r.changed {
                    fixedCount += r.applied
                    fileCount += 1
                }
                out.append(r.changed ? SourceFile(name: r.original.name, bytes: r.fixed) : r.original)
                continue
            }
            guard r.changed, inPlace.contains(ExactString(r.original.name)) else {
                if r.changed {
                    System.printError("kubectl-bifrost: \(r.original.name): cannot be fixed in place (not a file); use --diff\n")
                }
                out.append(r.original)
                continue
            }
            do {
                try AtomicWriter.replace(r.original.name, with: r.fixed, expecting: r.original.bytes)
                out.append(SourceFile(name: r.original.name, bytes: r.fixed))
                fixedCount += r.applied
                fileCount += 1
            } catch let error as AtomicWriter.Failure {
                System.printError("kubectl-bifrost: \(error.description)\n")
                out.append(r.original)
                failed = true
            }
        }
        let noun = fixedCount == 1 ? "problem" : "problems"
        if !quiet {
            System.printError("kubectl-bifrost: fixed \(fixedCount) \(noun) in \(fileCount) file\(fileCount == 1 ? "" : "s")\n")
        }
        if failed { throw ExitCode(2) }
        return out
    }

    func loadConfiguration() throws -> Configuration {
        let path: String
        if let config {
            path = config
        } else if let found = Self.findConfiguration(from: FileManager.default.currentDirectoryPath) {
            path = found
        } else {
            return Configuration()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("\(path): cannot read the settings file: \(System.reason(opening: path))")
        }
        do {
            var configuration = try Configuration.parse(SourceFile(name: path, bytes: Array(data)))
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            configuration.baseDirectory = URL(fileURLWithPath: absolute).standardizedFileURL.deletingLastPathComponent().path
            return configuration
        } catch let problem as Configuration.Problem {
            fail("bad settings file: \(problem.description)")
        }
    }

    /// `.kubectl-bifrost.yaml` in `directory` or its nearest parent that has one.
    static func findConfiguration(from directory: String) -> String? {
        var dir = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(Configuration.fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }
}
