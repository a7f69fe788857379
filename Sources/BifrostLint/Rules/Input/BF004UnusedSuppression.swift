import YAMLSource

public struct UnusedSuppressionRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF004", name: "unused-suppression", severity: .info,
        summary: "A suppression comment or annotation suppresses nothing, names no rule, or is malformed.",
        rationale: """
        Suppressions outlive the problems they hid: once a file is fixed, a stale \
        `# kubectl-bifrost: disable=BF302` would silently hide the next real finding on that line. \
        Directives are `# kubectl-bifrost: disable=CODE[,CODE]` at the end of a line (that line) or \
        alone on a line (the next line), `# kubectl-bifrost: disable-file=CODE` anywhere, and the \
        annotation `kubectl-bifrost.io/ignore: "CODE,CODE"` on a Kubernetes object, which survives \
        `helm template` where template comments do not. Codes or rule names are accepted. Only `#` \
        that starts a real comment counts — not one inside a quoted or block scalar. A \
        `# kubectl-bifrost:` comment that is not one of these (`disable` with no codes, \
        `disable = BF302` with spaces, another word) is reported as malformed: it suppresses nothing.
        """,
        remediation: "Delete the directive, or the codes in it that no longer match a finding; fix misspelled codes (`kubectl bifrost rules` lists them).",
        triggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: [\"*\"]  ↓# kubectl-bifrost: disable=BF302\n", file: "values.yaml"),
            Example("↓# kubectl-bifrost: disable-file=BF104,BF999\nbifrost:\n  port: 8080\n", file: "values.yaml"),
            Example("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubectl-bifrost.io/ignore: ↓\"BF102\"\nspec:\n  clusterIP: None\n"),
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: []  ↓# kubectl-bifrost: disable = BF302\n", file: "values.yaml"),
            Example("↓# kubectl-bifrost: disable\nbifrost:\n  port: 8080\n", file: "values.yaml"),
        ],
        nonTriggering: [
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          models: []  # kubectl-bifrost: disable=BF302\n", file: "values.yaml"),
            Example("bifrost:\n  providers:\n    openai:\n      keys:\n        - name: k\n          # kubectl-bifrost: disable=empty-list-denies-all  (batch key, deny on purpose)\n          models: []\n", file: "values.yaml"),
            // Inside a quoted scalar it is text, not a directive.
            Example("bifrost:\n  client:\n    note: \"see # kubectl-bifrost: disable=BF302\"\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] { [] }

    /// Runs after suppression, from what the directives matched.
    static func findings(_ directives: [Suppressions.Directive], ran: Set<String>) -> [Finding] {
        directives.compactMap { d -> Finding? in
            var problems: [String] = []
            let unused = d.codes.filter { ran.contains($0) && !d.used.contains($0) && $0 != description.code }
            if !unused.isEmpty { problems.append("suppression of \(unused.joined(separator: ", ")) suppresses nothing") }
            if !d.unknown.isEmpty { problems.append("\(d.unknown.joined(separator: ", ")) names no rule") }
            if let malformed = d.malformed { return Finding(rule: description, message: malformed, at: d.loc) }
            guard !problems.isEmpty else { return nil }
            return Finding(rule: description, message: problems.joined(separator: "; ") + "; remove it", at: d.loc)
        }
    }
}
