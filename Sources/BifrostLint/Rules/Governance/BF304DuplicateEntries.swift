import YAMLSource

public struct DuplicateEntriesRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF304", name: "duplicate-entries", severity: .error,
        summary: "A whitelist names the same value twice.",
        rationale: """
        v1.5.0 validates whitelists and rejects one that repeats a value (`["gpt-4o", "gpt-4o"]`), \
        at config load and in the API. Values compare as written, after YAML unquoting.
        """,
        remediation: "Remove the repeated entry.",
        triggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [gpt-4o, gpt-4o-mini, ↓gpt-4o]\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"key_ids\": [\"a\", ↓\"a\"]}]}]}}\n", file: "config.json"),
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: v\n        provider_configs:\n          - provider: anthropic\n            allowed_models:\n              - claude-sonnet-4\n              - ↓'claude-sonnet-4'\n", file: "values.yaml"),
        ],
        nonTriggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [gpt-4o, gpt-4o-mini]\n", file: "values.yaml"),
            // The same model under two keys is fine.
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - {name: a, models: [gpt-4o]}\n        - {name: b, models: [gpt-4o]}\n", file: "values.yaml"),
            Example("{\"mcp\": {\"client_configs\": [{\"name\": \"fs\", \"tools_to_execute\": [\"read\", \"write\"]}]}}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.whitelists.flatMap { w -> [Finding] in
                guard w.list.itemCount > 1 else { return [] }
                let items = w.list.items
                var seen = Set<String>()
                return items.compactMap { item in
                    guard let text = item.scalar?.text else { return nil }
                    if seen.insert(text).inserted { return nil }
                    return finding(item, "\(w.site) lists \"\(text)\" twice; v1.5.0 rejects duplicate entries")
                }
            }
        }
    }
}
