import ArgumentParser
import BifrostLint

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a rule's page: what changed, why it breaks, how to fix it.",
        discussion: "Examples:\n  kubectl bifrost explain BF101\n  kubectl bifrost explain statefulset-grpc-port"
    )

    @Argument(help: "Rule code or name.")
    var rule: String

    func run() throws {
        guard let found = RuleRegistry.rule(named: rule) else {
            throw ValidationError(RuleRegistry.unknownRuleMessage(rule))
        }
        System.printOutput(RulePage.render(found.description))
    }
}
