import YAMLSource

public struct UnreadableRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF003", name: "unreadable", severity: .error,
        summary: "The input is not YAML text the linter will read: not UTF-8, binary, unreadable, or past a safety limit.",
        rationale: """
        A linter runs in CI on whatever a repository or a pull request holds. Input that is not \
        UTF-8 text (a binary, a stray archive, invalid byte sequences), a file that cannot be opened, \
        and documents built to exhaust a reader are reported here instead of crashing or hanging. \
        The limits: nesting depth 256, one scalar 16 MiB, a document's alias expansion 5,000,000 \
        nodes (the "billion laughs" attack stops here; ordinary anchors are far below), 1,000,000 \
        documents and 1 GiB per input. Only the document past a limit is skipped; the others are \
        still linted. UTF-16 files with a byte order mark are read (and not rewritten by `--fix`).
        """,
        remediation: "Check that the file is the YAML or JSON you meant to lint; exclude generated or binary files with `ignore:` in .kubectl-bifrost.yaml.",
        triggering: [
            Example("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, ↓*f, *f, *f, *f, *f, *f]\n", file: "laughs.yaml"),
            Example("bifrost:\n  note: \"caf\u{FFFD}\"\n  ↓\u{01}: 1\n", file: "values.yaml"),
            Example(String(repeating: "[", count: 256) + "↓" + String(repeating: "[", count: 44) + String(repeating: "]", count: 300) + "\n", file: "deep.yaml"),
        ],
        nonTriggering: [
            Example("defaults: &d {weight: 1}\nkeys:\n  - <<: *d\n    name: a\n  - <<: *d\n    name: b\n", file: "values.yaml"),
            Example(String(repeating: "[", count: 100) + String(repeating: "]", count: 100), file: "deep.yaml"),
            Example("bifrost:\n  note: \"日本語 ✓ ünïcödé\"\n", file: "values.yaml"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.parses.compactMap { parse in
            guard let error = parse.error, error.kind != .syntax else { return nil }
            return Finding(rule: Self.description, message: error.message, at: Loc(source: error.source, position: error.position))
        }
    }

    /// For an input, or the rest of one, that could not be read.
    static func finding(at loc: Loc, message: String, severity: Severity? = nil) -> Finding {
        Finding(rule: description, message: message, at: loc, severity: severity)
    }
}
