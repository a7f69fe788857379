import YAMLSource

public struct YAMLSyntaxRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF001", name: "yaml-syntax", severity: .error,
        summary: "The file cannot be parsed as YAML or JSON.",
        rationale: """
        Helm and Kubernetes reject a file that does not parse, and nothing after the error is read. \
        The message and position are libyaml's; the documents before the error are still linted, and \
        so are the other files of the run. A config.json embedded in a ConfigMap is parsed too, and an \
        error inside it is reported at its line in the manifest.
        """,
        remediation: "Fix the syntax at the reported position (`helm template` and `yq` report the same place).",
        triggering: [
            Example("bifrost:\n  client:\n    allowedOrigins: [\"*\"\n  ↓port: 8080\n", file: "values.yaml"),
            Example("{\n  \"providers\": {\n    \"openai\": {\"keys\": [↓}\n}\n", file: "config.json"),
            Example("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bifrost-config\ndata:\n  config.json: |\n    {\"client\": {\"drop_excess_requests\": false}\n    ↓\n"),
        ],
        nonTriggering: [
            Example("bifrost:\n  client:\n    allowedOrigins: [\"*\"]\n  port: 8080\n", file: "values.yaml"),
            Example("{\n  \"providers\": {\n    \"openai\": {\"keys\": []}\n  }\n}\n", file: "config.json"),
            Example("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bifrost-config\ndata:\n  config.json: |\n    {\"client\": {\"drop_excess_requests\": false}}\n"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.parses.compactMap { parse in
            guard let error = parse.error, error.kind == .syntax else { return nil }
            return Finding(rule: Self.description, message: error.message, at: Loc(source: error.source, position: error.position))
        }
    }
}
