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

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, executable: String = CommandLine.arguments.first ?? "") {
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
