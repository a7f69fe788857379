#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    /// The node's place in the file the user edits (embedded texts mapped out). Paths and line
    /// texts repeat across the objects of a stream, so they are shared, not copied.
    public init(_ node: Node) {
        let (outer, range) = node.source.outerRange(node.range)
        self.init(file: outer.name, range: range, path: Interner.shared.intern(node.path.description),
                  lineText: Interner.shared.intern(outer.lineText(range.start.line)))
    }

    public init(source: SourceFile, position: Position, end: Position? = nil) {
        let (outer, start) = source.outerPosition(position)
        let stop = end.map { source.outerPosition($0).1 } ?? start
        self.init(file: outer.name, range: SourceRange(start: start, end: stop), path: "", lineText: outer.lineText(start.line))
    }
}

/// One stored copy of each distinct string, for text that repeats by the thousand.
final class Interner: @unchecked Sendable {
    static let shared = Interner()
    private var strings = Set<String>()
    private var paths: [String: YAMLPath] = [:]
    private let lock = Lock()

    /// One shared chain per distinct path.
    func intern(_ path: YAMLPath) -> YAMLPath {
        let key = path.description
        return lock.withLock {
            if let existing = paths[key] { return existing }
            paths[key] = path
            return path
        }
    }

    func intern(_ s: String) -> String {
        // Small strings live inline; only heap-backed ones are worth sharing.
        guard s.utf8.count > 15 else { return s }
        return lock.withLock {
            if let existing = strings.firstIndex(of: s) { return strings[existing] }
            strings.insert(s)
            return s
        }
    }
}
