import YAMLSource

public struct CompatPluginRestructuredRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF308", name: "compat-plugin-restructured", severity: .error,
        summary: "`enable_litellm_fallbacks` was replaced by `convert_text_to_chat`, `convert_chat_to_responses` and `should_drop_params`.",
        rationale: """
        OSS v1.5.0 split the LiteLLM compatibility switch into three flags. The old key is ignored, \
        so text-completion callers that relied on chat fallbacks, and clients sending parameters a \
        provider does not support, start failing. Helm values spell it `enableLitellmFallbacks` and \
        the new flags `convertTextToChat`, `convertChatToResponses`, `shouldDropParams` (under \
        `client.compat`).
        """,
        remediation: "Replace the key with the three new flags set to the old value. `--fix` does it.",
        fixable: true,
        triggering: [
            Example("{\"client\": {\"drop_excess_requests\": false, ↓\"enable_litellm_fallbacks\": true}}\n", file: "config.json"),
            Example("bifrost:\n  client:\n    ↓enableLitellmFallbacks: true\n", file: "values.yaml"),
            Example("{\"plugins\": [{\"name\": \"litellmcompat\", \"enabled\": true, \"config\": {↓\"enable_litellm_fallbacks\": false}}]}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("{\"client\": {\"compat\": {\"convert_text_to_chat\": true, \"convert_chat_to_responses\": true, \"should_drop_params\": true}}}\n", file: "config.json"),
            Example("bifrost:\n  client:\n    compat:\n      convertTextToChat: false\n      convertChatToResponses: false\n      shouldDropParams: false\n", file: "values.yaml"),
            // Another tool's setting with the same name, outside any Bifrost config.
            Example("litellm:\n  enable_litellm_fallbacks: true\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.flatMap { config in
            config.pairs(named: ["enable_litellm_fallbacks", "enableLitellmFallbacks"]).map { pair, parent in
                let camel = pair.key.keyString.hasPrefix("enableL")
                let flags = camel ? ["convertTextToChat", "convertChatToResponses", "shouldDropParams"] : ["convert_text_to_chat", "convert_chat_to_responses", "should_drop_params"]
                return finding(pair.key, "`\(pair.key.keyString)` was replaced in v1.5.0 by \(flags.joined(separator: ", ")); set them to the old value",
                               fix: ConfigFixes.replace(pair, in: parent, with: flags))
            }
        }
    }
}
