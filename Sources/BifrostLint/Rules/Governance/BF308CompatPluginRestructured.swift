import YAMLSource

public struct CompatPluginRestructuredRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF308", name: "compat-plugin-restructured", severity: .error,
        summary: "`enable_litellm_fallbacks` was replaced by `convert_text_to_chat`, `convert_chat_to_responses` and `should_drop_params`.",
        rationale: """
        OSS v1.5.0 (Breaking Change 8) removed `enable_litellm_fallbacks` and split what it did into \
        three flags under `client.compat`: `convert_text_to_chat` is its successor (the guide's \
        table maps the old option to it), `convert_chat_to_responses` and `should_drop_params` are \
        new. The old key is ignored, so text-completion callers that relied on chat fallbacks start \
        failing. Helm values spell them `bifrost.client.compat.convertTextToChat`, \
        `convertChatToResponses`, `shouldDropParams`; the chart's template reads them only under \
        `client.compat`, and its schema rejects them flat under `client`.
        """,
        remediation: "Replace the key with `convert_text_to_chat` (values: `convertTextToChat`) under `client.compat`, set to the old value; turn on the two new flags only if you want their behaviour. `--fix` does the first part, keeping the old value.",
        fixable: true,
        triggering: [
            Example("{\"client\": {\"drop_excess_requests\": false, ↓\"enable_litellm_fallbacks\": true}}\n", file: "config.json"),
            Example("bifrost:\n  client:\n    ↓enableLitellmFallbacks: true\n", file: "values.yaml"),
            Example("bifrost:\n  client:\n    compat:\n      ↓enableLitellmFallbacks: true\n      shouldDropParams: false\n", file: "values.yaml"),
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
                let (compat, flag) = camel ? ("compat", "convertTextToChat") : ("compat", "convert_text_to_chat")
                let others = camel ? "convertChatToResponses, shouldDropParams" : "convert_chat_to_responses, should_drop_params"
                let underClient = ConfigFixes.enclosingPair(of: parent)?.0.key.keyString == "client"
                let place = underClient ? "`client.\(compat).\(flag)`" : "`\(flag)`"
                let holder = underClient ? parent[compat] : parent
                let set = holder?.pair(flag).flatMap { $0.value.value == pair.value.value ? nil : $0.value.scalarText }
                let conflict = set.map { "; \(place) is already set to \($0), so which value is meant is yours to settle" } ?? ""
                return finding(pair.key, "`\(pair.key.keyString)` was removed in v1.5.0; its successor is \(place) (same value); \(others) are new and off unless set\(conflict)",
                               fix: context.fixes ? Self.fix(pair, in: parent, flag: flag, compatKey: underClient ? compat : nil) : nil)
            }
        }
    }

    /// The old flag becomes the new one with the same value: in place where it sat under `compat`
    /// (or a plugin's config), moved into `client.compat` where it sat flat under `client` (the
    /// chart's template and config.schema.json read it only there).
    static func fix(_ pair: Pair, in parent: Node, flag: String, compatKey: String?) -> Fix? {
        guard pair.isPlain, pair.value.isScalar, pair.value.isWritten(in: parent), pair.value.anchor == nil,
              pair.value.start.line == pair.value.range.end.line else { return nil }
        let valueText = pair.value.source.text(pair.value.byteRange)
        // Where the new flag is set already, the old key goes only if it says the same: a
        // different value is the user's to settle.
        let agrees = { (existing: Pair) in existing.value.value == pair.value.value }
        guard let compatKey else {
            if let existing = parent.pair(flag) { return agrees(existing) ? ConfigFixes.remove(pair, from: parent) : nil }
            return ConfigFixes.renameKey(pair, in: parent, to: flag)
        }
        if let compat = parent[compatKey] {
            guard compat.isMapping, let removal = EditBuilder.remove(pair, from: parent) else { return nil }
            if let existing = compat.pair(flag) { return agrees(existing) ? Fix(edits: removal, scopes: [EditBuilder.scope(parent)]) : nil }
            guard let insertion = EditBuilder.insertPairs([(flag, .text(valueText))], into: compat) else { return nil }
            return Fix(edits: removal + [insertion], scopes: [EditBuilder.scope(parent)])
        }
        let entry = Snippet.mapping([(flag, .text(valueText))])
        guard let b = EditBuilder(pair.key), case .mapping(_, let style) = parent.kind else { return nil }
        let src = pair.key.source
        let text: String
        let lead = src.slice(src.lineStart(pair.key.start.line)..<pair.key.startOffset)
        let indent = String.spaces(lead.count)
        if style == .block {
            text = Snippet.blockPair(compatKey, entry, indent: indent, src.lineBreak)
        } else {
            let json = EditBuilder.writesJSON(parent)
            // A pair alone on its line is pretty-printed JSON: the new object is laid out the same way.
            let alone = lead.allSatisfy { $0 == 0x20 } && pair.key.start.line > parent.start.line
            let step = String.spaces(max(1, lead.count - src.indentation(ofLine: parent.start.line)))
            text = Snippet.key(compatKey, json: json) + ": " + (alone ? entry.pretty(json: json, indent: indent, step: step, src.lineBreak) : entry.flow(json: json))
        }
        guard let edit = b.replaceLines(src, pair.key.startOffset..<pair.value.endOffset, text) else { return nil }
        return Fix(edits: [edit], scopes: [EditBuilder.scope(parent)])
    }
}
