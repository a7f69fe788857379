import YAMLSource

public struct DuplicateKeyRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF002", name: "duplicate-key", severity: .error,
        summary: "A mapping repeats a key; Helm silently keeps the last value.",
        rationale: """
        YAML forbids repeated keys, but Helm and kubectl accept them and keep the last one, so the \
        first value — often the one someone just edited — is ignored without a word. Keys compare as \
        Helm reads them: `on` and `true` are the same boolean key. `<<` merge keys are not duplicates.
        """,
        remediation: "Delete one of the two entries, keeping the value you mean.",
        triggering: [
            Example("bifrost:\n  port: 8080\n  ↓port: 9090\n", file: "values.yaml"),
            Example("{\"client\": {\"allow_direct_keys\": false, ↓\"allow_direct_keys\": true}}\n", file: "config.json"),
            Example("metadata:\n  labels:\n    yes: a\n    ↓on: b\n"),
        ],
        nonTriggering: [
            Example("bifrost:\n  port: 8080\n  host: 0.0.0.0\n", file: "values.yaml"),
            Example("base: &base {a: 1}\nother:\n  <<: *base\n  a: 2\n"),
            Example("first:\n  port: 1\nsecond:\n  port: 2\n"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.parses.flatMap { parse in
            parse.duplicateKeys.map { dup in
                let (_, first) = dup.first.source.outerPosition(dup.first.range.start)
                return finding(dup.key, "key '\(dup.key.keyString)' repeats the one at line \(first.line); Helm keeps only this last value")
            }
        }
    }
}
