/// One document of a YAML stream (or the single value of a JSON file).
public struct Document: Sendable {
    public let source: SourceFile
    /// 0-based position of the document in its stream.
    public let index: Int
    /// nil for an empty document (`---` followed by nothing).
    public let root: Node?
}

/// A mapping key written twice. Helm keeps the last value without a word.
public struct DuplicateKey: Sendable {
    public let key: Node
    public let first: Node
}

/// Where and why reading stopped.
public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Not valid YAML.
        case syntax
        /// Not text libyaml can read: invalid UTF-8, control characters, a binary file.
        case encoding
        /// Valid, but past a limit that protects the reader (depth, size, alias expansion).
        case limit
    }

    public let message: String
    public let position: Position
    public let source: SourceFile
    public var kind: Kind = .syntax

    public init(message: String, position: Position, source: SourceFile, kind: Kind = .syntax) {
        self.message = message
        self.position = position
        self.source = source
        self.kind = kind
    }

    public var description: String { "\(source.name):\(position): \(message)" }
}

public struct ParseResult: Sendable {
    public let source: SourceFile
    /// The documents read before any error.
    public let documents: [Document]
    public let duplicateKeys: [DuplicateKey]
    public let error: SyntaxError?
    let nodes: NodeStore

    /// Whether another parse of the same bytes built the same nodes (kinds, styles, values,
    /// positions, texts, tags, anchors, links), documents, duplicate keys and error: how the JSON
    /// reader is held to libyaml's result.
    public func hasSameNodes(as other: ParseResult) -> Bool {
        let a = nodes.table, b = other.nodes.table
        guard a.records.count == b.records.count, a.slots == b.slots,
              documents.map({ $0.root?.id }) == other.documents.map({ $0.root?.id }),
              duplicateKeys.map({ [$0.key.id, $0.first.id] }) == other.duplicateKeys.map({ [$0.key.id, $0.first.id] }),
              error?.message == other.error?.message, error?.position == other.error?.position else { return false }
        for (i, (r, s)) in zip(a.records, b.records).enumerated() {
            guard r.startOffset == s.startOffset, r.endOffset == s.endOffset, r.parent == s.parent, r.bits == s.bits else { return false }
            if r.kind == NodeRecord.scalar {
                guard a.withText(r, { x in b.withText(s, { x.sameBytes(as: $0) }) }) else { return false }
            } else if r.a != s.a || r.b != s.b {
                return false
            }
            let id = Int32(i)
            guard a.extras[id]?.tag == b.extras[id]?.tag, a.extras[id]?.anchor == b.extras[id]?.anchor else { return false }
        }
        return true
    }

    /// Byte ranges of quoted and block scalars (where a `#` is text, not a comment), in order.
    public var nonPlainScalarRanges: [Range<Int>] {
        nodes.table.records.compactMap { r in
            r.kind == NodeRecord.scalar && r.style != 0 ? Int(r.startOffset)..<Int(max(r.startOffset, r.endOffset)) : nil
        }
    }
}

/// Bounds that keep hostile input from exhausting memory, stack or time. A document past one
/// is not read (BF003); the rest of the stream still is.
public struct ParseLimits: Sendable {
    /// Nested collections; Kubernetes objects rarely pass 20.
    public var maxDepth: Int
    /// Bytes of one scalar after unescaping (an embedded config or certificate is well below).
    public var maxScalarBytes: Int
    /// Nodes a document would have with every alias expanded: the billion-laughs bound.
    public var maxExpandedNodes: Int
    /// Documents in one file or stream.
    public var maxDocuments: Int
    /// Bytes in one file or stream.
    public var maxFileBytes: Int

    public init(maxDepth: Int = 256, maxScalarBytes: Int = 16 << 20, maxExpandedNodes: Int = 5_000_000,
                maxDocuments: Int = 1_000_000, maxFileBytes: Int = 1 << 30) {
        self.maxDepth = maxDepth
        self.maxScalarBytes = maxScalarBytes
        self.maxExpandedNodes = maxExpandedNodes
        self.maxDocuments = maxDocuments
        self.maxFileBytes = maxFileBytes
    }
}
