import YAMLSource

public struct EmptyListDeniesAllRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF302", name: "empty-list-denies-all", severity: .error,
        summary: "An empty `models`, `allowed_models`, `key_ids` or `tools_to_execute` list, or an omitted one where v1.5.0 reads omitted as empty, now denies everything.",
        rationale: """
        Before OSS v1.5.0 an empty whitelist meant "no restriction". It now means "nothing": a \
        provider key with `models: []` serves no model, a provider config with `allowed_models: []` \
        or `key_ids: []` blocks the provider for that virtual key, and `tools_to_execute: []` runs no \
        MCP tool. The symptom after the upgrade is every request answered 403.

        Omitted counts too where the v1.5.0 migration guide says so: a virtual key's provider \
        config without `key_ids` allows no key (Breaking Change 2: "omitting the field or setting it \
        to [] now blocks all keys", and no automatic migration), one without `allowed_models` no \
        longer means all models (Breaking Change 1), and a provider key without `models` serves \
        none (checklist: "missing models fields"). A provider config with only `provider` and \
        `weight`, the commonest shape in values written for v1.4, is reported twice.

        A config.json with `version: 1` keeps the old reading of `models`, `allowed_models` and \
        `key_ids` (the shim normalises them to `["*"]` at startup), so this rule does not report \
        those there; BF310 reports the shim instead. The shim leaves `tools_to_execute` alone, and \
        an omitted `tools_to_execute` means no tools (Bifrost's core/schemas/mcp.go). Helm values \
        and REST-style files always have the new meaning.

        Before:  models: []
        After:   models: ["*"]
        """,
        remediation: "Write `[\"*\"]` where every model, key or tool is meant, or list the ones meant. `--fix --unsafe-fixes` writes `[\"*\"]`, replacing `[]` or adding the omitted key (unsafe: it changes who can do what).",
        fixable: true,
        triggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: openai-prod\n          value: env.OPENAI_API_KEY\n          models: ↓[]\n", file: "values.yaml"),
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-1\n        provider_configs:\n          - provider: openai\n            allowed_models: ↓[]\n            key_ids: ↓[ ]\n        mcp_configs:\n          - mcp_client_id: 1\n            tools_to_execute: ↓[]\n", file: "values.yaml"),
            // Omitted: the chart's own example shape (values-examples/providers-and-virtual-keys.yaml).
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-1\n        name: team-a\n        provider_configs:\n          - ↓provider: openai\n            weight: 1\n          - ↓provider: anthropic\n            allowed_models: [\"*\"]\n", file: "values.yaml"),
            Example("{\"providers\": {\"openai\": {\"keys\": [↓{\"name\": \"k\", \"value\": \"env.K\", \"weight\": 1}]}}, \"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", \"provider_configs\": [↓{\"provider\": \"openai\", \"allowed_models\": [\"*\"]}]}]}}\n", file: "config.json"),
            Example("{\"providers\": {\"anthropic\": {\"keys\": [{\"name\": \"a\", \"value\": \"env.A\", \"models\": ↓[]}]}}, \"mcp\": {\"client_configs\": [{\"name\": \"gh\", \"tools_to_execute\": ↓[]}]}}\n", file: "config.json"),
            // The shim leaves tools_to_execute alone: omitted means no tools.
            Example("{\"version\": 1, \"mcp\": {\"client_configs\": [↓{\"name\": \"gh\", \"connection_type\": \"stdio\"}]}}\n", file: "config.json"),
            Example("{\"version\": 2, \"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"allowed_models\": ↓[], \"key_ids\": [\"*\"]}]}]}}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: openai-prod\n          models: [\"*\"]\n", file: "values.yaml"),
            // version: 1 keeps "empty means all" for config.json.
            Example("{\"version\": 1, \"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"models\": []}]}}}\n", file: "config.json"),
            Example("bifrost:\n  mcp:\n    clientConfigs:\n      - name: github\n        connectionType: http\n        toolsToExecute: [\"*\"]\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        mcp_configs:\n          - {mcp_client_name: github, tools_to_execute: [create_issue]}\n", file: "values.yaml"),
            // Access-profile provider configs take key_ids only from chart 2.1.30 on (2.1.14,
            // 2.1.16 and config.schema.json reject it): nothing is asked of them there; and their
            // allowed_models is ignored under all_models_allowed: true (config.schema.json).
            Example("bifrost:\n  accessProfiles:\n    - name: analysts\n      provider_configs:\n        - provider_name: openai\n          allowed_models: [gpt-4o]\n        - provider_name: anthropic\n          all_models_allowed: true\n          allowed_models: []\n", file: "values.yaml"),
            // Other empty lists are not whitelists.
            Example("bifrost:\n  governance:\n    budgets: []\n    virtualKeys:\n      - id: vk\n        provider_configs:\n          - provider: openai\n            allowed_models: [gpt-4o]\n            key_ids: [\"*\"]\n            blacklisted_models: []\n  client:\n    allowedOrigins: []\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        // One list filled in place (chained maps copied every finding once per step).
        var out: [Finding] = []
        for config in context.configs {
            // `version: 1` normalises every list but tools_to_execute (config.go applyV1Compat).
            let legacy = config.legacyVersionNode != nil
            for w in config.whitelists where w.list.itemCount == 0 && (!legacy || w.isToolList) {
                out.append(finding(w.list, "empty \(w.site) now denies everything (v1.5.0); write [\"*\"] to allow all, or list what is allowed",
                                   fix: context.fixes ? ConfigFixes.allowAll(w.list) : nil))
            }
            for o in config.omittedWhitelists where !legacy || o.isToolList {
                let names = o.names.joined(separator: " and no ")
                let migration = o.names.contains("key_ids") ? " (key_ids has no automatic migration)" : ""
                let written = o.names.map { "\($0): [\"*\"]" }.joined(separator: ", ")
                out.append(finding(o.holder, "\(o.place) has no \(names); v1.5.0 reads an omitted list as none allowed\(migration); write \(written) to allow all, or list what is allowed",
                                   fix: context.fixes ? ConfigFixes.addAllowAll(o.names, to: o.holder) : nil))
            }
        }
        return out
    }
}
