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
            // A long list (hashed rather than compared in place).
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, ↓m3]\n", file: "values.yaml"),
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
                // Most lists are short and there may be tens of thousands: those compare bytes in
                // place; a long one is hashed.
                // By bytes, as the short lists compare and as Go compares strings.
                var seen = Set<ExactString>()
                return items.indices.compactMap { i in
                    let item = items[i]
                    guard item.isScalar else { return nil }
                    let repeated: Bool
                    if items.count <= 16 {
                        repeated = items[..<i].contains(where: item.hasSameText)
                    } else {
                        repeated = !seen.insert(ExactString(item.scalarText ?? "")).inserted
                    }
                    guard repeated, let text = item.scalarText else { return nil }
                    return finding(item, "\(w.site) lists \"\(text)\" twice; v1.5.0 rejects duplicate entries")
                }
            }
        }
    }
}
