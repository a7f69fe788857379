import ArgumentParser
import BifrostLint

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule with its code, default severity and summary.",
        discussion: "Example:\n  kubectl bifrost rules"
    )

    func run() throws {
        for rule in RuleRegistry.all {
            let d = rule.description
            let pad = String(repeating: " ", count: max(1, 34 - d.name.count))
            print("\(d.code)  \(d.name)\(pad)\(d.severity.rawValue.padding(7))  \(d.summary)")
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
