import YAMLSource

public struct VirtualKeyNoProviderConfigsRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF305", name: "virtual-key-no-provider-configs", severity: .error,
        summary: "A virtual key without provider configs now denies every provider.",
        rationale: """
        Before OSS v1.5.0 a virtual key with `provider_configs: []` (or none) could use every \
        provider. It is now deny-by-default: such a key is valid but every request made with it is \
        refused. The database migration converts stored keys, but config.json and Helm values are \
        read as written.
        """,
        remediation: """
        Give the key at least one provider config, for example:

            provider_configs:
              - provider: openai
                key_ids: ["*"]
                allowed_models: ["*"]
        """,
        triggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - ↓id: vk-analytics\n        name: Analytics\n", file: "values.yaml"),
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-batch\n        ↓provider_configs: []\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"ok\", \"provider_configs\": [{\"provider\": \"openai\"}]}, {\"id\": \"v2\", ↓\"provider_configs\": []}]}}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        provider_configs:\n          - provider: openai\n            allowed_models: [\"*\"]\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": []}}\n", file: "config.json"),
            Example("bifrost:\n  governance:\n    virtualKeys: []\n    teams:\n      - id: team-1\n        name: Platform\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.virtualKeys.compactMap { vk -> Finding? in
                guard vk.isMapping else { return nil }
                // Named only when reported: a values file may hold thousands of keys.
                if let pair = vk.pair(anyOf: ["provider_configs", "providerConfigs"]) {
                    guard pair.value.itemCount == 0 else { return nil }
                    return finding(pair.key, "virtual key \(BifrostConfig.label(vk, "(unnamed)")) has no provider configs; since v1.5.0 that denies every provider")
                }
                let anchor = vk.pair(anyOf: ["id", "name"])?.key ?? vk
                return finding(anchor, "virtual key \(BifrostConfig.label(vk, "(unnamed)")) has no provider_configs; since v1.5.0 that denies every provider")
            }
        }
    }
}
