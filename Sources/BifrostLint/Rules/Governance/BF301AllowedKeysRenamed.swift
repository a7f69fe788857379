import YAMLSource

public struct AllowedKeysRenamedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF301", name: "allowed-keys-renamed", severity: .error,
        summary: "`allowed_keys` is now `key_ids`.",
        rationale: """
        OSS v1.5.0 renamed the per-provider key whitelist of a virtual key from `allowed_keys` to \
        `key_ids`, and the Enterprise v1.4.0 chart no longer accepts the old name: `helm install` \
        fails on it, and a config.json that keeps it loses the restriction. There is no automatic \
        database migration for config.json. Note that after the rename an empty list means "no key" \
        (BF302), where the old empty `allowed_keys` meant "any key".

        Before:
            provider_configs:
              - provider: openai
                allowed_keys: ["openai-prod"]
        After:
            provider_configs:
              - provider: openai
                key_ids: ["openai-prod"]
        """,
        remediation: "Rename `allowed_keys` to `key_ids` in every `virtualKeys[].provider_configs[]` (values) or `governance.virtual_keys[].provider_configs[]` (config.json). `--fix` does it.",
        fixable: true,
        triggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-prod\n        provider_configs:\n          - provider: openai\n            ↓allowed_keys: [\"openai-prod\"]\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"vk-1\", \"provider_configs\": [{\"provider\": \"anthropic\", ↓\"allowed_keys\": [\"k1\", \"k2\"]}]}]}}\n", file: "config.json"),
            Example("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bifrost-config}\ndata:\n  config.json: |\n    {\n      \"governance\": {\n        \"virtual_keys\": [\n          {\"id\": \"vk-batch\", \"provider_configs\": [{\"provider\": \"openai\", ↓\"allowed_keys\": []}]}\n        ]\n      }\n    }\n"),
        ],
        nonTriggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-prod\n        provider_configs:\n          - provider: openai\n            key_ids: [\"openai-prod\"]\n", file: "values.yaml"),
            // Not Bifrost's: another chart's values with the same word.
            Example("gateway:\n  auth:\n    allowed_keys: [a, b]\n", file: "values.yaml"),
            Example("{\"providers\": {\"openai\": {\"keys\": [{\"name\": \"allowed_keys\", \"value\": \"env.K\", \"models\": [\"*\"]}]}}}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        // One list filled in place (nested flatMaps copied every finding once per level).
        var out: [Finding] = []
        for config in context.configs {
            for vk in config.virtualKeys {
                for pc in config.providerConfigs(of: vk) {
                    guard let pair = pc.pair(anyOf: ["allowed_keys", "allowedKeys"]) else { continue }
                    let empty = pair.value.isSequence && pair.value.itemCount == 0
                    let note = empty ? "; an empty list used to allow every key, as `key_ids` it allows none: use [\"*\"]" : ""
                    out.append(finding(pair.key, "`\(pair.key.keyString)` of virtual key \(BifrostConfig.label(vk, "?")) was renamed to `key_ids` in v1.5.0; the v1.4.0 chart rejects the old name\(note)",
                                       fix: context.fixes ? ConfigFixes.renameKey(pair, in: pc, to: "key_ids") : nil))
                }
            }
        }
        return out
    }
}
