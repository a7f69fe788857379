import YAMLSource

public struct LegacyVersionShimRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF310", name: "legacy-version-shim", severity: .warning,
        summary: "`version: 1` keeps the pre-v1.5.0 meaning of empty lists in config.json; plan its removal.",
        rationale: """
        The `version: 1` compatibility shim makes config.json read an empty whitelist as "allow \
        all" (normalised to `["*"]` at startup). It applies to config.json only — records created \
        through the REST API always use the new semantics — and it is temporary: the guide asks to \
        write explicit `["*"]` and drop the field before the next major Enterprise release. While it \
        is set, BF302 is silent for that file, so empty lists will start denying the day it goes.
        """,
        remediation: "Replace every empty `models`, `allowed_models`, `key_ids` and `tools_to_execute` with `[\"*\"]` (or the real list), then remove `version` (or set it to 2).",
        triggering: [
            Example("{\n  \"version\": ↓1,\n  \"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"models\": []}]}}\n}\n", file: "config.json"),
            Example("{\"version\": ↓1, \"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"key_ids\": [\"*\"]}]}]}}\n", file: "config.json"),
            Example("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bifrost-config}\ndata:\n  config.json: |\n    {\n      \"version\": ↓1,\n      \"client\": {\"enable_logging\": true}\n    }\n"),
        ],
        nonTriggering: [
            Example("{\"version\": 2, \"providers\": {}}\n", file: "config.json"),
            Example("{\"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"models\": [\"*\"]}]}}}\n", file: "config.json"),
            // Helm values have no shim; `version` there is something else (a plugin's version).
            Example("bifrost:\n  plugins:\n    telemetry:\n      enabled: true\n      version: 1\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.compactMap { config in
            guard let node = config.legacyVersionNode else { return nil }
            return finding(node, "config.json uses the `version: 1` shim: empty lists still mean \"all\" here but deny all everywhere else; write explicit [\"*\"] and remove it before the next major release")
        }
    }
}
