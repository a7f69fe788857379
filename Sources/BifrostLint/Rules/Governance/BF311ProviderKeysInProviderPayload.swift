import YAMLSource

public struct ProviderKeysInProviderPayloadRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF311", name: "provider-keys-in-provider-payload", severity: .warning,
        summary: "A provider create/update payload embeds `keys`; v1.5.0 manages keys through `/api/providers/{provider}/keys`.",
        rationale: """
        OSS v1.5.0 separated the Provider Keys API: `POST`/`PUT /api/providers` no longer take a \
        `keys` array, and keys are created, updated and deleted under \
        `/api/providers/{provider}/keys`. Automation that keeps request bodies in the repository \
        (files with a `provider` name and provider settings such as `network_config`) silently stops \
        setting keys. Only such REST payload files are checked: `keys` inside a config.json or Helm \
        values `providers` map is still the way to declare keys.
        """,
        remediation: "Drop `keys` from the provider payload and send each key to `/api/providers/{provider}/keys`.",
        triggering: [
            Example("{\n  \"provider\": \"openai\",\n  ↓\"keys\": [{\"name\": \"k\", \"value\": \"env.OPENAI_API_KEY\", \"models\": [\"*\"]}],\n  \"network_config\": {\"default_request_timeout_in_seconds\": 60}\n}\n", file: "openai-provider.json"),
            Example("provider: anthropic\n↓keys:\n  - name: a\n    value: env.ANTHROPIC_API_KEY\nconcurrency_and_buffer_size: {concurrency: 10, buffer_size: 100}\n", file: "anthropic-provider.yaml"),
            Example("{\"provider\": \"azure\", ↓\"keys\": []}\n", file: "azure.json"),
        ],
        nonTriggering: [
            Example("{\n  \"provider\": \"openai\",\n  \"network_config\": {\"default_request_timeout_in_seconds\": 60}\n}\n", file: "openai-provider.json"),
            Example("{\"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"models\": [\"*\"]}]}}}\n", file: "config.json"),
            // A key payload for the new endpoint.
            Example("{\"name\": \"openai-prod\", \"value\": \"env.OPENAI_API_KEY\", \"models\": [\"*\"], \"weight\": 1}\n", file: "openai-key.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.providerPayloads.compactMap { payload in
            guard let pair = payload.root.pair("keys") else { return nil }
            return finding(pair.key, "provider payload for '\(payload.root["provider"]?.string ?? "?")' embeds `keys`; since v1.5.0 keys go to /api/providers/{provider}/keys")
        }
    }
}
