import ArgumentParser
import BifrostCompose
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

        --values - reads standard input; /dev/fd/N (<(…)) and /dev/null are read as Helm reads them.

        Examples:
          kubectl bifrost compose --overlay teams --overlay scim-sso \\
              -o values-enterprise.yaml
          kubectl bifrost compose --values values.yaml --overlay guardrails \\
              --set bifrost.logLevel=debug
          kubectl bifrost compose --values values.yaml --overlay teams \\
              --check values-enterprise.yaml
          kubectl bifrost compose --chart ./vendor/bifrost-2.1.16 \\
              --overlay access-profiles -o values.yaml
          helm get values gw -o yaml | \\
              kubectl bifrost compose --values - --overlay teams
        """
    )

    @Option(name: .customLong("overlay"), help: "A shipped overlay name or a values file (repeatable, applied in order).")
    var overlays: [String] = []

    @Option(name: .customLong("values"), help: "Base values file (repeatable, applied before the overlays); - reads standard input.")
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
            var stdinRead = false
            for file in valuesFiles {
                if file == "-" {
                    guard !stdinRead else { throw ComposeError("--values -: standard input can be read once") }
                    stdinRead = true
                }
                inputs.append(Composer.Input(name: file, bytes: try read(file), isOverlay: false))
            }
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

        let (text, origins) = result.rendered(explain: explain)
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
                .map { Self.place($0, origins: origins, inputs: inputs) }
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
            } else if let reason = Self.create(output, bytes) {
                fail("\(output): cannot be written: \(reason)")
            }
        } else {
            System.printOutput(text)
        }
    }

    /// A finding of the composed text at the input that set its value: the file and line
    /// `--explain` names (nothing was written yet, and the composition is not what the user
    /// edits), or the `--set` argument. A line with no origin keeps its place in the
    /// composition, named as such.
    static func place(_ f: Finding, origins: [Int: Origin], inputs: [Composer.Input]) -> Finding {
        guard let origin = origins[f.range.start.line] else {
            return f.relocated(to: Loc(file: "(composed values)", range: f.range, path: f.path, lineText: f.lineText))
        }
        if origin.isSetArgument || origin.line == nil {
            let none = Position(offset: 0, line: 0, column: 0)
            return f.relocated(to: Loc(file: origin.file, range: SourceRange(start: none, end: none), path: f.path, lineText: ""))
        }
        let line = origin.line!
        guard let input = inputs.first(where: { $0.name.sameBytes(as: origin.file) }) else { return f }
        let source = SourceFile(name: input.name, bytes: input.bytes)
        let lineText = line <= source.lastLine ? source.lineText(line) : ""
        let column = origin.column ?? 1
        // Same width as in the composition when it stays on one line, within the input's line.
        let width = f.range.end.line == f.range.start.line ? max(1, f.range.end.column - f.range.start.column) : 1
        let endColumn = min(column + width, max(column + 1, lineText.unicodeScalars.count + 1))
        let offset = line <= source.lastLine ? source.lineStart(line) + column - 1 : 0
        let range = SourceRange(start: Position(offset: offset, line: line, column: column), end: Position(offset: offset + endColumn - column, line: line, column: endColumn))
        return f.relocated(to: Loc(file: input.name, range: range, path: f.path, lineText: lineText))
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
        // By bytes: a directory named like the working one in another normal form is elsewhere.
        return full.droppingPrefix(cwd) ?? path
    }

    /// Writes a new file; the system's reason when it cannot (no directory, no permission, a
    /// full disk).
    static func create(_ path: String, _ bytes: [UInt8]) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let reason = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                close(fd)
                unlink(path)
                return reason
            }
            done += n
        }
        if close(fd) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(path)
            return reason
        }
        return nil
    }

    /// An input as Helm reads `-f`: `-` is standard input (once), and any path is read to its
    /// end whatever it is, so `<(…)` (/dev/fd/N) and /dev/null work. Failures carry the
    /// system's reason.
    func read(_ path: String) throws -> [UInt8] {
        let fd: Int32
        if path == "-" {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
            guard fd >= 0 else { throw ComposeError("\(path): cannot be read: \(String(cString: strerror(errno)))") }
            var info = stat()
            if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                close(fd)
                throw ComposeError("\(path): cannot be read: is a directory")
            }
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let what = path == "-" ? "-: standard input" : path
                throw ComposeError("\(what) cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out += chunk[0..<n]
            guard out.count <= 64 << 20 else { throw ComposeError("\(path): larger than 64 MiB; not read") }
        }
        return out
    }
}
