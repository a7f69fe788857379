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

/// Where and why libyaml stopped.
public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let position: Position
    public let source: SourceFile

    public var description: String { "\(source.name):\(position): \(message)" }
}

public struct ParseResult: Sendable {
    public let source: SourceFile
    /// The documents read before any error.
    public let documents: [Document]
    public let duplicateKeys: [DuplicateKey]
    public let error: SyntaxError?
}

/// Bounds that keep hostile input from exhausting the stack.
public struct ParseLimits: Sendable {
    public var maxDepth: Int

    public init(maxDepth: Int = 512) {
        self.maxDepth = maxDepth
    }
}
