/// A point in a source: byte offset (0-based), line and column (1-based; the column counts
/// characters, not bytes, so a multibyte character earlier on the line does not shift it).
public struct Position: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static func < (a: Position, b: Position) -> Bool {
        (a.line, a.column, a.offset) < (b.line, b.column, b.offset)
    }

    public var description: String { "\(line):\(column)" }
}

/// Half-open range `start..<end` in one source.
public struct SourceRange: Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    public var bytes: Range<Int> { start.offset..<max(start.offset, end.offset) }
}
