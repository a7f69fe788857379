import YAMLSource

/// A place to report: file, range, YAML path and the text of its first line (for the excerpt).
/// Kept instead of nodes by everything that outlives its document, so a stream of thousands of
/// documents is never held in memory.
public struct Loc: Sendable {
    public let range: SourceRange
    // A run keeps thousands of these: the strings are ids into the shared table (36 bytes a Loc
    // instead of 72), and a file name, path or line that repeats is stored once.
    private let fileID: Int32
    private let pathID: Int32
    private let lineID: Int32

    public var file: String { StringTable.shared[fileID] }
    public var path: String { StringTable.shared[pathID] }
    public var lineText: String { StringTable.shared[lineID] }

    public init(file: String, range: SourceRange, path: String, lineText: String) {
        (fileID, pathID, lineID) = StringTable.shared.ids(file, path, lineText)
        self.range = range
    }

    /// The node's place in the file the user edits (embedded texts mapped out). Paths and line
    /// texts repeat across the objects of a stream, so they are shared, not copied.
    public init(_ node: Node) {
        let (outer, range) = node.source.outerRange(node.range)
        self.init(file: outer.name, range: range, path: node.pathText, lineText: outer.lineText(range.start.line))
    }

    public init(source: SourceFile, position: Position, end: Position? = nil) {
        let (outer, start) = source.outerPosition(position)
        let stop = end.map { source.outerPosition($0).1 } ?? start
        self.init(file: outer.name, range: SourceRange(start: start, end: stop), path: "", lineText: outer.lineText(start.line))
    }
}

/// One shared chain per distinct YAML path, for the port lists a run keeps.
final class Interner: @unchecked Sendable {
    static let shared = Interner()
    private var paths: [String: YAMLPath] = [:]
    private let lock = Lock()

    func intern(_ path: YAMLPath) -> YAMLPath {
        let key = path.description
        return lock.withLock {
            if let existing = paths[key] { return existing }
            paths[key] = path
            return path
        }
    }
}

/// Every distinct string the facts of a run keep (Loc's file, path and line; labels; port-list
/// keys), stored once. Ids are handed out once and never reused, so a Loc stays valid.
final class StringTable: @unchecked Sendable {
    static let shared = StringTable()
    private var strings: [String] = [""]
    private var ids: [String: Int32] = ["": 0]
    private var lastFile: (name: String, id: Int32)?
    private let lock = Lock()

    subscript(id: Int32) -> String {
        lock.withLock { strings[Int(id)] }
    }

    func ids(_ file: String, _ b: String, _ c: String) -> (Int32, Int32, Int32) {
        lock.withLock {
            // Locs come a document at a time: the file is nearly always the last one asked for.
            let f: Int32
            if let last = lastFile, last.name == file { f = last.id } else {
                f = id(file)
                lastFile = (file, f)
            }
            return (f, id(b), id(c))
        }
    }

    /// The stored copy of a string, so the thousands of objects that carry it share one.
    func intern(_ s: String) -> String {
        // Small strings live inline; only heap-backed ones are worth sharing.
        guard s.utf8.count > 15 else { return s }
        return lock.withLock { strings[Int(id(s))] }
    }

    private func id(_ s: String) -> Int32 {
        if let known = ids[s] { return known }
        let new = Int32(strings.count)
        strings.append(s)
        ids[s] = new
        return new
    }
}
