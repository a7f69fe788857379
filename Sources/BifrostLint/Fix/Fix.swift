#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLSource

/// Whether the fixes made on this thread carry what only a kept fix reads: the paths they may
/// change, and the layout of the port lists their text is made from. A run that keeps no fix
/// (a report that only says which findings are fixable) reads neither, and each path is a walk
/// up the tree and a chain of links: JSON's fixable flags of a dense stream made one for every
/// finding, and every port list of every release made one.
enum FixDetail {
    private static let off = ThreadFlag()

    static var isOff: Bool { off.isSet }

    static func run<T>(kept: Bool, _ body: () -> T) -> T {
        off.run(setting: !kept, body)
    }
}

/// Text edits that resolve one finding, in the file the finding is reported in.
public struct Fix: Sendable {
    public enum Applicability: String, Sendable {
        /// Keeps meaning (renames, restructuring): applied by `--fix`.
        case safe
        /// Changes what the configuration allows: applied only with `--unsafe-fixes`.
        case unsafe
    }

    public let applicability: Applicability
    public let edits: [TextEdit]
    /// Paths (in the outer document) this fix may change; the fixer refuses a result that
    /// differs anywhere else.
    public let scopes: [YAMLPath]

    public init(_ applicability: Applicability = .safe, edits: [TextEdit], scopes: [YAMLPath]) {
        self.applicability = applicability
        self.edits = edits
        self.scopes = scopes
    }
}

/// Builds edits from nodes, mapping embedded positions out; nil where the carrier cannot be
/// edited in place (base64, quoted).
struct EditBuilder {
    let source: SourceFile

    init?(_ node: Node) {
        // What `outerByteRange` asks, without mapping the node's range out: every carrier on the
        // way is a literal block (each edit maps its own range later).
        var source = node.source
        while let origin = source.origin {
            guard case .block = origin.layout else { return nil }
            source = origin.outer
        }
        self.source = source
    }

    /// The scope path in the outer document: the carrier scalar for embedded text. (The root,
    /// unread, where the run keeps no fix: see `FixDetail`.)
    static func scope(_ node: Node) -> YAMLPath {
        guard !FixDetail.isOff else { return .root }
        var source = node.source
        var path = node.path
        while let origin = source.origin {
            path = origin.carrierPath
            source = origin.outer
        }
        return path
    }

    func replace(_ node: Node, with text: String) -> TextEdit? {
        replace(node.source, node.byteRange, with: text)
    }

    func replace(_ inner: SourceFile, _ range: Range<Int>, with text: String) -> TextEdit? {
        guard let (_, outer) = inner.outerByteRange(range) else { return nil }
        return TextEdit(range: outer, replacement: text)
    }

    func insert(_ inner: SourceFile, at offset: Int, _ text: String) -> TextEdit? {
        replace(inner, offset..<offset, with: text)
    }

    /// Renames a mapping key, keeping its quoting.
    static func rename(_ key: Node, to name: String) -> TextEdit? {
        guard let b = EditBuilder(key), let old = key.scalarText,
              let renamed = replacingFirst(old, in: key.source.text(key.byteRange), with: name) else { return nil }
        return b.replace(key, with: renamed)
    }

    /// `written` with its first `old` replaced: a scalar's text is the bytes between its
    /// quotes. nil when `old` is not there (escapes, an alias).
    static func replacingFirst(_ old: String, in written: String, with new: String) -> String? {
        guard !old.isEmpty else { return new + written }
        let (text, count) = replacing(old, in: written, with: new, limit: 1)
        return count == 1 ? text : nil
    }

    /// `text` with up to `limit` occurrences of `target` replaced, found on bytes, and how many
    /// were (StringProcessing's character-wise search and `replacing` cost tens of thousands
    /// of instructions an edit).
    static func replacing(_ target: String, in text: String, with replacement: String, limit: Int = .max) -> (String, count: Int) {
        let t = Array(target.utf8)
        guard let first = t.first, text.utf8.contains(first) else { return (text, 0) }
        let bytes = Array(text.utf8), r = Array(replacement.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + r.count * 4)
        var i = 0, count = 0
        while i < bytes.count {
            if count < limit, bytes[i] == first, i + t.count <= bytes.count, bytes[i..<i + t.count].elementsEqual(t) {
                out += r
                i += t.count
                count += 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }

    /// The last line holding text of a node. A block collection's end mark sits on the next
    /// token, so a line with only indentation before that mark is not part of it.
    static func lastContentLine(_ node: Node) -> Int {
        let src = node.source
        let range = node.range, end = range.end
        guard end.line > range.start.line, end.line <= src.lastLine else { return end.line }
        let before = src.slice(src.lineStart(end.line)..<end.offset)
        var line = before.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? end.line - 1 : end.line
        // Blank and comment-only lines before the next token belong to what follows.
        while line > range.start.line {
            let text = src.lineBytes(line).drop(while: { $0 == 0x20 || $0 == 0x09 })
            guard text.isEmpty || text.first == 0x23 else { break }
            line -= 1
        }
        return line
    }

    /// Removes a pair from its mapping. Block mappings lose the pair's whole lines; flow mappings
    /// (and JSON) lose the pair and one neighbouring comma.
    /// `keepComments`: comment lines of their own inside the removed lines stay (a fix that
    /// carries them elsewhere says no).
    static func remove(_ pair: Pair, from mapping: Node, keepComments: Bool = true) -> [TextEdit]? {
        // An alias's node is the anchored one, written elsewhere: its range is not this pair's.
        // Pairs as written, read by index: no list of every pair is made.
        guard pair.value.isWritten(in: mapping), mapping.isMapping, let style = mapping.collectionStyle,
              let index = (0..<mapping.pairCount).first(where: { mapping.pair(at: $0)?.key == pair.key }),
              let b = EditBuilder(pair.key) else { return nil }
        let pairCount = mapping.pairCount
        func pairs(_ i: Int) -> Pair { mapping.pair(at: i)! }
        let src = pair.key.source
        if style == .block {
            let firstLine = pair.key.start.line
            // The key must start its line (after indentation or a `- `), or the item would break.
            let lead = src.slice(src.lineStart(firstLine)..<pair.key.startOffset)
            guard lead.allSatisfy({ $0 == 0x20 }) else { return nil }
            let lastLine = max(lastContentLine(pair.value), firstLine)
            let start = src.lineStart(firstLine)
            let end = lastLine < src.lastLine ? src.lineStart(lastLine + 1) : src.endOffset
            var kept = ""
            if keepComments, lastLine > firstLine {
                for line in (firstLine + 1)...lastLine where src.lineBytes(line).drop(while: { $0 == 0x20 || $0 == 0x09 }).first == 0x23 {
                    kept += String(decoding: src.lineBytes(line), as: UTF8.self) + src.lineBreak
                }
            }
            return b.replaceLines(src, start..<end, kept).map { [$0] }
        }
        let range: Range<Int>
        if index + 1 < pairCount {
            range = pair.key.startOffset..<pairs(index + 1).key.startOffset
        } else if index > 0 {
            range = pairs(index - 1).value.endOffset..<pair.value.endOffset
        } else {
            range = pair.key.startOffset..<pair.value.endOffset
        }
        // A comment inside the removed flow text would go with it.
        let removed = src.slice(range)
        if removed.contains(0x0A) || removed.contains(0x0D), zip(removed, removed.dropFirst()).contains(where: { ($0 == 0x20 || $0 == 0x09) && $1 == 0x23 }) {
            return nil
        }
        return b.replace(src, range, with: "").map { [$0] }
    }
}

extension Pair {
    /// `key: value` written the plain way: on one line, only a colon between, no explicit-key
    /// `? ` before. Fixes that rewrite or move a whole pair take only these.
    var isPlain: Bool {
        let src = key.source
        guard value.startOffset >= key.endOffset, key.isWritten(in: value.parent ?? key) else { return false }
        // Only blanks, quotes and one colon between: so no line break either, and key and value
        // are on one line without working out either's line.
        var colons = 0
        for b in src.slice(key.endOffset..<value.startOffset) where b != 0x20 && b != 0x09 && b != 0x22 && b != 0x27 {
            guard b == 0x3A, colons == 0 else { return false }
            colons += 1
        }
        // Walked back from the key over blanks, not filtered from the line's start: a minified
        // JSON line is long. A line break or the text's start ends the walk as the line's start
        // would.
        var i = key.startOffset
        while i > src.baseOffset, src.byte(at: i - 1) == 0x20 || src.byte(at: i - 1) == 0x09 { i -= 1 }
        return colons == 1 && (i == src.baseOffset || src.byte(at: i - 1) != 0x3F)
    }
}

extension Node {
    /// Whether the node was written inside `parent` here, not reached through an alias (whose
    /// node, range included, is the anchored one).
    func isWritten(in parent: Node) -> Bool { self.parent == parent }
}
