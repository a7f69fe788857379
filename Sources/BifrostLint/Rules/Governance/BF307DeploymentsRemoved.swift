import YAMLSource

public struct DeploymentsRemovedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF307", name: "deployments-removed", severity: .error,
        summary: "Provider `deployments` maps are gone; their entries belong in `aliases`.",
        rationale: """
        Azure, Bedrock, Vertex and Replicate keys used a `deployments` map (model name → deployment, \
        inference profile or endpoint), usually inside `azure_key_config`, `bedrock_key_config`, \
        `vertex_key_config` or `replicate_key_config`. OSS v1.5.0 removed it in favour of the \
        key-level `aliases` field shared by all providers; a leftover `deployments` map is ignored, \
        so requests for those model names go to the wrong (or no) deployment.

        Before:
            keys:
              - name: azure-east
                azure_key_config:
                  endpoint: https://east.openai.azure.com
                  deployments: {gpt-4o: prod-gpt4o}
        After:
            keys:
              - name: azure-east
                aliases: {gpt-4o: prod-gpt4o}
                azure_key_config:
                  endpoint: https://east.openai.azure.com
        """,
        remediation: "Move each `deployments` entry into the key's `aliases` map and delete `deployments`. `--fix` does it and reports alias names that already map elsewhere.",
        fixable: true,
        triggering: [
            Example("bifrost:\n  providers:\n    azure:\n      keys:\n        - name: azure-east\n          azure_key_config:\n            endpoint: https://east.openai.azure.com\n            ↓deployments:\n              gpt-4o: prod-gpt4o\n", file: "values.yaml"),
            Example("{\"providers\": {\"bedrock\": {\"keys\": [{\"name\": \"b\", \"bedrock_key_config\": {\"region\": \"us-east-1\", ↓\"deployments\": {\"claude\": \"arn:aws:bedrock:profile/x\"}}}]}}}\n", file: "config.json"),
            Example("bifrost:\n  providers:\n    vertex:\n      keys:\n        - name: v\n          ↓deployments: {gemini-pro: projects/p/endpoints/1}\n    replicate:\n      keys:\n        - name: r\n          replicate_key_config:\n            ↓deployments: {flux: acme/flux-dev}\n", file: "values.yaml"),
        ],
        nonTriggering: [
            Example("bifrost:\n  providers:\n    azure:\n      keys:\n        - name: azure-east\n          aliases: {gpt-4o: prod-gpt4o}\n          azure_key_config:\n            endpoint: https://east.openai.azure.com\n", file: "values.yaml"),
            // A Kubernetes Deployment list elsewhere in the values is not a provider's map.
            Example("bifrost:\n  providers: {}\nextraObjects:\n  deployments:\n    - name: sidecar\n", file: "values.yaml"),
            Example("{\"providers\": {\"openai\": {\"keys\": [{\"name\": \"o\", \"models\": [\"*\"]}]}}}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config -> [Finding] in
            guard let providers = config.root["providers"] else { return [] }
            return config.pairs(named: ["deployments"], under: providers).map { pair, parent in
                let message = "provider `deployments` were removed in v1.5.0; move these entries into the key's `aliases`"
                guard let key = Self.providerKey(holding: parent, in: config) else { return finding(pair.key, message) }
                switch AliasFixes.move(pair, in: parent, key: key) {
                case .fix(let fix):
                    return finding(pair.key, message, fix: fix)
                case .conflict(let names):
                    return finding(pair.key, message + "; `aliases` already maps \(names.joined(separator: ", ")) elsewhere, so merge those by hand")
                case .none:
                    return finding(pair.key, message)
                }
            }
        }
    }

    /// The `providers.<name>.keys[]` item that holds `deployments` itself or in a `*_key_config`.
    static func providerKey(holding parent: Node, in config: BifrostConfig) -> Node? {
        for (_, provider) in config.providers {
            for key in BifrostConfig.list(provider, "keys") {
                if key == parent { return key }
                if key.pairs.contains(where: { $0.value == parent && $0.key.keyString.hasSuffix("_key_config") }) { return key }
            }
        }
        return nil
    }
}
