import YAMLSource

/// One input of an example: a file name (which decides how the text is read) and its text.
/// In triggering examples, `↓` marks where each finding of the rule must start.
public struct ExampleFile: Sendable {
    public let name: String
    public let text: String

    public init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }
}

public struct Example: Sendable {
    public let files: [ExampleFile]

    public init(_ text: String, file: String = "manifest.yaml") {
        files = [ExampleFile(file, text)]
    }

    public init(files: [ExampleFile]) {
        self.files = files
    }

    public static let marker: Character = "↓"
}

/// Everything a rule says about itself; `explain`, `rules` and the docs are made from it.
public struct RuleDescription: Sendable {
    public let code: String
    public let name: String
    public let severity: Severity
    public let summary: String
    /// What changed and why it breaks.
    public let rationale: String
    /// How to fix it by hand.
    public let remediation: String
    public let fixable: Bool
    public let triggering: [Example]
    public let nonTriggering: [Example]
    /// The code and name in the run's string table, looked up once: every kept finding of the
    /// rule stores them.
    let ids: (code: Int32, name: Int32)

    public init(code: String, name: String, severity: Severity, summary: String, rationale: String,
                remediation: String, fixable: Bool = false, triggering: [Example], nonTriggering: [Example]) {
        self.code = code
        self.name = name
        ids = (StringTable.shared.id(code), StringTable.shared.id(name))
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.remediation = remediation
        self.fixable = fixable
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }
}

/// A rule checks the documents of one file or document (`check(_ context:)`), or the facts the
/// whole run gathered across files (`check(_ model:)`), or both.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ context: LintContext) -> [Finding]
    func check(_ model: ClusterModel) -> [Finding]
}

extension Rule {
    public var description: RuleDescription { Self.description }

    public func check(_ context: LintContext) -> [Finding] { [] }
    public func check(_ model: ClusterModel) -> [Finding] { [] }

    func finding(_ node: Node, _ message: String, fix: Fix? = nil, group: String? = nil) -> Finding {
        Finding(rule: Self.description, node: node, message: message, fix: fix, group: group)
    }

    func finding(_ loc: Loc, _ message: String, fix: Fix? = nil) -> Finding {
        Finding(rule: Self.description, message: message, at: loc, fix: fix)
    }
}
