import BifrostLint
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CMalloc

@main
struct KubectlBifrost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl-bifrost",
        abstract: "Lint Bifrost Helm values, rendered manifests and config.json for the Enterprise v1.4.0 upgrade.",
        discussion: """
        Runs as `kubectl bifrost …` when on PATH.

        Examples:
          kubectl bifrost lint values.yaml
          helm template gw ./chart | kubectl bifrost lint -
          kubectl bifrost lint -R deploy/
        """,
        version: BuildInfo.version,
        subcommands: [Lint.self, Compose.self, RulesCommand.self, Explain.self, VersionCommand.self]
    )

    /// Exit codes follow the spec: 0 clean, 1 findings, 2 the command could not run
    /// (argument-parser's own 64 for usage errors becomes 2).
    static func main() {
        tuneAllocator()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                System.printOutput(fullMessage(for: error) + "\n")
                Glibc.exit(0)
            }
            System.printError(fullMessage(for: error) + "\n")
            Glibc.exit(2)
        }
    }
}

enum BuildInfo {
    static let version = "0.1.0"
}

/// A failure to run (bad path, bad flag): exit 2 with a message.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
}

/// A usage or input error of a subcommand: said on standard error, exit code 2 (as `kubectl` does).
func fail(_ message: String) -> Never {
    System.printError("kubectl-bifrost: \(message)\n")
    Glibc.exit(2)
}

/// Large buffers (document texts, node tables) from and back to the kernel directly. glibc
/// otherwise raises its threshold after the first large free and serves later ones from the
/// heap, where their holes stay pinned by the small facts allocated around them (4.5 MB of the
/// benchmark stream's peak; no measurable time).
private func tuneAllocator() {
    #if os(Linux)
    _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
    #endif
}
