import YAMLSource

public struct BudgetRenamedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF306", name: "budget-renamed", severity: .error,
        summary: "A singular `budget: {…}` on a virtual key or provider config must be `budgets: [{…}]`.",
        rationale: """
        OSS v1.5.0 gives virtual keys and their provider configs several budgets (one per reset \
        period), so the field is now the list `budgets`. Stored budgets are migrated automatically, \
        but config.json, Helm values and API payloads that still send `budget` lose their limit. \
        `budget_id` (a reference to `governance.budgets`) is unaffected.

        Before:  budget: {max_limit: 500, reset_duration: "1M"}
        After:   budgets: [{max_limit: 500, reset_duration: "1M"}]
        """,
        remediation: "Wrap the budget in a list under `budgets`. `--fix` does it, in block and flow style.",
        fixable: true,
        triggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        ↓budget:\n          max_limit: 500\n          reset_duration: 1M\n        provider_configs: [{provider: openai, allowed_models: [\"*\"]}]\n", file: "values.yaml"),
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        provider_configs:\n          - provider: openai\n            ↓budget: {max_limit: 50, reset_duration: 1d}\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"v\", ↓\"budget\": {\"max_limit\": 10}, \"provider_configs\": [{\"provider\": \"openai\"}]}]}}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        budgets:\n          - {max_limit: 500, reset_duration: 1M}\n        provider_configs: [{provider: openai}]\n", file: "values.yaml"),
            Example("bifrost:\n  governance:\n    budgets:\n      - id: budget-1\n        max_limit: 100\n    virtualKeys:\n      - id: vk\n        budget_id: budget-1\n        provider_configs: [{provider: openai}]\n", file: "values.yaml"),
            // A team's budget is not a virtual key's.
            Example("{\"governance\": {\"teams\": [{\"id\": \"t\", \"budget\": {\"max_limit\": 1}}]}}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.virtualKeys.flatMap { vk -> [Finding] in
                ([vk] + config.providerConfigs(of: vk)).compactMap { owner in
                    guard let pair = owner.pair("budget"), pair.value.isMapping else { return nil }
                    // Worded only for an owner that has one: a values file may hold thousands of keys.
                    let vkLabel = "virtual key \(BifrostConfig.label(vk, "?"))"
                    let site = owner == vk ? vkLabel : "provider config \(BifrostConfig.label(owner, "?")) of \(vkLabel)"
                    return finding(pair.key, "`budget` of \(site) is now the list `budgets` (v1.5.0 multi-budget); write budgets: [{…}]",
                                   fix: ConfigFixes.wrapBudget(pair, in: owner))
                }
            }
        }
    }
}
