import BifrostLint
import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of kubectl-bifrost.",
        discussion: "Example:\n  kubectl bifrost version"
    )

    func run() throws {
        System.printOutput("kubectl-bifrost \(BuildInfo.version)\n")
    }
}
