import ArgumentParser
import BifrostLint

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule with its code, default severity and summary.",
        discussion: "Examples:\n  kubectl bifrost rules\n  kubectl bifrost rules -o json | jq '.[].code'\n  kubectl bifrost rules -o markdown > docs/rules.md"
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(name: .shortAndLong, help: "Output format: text, json or markdown.")
    var output: Format = .text

    func run() throws {
        switch output {
        case .text: System.printOutput(RuleTable.text())
        case .json: System.printOutput(RuleTable.json())
        case .markdown: System.printOutput(RuleTable.markdown())
        }
    }
}
