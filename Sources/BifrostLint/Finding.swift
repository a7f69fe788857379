import YAMLSource

public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem, located in the file the user edits (embedded texts are mapped back out).
public struct Finding: Sendable {
    public let code: String
    public let name: String
    public private(set) var severity: Severity
    public private(set) var message: String
    public private(set) var file: String
    /// Where: the range, and the path and line text as string-table ids (a run may hold
    /// thousands of findings until it reports them, sorted, at the end).
    private(set) var loc: Loc
    public var range: SourceRange { loc.range }
    /// The text of the first line of `range`, for excerpts.
    public var lineText: String { resolved?.line ?? loc.lineText }
    /// YAML path of the node, in the document it was found in.
    public var path: String { resolved?.path ?? loc.path }
    /// `path` in the run's string table.
    var pathID: Int32 { loc.pathID }
    /// Line and path read ahead from a string-table snapshot (a finding made for a report on
    /// several threads, which would otherwise queue on the table's lock).
    private var resolved: (line: String, path: String)?
    public let fixable: Bool
    /// Edits that resolve this finding, when a rule can make them.
    public private(set) var fix: Fix?


    /// Findings with the same group say the same thing (every object of one rendered release
    /// carries the chart label); a run reports the first only.
    public let group: String?

    /// `code` and `name` in the run's string table, when the rule's description gave them.
    private(set) var ruleIDs: (code: Int32, name: Int32)?

    public init(rule: RuleDescription, message: String, at loc: Loc, severity: Severity? = nil, fix: Fix? = nil, group: String? = nil) {
        // Shared: every finding of a file names it.
        self.init(rule: rule, message: message, at: loc, file: StringTable.shared.fileName(loc.fileID), severity: severity, fix: fix, group: group)
    }

    private init(rule: RuleDescription, message: String, at loc: Loc, file: String, severity: Severity?, fix: Fix?, group: String?) {
        self.code = rule.code
        self.name = rule.name
        ruleIDs = rule.ids
        self.severity = severity ?? rule.severity
        self.message = message
        self.file = file
        self.loc = loc
        self.group = group
        self.fix = fix
        self.fixable = fix != nil
    }

    /// A finding from the parts a run keeps (see `CompactFinding`).
    init(code: String, name: String, severity: Severity, message: String, loc: Loc, fixable: Bool, fix: Fix?, group: String?,
         strings: StringTable.Snapshot? = nil) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        if let strings {
            file = strings[loc.fileID]
            resolved = (strings[loc.lineID], strings[loc.pathID])
        } else {
            file = loc.file
        }
        self.loc = loc
        self.fixable = fixable
        self.fix = fix
        self.group = group
    }

    /// A finding on a node, mapped out of any embedding.
    public init(rule: RuleDescription, node: Node, message: String, fix: Fix? = nil, group: String? = nil) {
        let (loc, file) = Loc.named(node)
        self.init(rule: rule, message: message, at: loc, file: file, severity: nil, fix: fix, group: group)
    }

    /// The same finding reported at another place: compose lints the text it would write, then
    /// reports each finding where the user can act on it, the input line that set the value.
    /// `note` is added to the message (what the new place does not say by itself).
    public func relocated(to loc: Loc, note: String? = nil) -> Finding {
        var copy = self
        copy.loc = loc
        copy.resolved = nil
        if let note { copy.message += " " + note }
        copy.file = StringTable.shared.intern(loc.file)
        return copy
    }

    /// The same finding with words added to its message (where a decoded text came from).
    public func noting(_ note: String) -> Finding {
        var copy = self
        copy.message += " " + note
        return copy
    }

    func with(severity: Severity) -> Finding {
        var copy = self
        copy.severity = severity
        return copy
    }

    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        return a.code < b.code
    }
}
