import YAMLSource

public struct DirectKeysRemovedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF309", name: "direct-keys-removed", severity: .error,
        summary: "`allow_direct_keys` / `allowDirectKeys` no longer exists.",
        rationale: """
        OSS v1.5.0 removed direct key bypass: callers can no longer pass their own provider key in a \
        header (`x-bf-direct-key` + Authorization). The setting is gone, and callers that depended on \
        it now get errors instead of their own key being used.
        """,
        remediation: """
        Delete the setting (`--fix` does), store the provider keys in Bifrost (`providers.<name>.keys`) \
        and give those callers virtual keys. Go SDK users replace `BifrostContextKeyDirectKey` with \
        `BifrostContextKeyAPIKeyID` or `BifrostContextKeyAPIKeyName`.
        """,
        fixable: true,
        triggering: [
            Example("{\"client\": {↓\"allow_direct_keys\": true}}\n", file: "config.json"),
            Example("bifrost:\n  client:\n    enableLogging: true\n    ↓allowDirectKeys: false\n", file: "values.yaml"),
            Example("apiVersion: v1\nkind: Secret\nmetadata: {name: bifrost-config}\nstringData:\n  config.json: |\n    {\"client\": {\n      ↓\"allow_direct_keys\": true\n    }}\n"),
            // An umbrella chart that aliases the dependency: its values sit under the alias.
            Example("gateway:\n  bifrost:\n    client:\n      ↓allowDirectKeys: true\n      initialPoolSize: 500\n", file: "values.yaml"),
        ],
        nonTriggering: [
            Example("{\"client\": {\"drop_excess_requests\": false}}\n", file: "config.json"),
            Example("bifrost:\n  client:\n    enforceAuthOnInference: true\n", file: "values.yaml"),
            Example("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other-app}\ndata:\n  settings.yaml: |\n    allow_direct_keys: true\n"),
            // Another tool's `bifrost:` key under some parent is not the chart's block.
            Example("monitoring:\n  bifrost:\n    allowDirectKeys: true\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.pairs(named: ["allow_direct_keys", "allowDirectKeys"]).map { pair, parent in
                finding(pair.key, "`\(pair.key.keyString)` was removed in v1.5.0 (direct key bypass is gone); delete it and give callers virtual keys",
                        fix: context.fixes ? ConfigFixes.remove(pair, from: parent) : nil)
            }
        }
    }
}
