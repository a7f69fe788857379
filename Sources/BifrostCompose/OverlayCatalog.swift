import YAMLSource

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds the shipped overlays by name: `$KUBECTL_BIFROST_OVERLAYS`, then
/// `<prefix>/share/kubectl-bifrost/overlays` beside an installed binary, then the source tree
/// the binary was built in, then `./overlays`.
public struct OverlayCatalog {
    public static let names = ["guardrails", "organizational-governance", "access-profiles", "customer-budgets", "teams", "multi-customer-governance", "scim-sso"]

    public let directories: [String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, executable: String = OverlayCatalog.executablePath()) {
        var dirs: [String] = []
        if let env = environment["KUBECTL_BIFROST_OVERLAYS"], !env.isEmpty { dirs.append(env) }
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appendingPathComponent("../share/kubectl-bifrost/overlays").standardizedFileURL.path)
        // .build/<triple>/<config>/kubectl-bifrost → repository root
        dirs.append(exe.appendingPathComponent("../../../overlays").standardizedFileURL.path)
        dirs.append(exe.appendingPathComponent("../../overlays").standardizedFileURL.path)
        dirs.append(FileManager.default.currentDirectoryPath + "/overlays")
        directories = dirs
    }

    /// The running binary's real path. argv[0] is only what the shell was given: a bare
    /// `kubectl-bifrost` found through PATH would resolve against the working directory.
    public static func executablePath(arguments: [String] = CommandLine.arguments, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        #endif
        let argv0 = arguments.first ?? ""
        if argv0.contains("/") { return realpath(argv0) ?? argv0 }
        // Elsewhere, look the bare name up on PATH as the shell did.
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(argv0)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return realpath(candidate) ?? candidate }
        }
        return argv0
    }

    private static func realpath(_ path: String) -> String? {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// A path for `--overlay NAME|FILE`: an existing file wins, then a shipped overlay's name.
    public func resolve(_ nameOrFile: String) throws -> String {
        try resolve(nameOrFile, chart: nil).path
    }

    /// What `--overlay NAME|FILE` composes for a chart: the file, and a note when it is a variant
    /// for an older chart. A shipped overlay comes with its variants (`NAME@VERSION.yaml` beside
    /// `NAME.yaml`, each declaring `# Chart: >= MIN [< MAX]`); the one with the highest MIN the
    /// chart admits is taken. Without a chart, `NAME.yaml` (the newest) is. An overlay no chart
    /// version of its files admits is refused, naming what it needs and the lowest chart that has it.
    public func resolve(_ nameOrFile: String, chart: (label: String, version: ChartVersion)?) throws -> (path: String, note: String?) {
        if FileManager.default.fileExists(atPath: nameOrFile) {
            if let chart, let req = Self.requirement(of: nameOrFile), !req.admits(chart.version) {
                throw ComposeError(Self.refusal(nameOrFile, req, chart))
            }
            return (nameOrFile, nil)
        }
        let name = nameOrFile.hasSuffix(".yaml") ? String(nameOrFile.dropLast(5)) : nameOrFile
        for dir in directories {
            let path = "\(dir)/\(name).yaml"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let chart else { return (path, nil) }
            let candidates = Self.variants(of: name, in: dir).map { ($0, Self.requirement(of: $0)) }
            let fitting = candidates.filter { $0.1?.admits(chart.version) ?? true }
            if let best = fitting.max(by: { ($0.1?.minimum.parts ?? []).lexicographicallyPrecedes($1.1?.minimum.parts ?? []) }) {
                guard best.0 != path else { return (path, nil) }
                let newest = Self.requirement(of: path)
                let why = newest.map { "it needs \($0.feature), which the lowest chart to have is \($0.minimum)" } ?? "it does not support it"
                return (best.0, "\(chart.label) is too old for overlay \(name) (\(why)); composing its variant \(URL(fileURLWithPath: best.0).lastPathComponent) (charts \(best.1?.range ?? "any"))")
            }
            let lowest = candidates.compactMap(\.1).min { $0.minimum < $1.minimum }
            throw ComposeError(Self.refusal(name, lowest ?? OverlayRequirement(minimum: chart.version, feature: ""), chart))
        }
        let known = Self.names.joined(separator: ", ")
        throw ComposeError("--overlay \(nameOrFile): no such file, and no shipped overlay of that name (\(known)); looked in \(directories.joined(separator: ", "))")
    }

    static func refusal(_ name: String, _ req: OverlayRequirement, _ chart: (label: String, version: ChartVersion)) -> String {
        let feature = req.feature.isEmpty ? "" : " for \(req.feature)"
        if chart.version < req.minimum {
            return "--overlay \(name): \(chart.label) is too old for it: it needs \(req.feature.isEmpty ? "a newer chart" : req.feature), which the lowest chart to have is \(req.minimum)"
        }
        return "--overlay \(name): \(chart.label) is outside the charts the overlay supports (\(req.range)\(feature))"
    }

    /// `NAME.yaml` and its variants `NAME@*.yaml` in a directory.
    static func variants(of name: String, in dir: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        // By bytes: a file named like the overlay in another normal form is another overlay.
        return ["\(dir)/\(name).yaml"] + files.filter { $0.utf8.starts(with: (name + "@").utf8) && $0.hasSuffix(".yaml") }
            .sorted(by: String.stableOrder).map { "\(dir)/\($0)" }
    }

    /// The `# Chart: >= …` line of an overlay file, if it has one.
    public static func requirement(of path: String) -> OverlayRequirement? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return OverlayRequirement.parse(String(decoding: data.prefix(8192), as: UTF8.self))
    }
}
