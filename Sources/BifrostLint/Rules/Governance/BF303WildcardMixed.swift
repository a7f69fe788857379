import YAMLSource

public struct WildcardMixedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF303", name: "wildcard-mixed", severity: .error,
        summary: "A whitelist mixes `\"*\"` with specific values.",
        rationale: """
        v1.5.0 validates whitelists: `["*"]` alone means all, a list of names means those names, and \
        a list with both is rejected when the config is loaded or the API is called. The check \
        applies under `version: 1` too: the shim only changes what an empty list means.
        """,
        remediation: "Keep either `[\"*\"]` or the specific names, not both.",
        triggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [gpt-4o, ↓\"*\"]\n", file: "values.yaml"),
            Example("{\"version\": 1, \"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"key_ids\": [↓\"*\", \"openai-prod\"]}]}]}}\n", file: "config.json"),
            Example("bifrost:\n  mcp:\n    clientConfigs:\n      - name: github\n        toolsToExecute:\n          - create_issue\n          - ↓\"*\"\n", file: "values.yaml"),
        ],
        nonTriggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [\"*\"]\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"key_ids\": [\"a\", \"b\"]}]}]}}\n", file: "config.json"),
            // "*" inside a name is not the wildcard entry.
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [\"gpt-4o*\", gpt-4o-mini]\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.whitelists.compactMap { w -> Finding? in
                guard w.list.itemCount > 1 else { return nil }
                let items = w.list.items
                guard let star = items.first(where: { $0.string == "*" }), items.contains(where: { $0.string != "*" }) else { return nil }
                return finding(star, "\(w.site) mixes \"*\" with specific values; v1.5.0 rejects such a list")
            }
        }
    }
}
