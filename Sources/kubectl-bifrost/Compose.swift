import ArgumentParser
import BifrostCompose
import BifrostLint
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

struct Compose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compose Helm values from a base and the enterprise overlays, exactly as helm install -f would merge them.",
        discussion: """
        Overlays: \(OverlayCatalog.names.joined(separator: ", ")), or any values file.
        Files merge in order (base first): mappings merge, lists and scalars replace, null stays null.
        The result is linted before it is written; findings block the write (exit 1).
        With --chart DIR, each shipped overlay is taken in the variant the chart's version supports
        (an overlay the chart is too old for is refused), and the result is checked against the
        chart's values.schema.json after coalescing with its values.yaml, as helm install does.
        Without it, the overlays target the newest chart they support.

        Examples:
          kubectl bifrost compose --overlay teams --overlay scim-sso -o values-enterprise.yaml
          kubectl bifrost compose --values values.yaml --overlay guardrails --set bifrost.logLevel=debug
          kubectl bifrost compose --values values.yaml --overlay teams --check values-enterprise.yaml
          kubectl bifrost compose --chart ./vendor/bifrost-2.1.16 --overlay access-profiles -o values.yaml
        """
    )

    @Option(name: .customLong("overlay"), help: "A shipped overlay name or a values file (repeatable, applied in order).")
    var overlays: [String] = []

    @Option(name: .customLong("values"), help: "Base values file (repeatable, applied before the overlays).")
    var valuesFiles: [String] = []

    @Option(name: .customLong("set"), help: "PATH=VALUE in Helm's --set syntax, applied last (repeatable).")
    var sets: [String] = []

    @Option(name: .shortAndLong, help: "Write the composed values to this file instead of standard output.")
    var output: String?

    @Flag(help: "Annotate every value with the file and line that set it.")
    var explain = false

    @Option(help: "Exit 1 with a diff when this file differs from the composition (CI drift gate).")
    var check: String?

    @Flag(name: .customLong("no-lint"), help: "Do not lint the composed values before writing them.")
    var noLint = false

    @Flag(help: "Treat two overlays that set one value differently, a repeated key or a second document in an input as an error.")
    var strict = false

    @Flag(help: "With -o, replace the file even when it is one of the inputs.")
    var force = false

    @Option(help: "Chart directory: compose the overlay variants its version supports, refuse those it is too old for, and check the result against its values.schema.json (coalesced with its values.yaml) before writing (BF005, also with --no-lint).")
    var chart: String?

    func validate() throws {
        if overlays.isEmpty && valuesFiles.isEmpty && sets.isEmpty {
            throw ValidationError("nothing to compose: give --overlay, --values or --set")
        }
        if check != nil && output != nil {
            throw ValidationError("--check compares with a file; it cannot be combined with -o")
        }
    }

    func run() throws {
        let catalog = OverlayCatalog()
        var target: (label: String, version: ChartVersion)?
        if let chart {
            guard System.isDirectory(chart) == true else { fail("--chart \(chart): not a chart directory") }
            let chartYAML = (chart.hasSuffix("/") ? chart : chart + "/") + "Chart.yaml"
            let text = String(decoding: (try? read(chartYAML)) ?? [], as: UTF8.self)
            guard let version = ChartVersion.ofChartYAML(text) else { fail("--chart \(chart): no Chart.yaml with a version") }
            let name = text.split(separator: "\n").first { $0.hasPrefix("name:") }
                .map { String($0.dropFirst(5).filter { $0 != "\"" && $0 != "'" && $0 != " " }) } ?? "chart"
            target = ("chart \(name) \(version)", version)
        }
        var inputs: [Composer.Input] = []
        do {
            for file in valuesFiles { inputs.append(Composer.Input(name: file, bytes: try read(file), isOverlay: false)) }
            for overlay in overlays {
                let (path, note) = try catalog.resolve(overlay, chart: target)
                if let note { System.printError("kubectl-bifrost: note: \(note)\n") }
                inputs.append(Composer.Input(name: Self.display(path), bytes: try read(path), isOverlay: true))
            }
        } catch let error as ComposeError {
            fail(error.description)
        }
        let result: Composer.Result
        do {
            result = try Composer.compose(inputs, sets: sets)
        } catch let error as ComposeError {
            fail(error.description)
        }
        for warning in result.warnings {
            System.printError("kubectl-bifrost: \(strict ? "error" : "warning"): \(warning)\n")
        }
        for conflict in result.conflicts {
            System.printError("kubectl-bifrost: \(strict ? "error" : "warning"): \(conflict)\n")
        }
        if strict && !(result.conflicts.isEmpty && result.warnings.isEmpty) { throw ExitCode(1) }

        let text = result.render(explain: explain)
        if !noLint || chart != nil {
            let name = output ?? check ?? "composed-values.yaml"
            // --no-lint still checks against the chart's schema: helm install would refuse it.
            var linter = noLint ? Linter(rules: [ValuesSchemaRule()]) : Linter()
            linter.chartDirectory = chart
            if chart != nil {
                let catalog = linter.schemaCatalog(inputNames: [name])
                if let problem = catalog.problems.first { fail(problem) }
                linter.catalog = catalog
            }
            let findings = linter.lint([SourceFile(name: name, text: text)]).filter { $0.severity >= .warning }
            if !findings.isEmpty {
                System.printError(TextReporter(color: false).report(findings, fileCount: 1))
                System.printError(noLint
                    ? "kubectl-bifrost: \(chart ?? "the chart")'s values.schema.json refuses the composed values (helm install would too); nothing written\n"
                    : "kubectl-bifrost: the composed values have findings; nothing written (--no-lint to write anyway\(chart != nil ? "; the chart's schema is checked all the same" : ""))\n")
                throw ExitCode(1)
            }
        }
        if let check {
            let existing = String(decoding: (try? read(check)) ?? [], as: UTF8.self)
            let diff = UnifiedDiff.make(existing, text, fromName: check, toName: "\(check) (composed)")
            if !diff.isEmpty {
                System.printOutput(diff)
                System.printError("kubectl-bifrost: \(check) differs from the composition; regenerate it with -o \(check)\n")
                throw ExitCode(1)
            }
            return
        }
        if let output {
            try checkOutput(output, inputs: inputs.map(\.name) + valuesFiles)
            let bytes = Array(text.utf8)
            if let original = FileManager.default.contents(atPath: output) {
                do {
                    try AtomicWriter.replace(output, with: bytes, expecting: Array(original))
                } catch let error as AtomicWriter.Failure {
                    fail(error.description)
                }
            } else if !FileManager.default.createFile(atPath: output, contents: Data(bytes)) {
                fail("\(output): cannot be written")
            }
        } else {
            System.printOutput(text)
        }
    }

    /// `-o` writes a regular file (renaming over a device node or a FIFO would replace it), and
    /// not one of the inputs: a hand-written base with its comments and anchors would be lost.
    func checkOutput(_ output: String, inputs: [String]) throws {
        var info = stat()
        guard stat(output, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            fail("\(output): not a regular file; -o writes files only (use standard output to write elsewhere)")
        }
        guard !force else { return }
        for input in inputs {
            var other = stat()
            if stat(input, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                fail("\(output): is one of the inputs (\(input)); writing it would replace the original, comments and anchors included. Write elsewhere, or --force")
            }
        }
    }

    /// Overlay paths as the user would write them: relative to the working directory if inside it.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        return full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : path
    }

    func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ComposeError("\(path): cannot be read")
        }
        return Array(data)
    }
}
