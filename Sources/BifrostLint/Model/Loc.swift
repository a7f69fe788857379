import YAMLSource

/// A place to report: file, range, YAML path and the text of its first line (for the excerpt).
/// Kept instead of nodes by everything that outlives its document, so a stream of thousands of
/// documents is never held in memory.
public struct Loc: Sendable {
    public let file: String
    public let range: SourceRange
    public let path: String
    public let lineText: String

    public init(file: String, range: SourceRange, path: String, lineText: String) {
        self.file = file
        self.range = range
        self.path = path
        self.lineText = lineText
    }

    /// The node's place in the file the user edits (embedded texts mapped out).
    public init(_ node: Node) {
        let (outer, range) = node.source.outerRange(node.range)
        self.init(file: outer.name, range: range, path: node.path.description, lineText: outer.lineText(range.start.line))
    }

    public init(source: SourceFile, position: Position, end: Position? = nil) {
        let (outer, start) = source.outerPosition(position)
        let stop = end.map { source.outerPosition($0).1 } ?? start
        self.init(file: outer.name, range: SourceRange(start: start, end: stop), path: "", lineText: outer.lineText(start.line))
    }
}
