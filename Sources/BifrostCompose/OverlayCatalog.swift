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
        if FileManager.default.fileExists(atPath: nameOrFile) { return nameOrFile }
        let name = nameOrFile.hasSuffix(".yaml") ? String(nameOrFile.dropLast(5)) : nameOrFile
        for dir in directories {
            let path = "\(dir)/\(name).yaml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        let known = Self.names.joined(separator: ", ")
        throw ComposeError("--overlay \(nameOrFile): no such file, and no shipped overlay of that name (\(known)); looked in \(directories.joined(separator: ", "))")
    }
}
