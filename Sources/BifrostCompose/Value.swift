import YAMLSource

/// Where a value was set: a file and line, or a `--set` argument.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    /// Where on `line` the value (a scalar) or its key (a collection) starts; not part of the
    /// description (`--explain` and conflicts say file:line), used to place compose findings.
    public let column: Int?

    public init(file: String, line: Int?, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A `--set` argument rather than a file.
    public var isSetArgument: Bool { line == nil && file.hasPrefix("--set ") }

    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// A values tree as Helm holds it after reading YAML: string keys, typed scalars, lists, null.
/// Maps keep first-seen key order, which is the order the composer writes.
public indirect enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case list([Value])
    case map(OrderedMap)

    public var isMap: Bool {
        if case .map = self { return true }
        return false
    }

    /// Strings by their bytes, as Helm's Go strings: `é` and `e` + U+0301 are two values.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case let (.string(x), .string(y)): return x.sameBytes(as: y)
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)): return x == y
        default: return false
        }
    }
}

/// An insertion-ordered map with each entry's origin. Keys are told apart by their bytes, as
/// Helm's Go map keys are: `café` with `é` and with `e` + U+0301 are two keys.
public struct OrderedMap: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [ExactString: Value] = [:]
    private var origins: [ExactString: Origin] = [:]

    public init() {}

    public subscript(key: String) -> Value? { values[ExactString(key)] }

    public func origin(_ key: String) -> Origin? { origins[ExactString(key)] }

    public mutating func set(_ key: String, _ value: Value, origin: Origin?) {
        let exact = ExactString(key)
        if values[exact] == nil { keys.append(key) }
        values[exact] = value
        if let origin { origins[exact] = origin } else { origins.removeValue(forKey: exact) }
    }

    public var isEmpty: Bool { keys.isEmpty }
    public var entries: [(String, Value)] { keys.map { ($0, values[ExactString($0)]!) } }

    public static func == (a: OrderedMap, b: OrderedMap) -> Bool {
        a.values == b.values
    }
}

/// A value error with its place in the input.
public struct ComposeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Value {
    /// Reads a parsed YAML node the way Helm's `-f` reader does (sigs.k8s.io/yaml: YAML 1.1
    /// scalars, keys turned into strings, merge keys expanded, aliases copied).
    static func from(_ node: Node, file: String, budget: inout Int) throws -> (Value, Origin) {
        budget -= 1
        guard budget >= 0 else { throw ComposeError("\(file): aliases expand to too many values") }
        let origin = Origin(file: file, line: node.range.start.line, column: node.range.start.column)
        switch node.kind {
        case .scalar(let s):
            switch s.value {
            case .null: return (.null, origin)
            case .bool(let b): return (.bool(b), origin)
            case .int(let i): return (.int(i), origin)
            case .float(let d): return (.float(d), origin)
            case .string(let str): return (.string(str), origin)
            }
        case .sequence:
            var items: [Value] = []
            for item in node.items { items.append(try from(item, file: file, budget: &budget).0) }
            return (.list(items), origin)
        case .mapping:
            var map = OrderedMap()
            for pair in node.pairs {
                let (v, o) = try from(pair.value, file: file, budget: &budget)
                // A scalar's origin is its own line; a collection's is its key's line.
                let keyOrigin = pair.value.scalar == nil ? Origin(file: file, line: pair.key.range.start.line, column: pair.key.range.start.column) : o
                map.set(pair.key.keyString, v, origin: keyOrigin)
            }
            return (.map(map), origin)
        }
    }

    /// A values file: a mapping, or nothing at all (an empty file means no values).
    public static func load(_ source: SourceFile) throws -> OrderedMap {
        var ignored: [String] = []
        return try load(source, warnings: &ignored)
    }

    /// As `load`, also noting what Helm drops without a word: a repeated key's earlier value
    /// (the last one wins) and every document after the first (Helm reads only the first).
    public static func load(_ source: SourceFile, warnings: inout [String]) throws -> OrderedMap {
        let result = YAMLParser.parse(source)
        if result.error == nil {
            for dup in result.duplicateKeys {
                warnings.append("\(source.name):\(dup.key.range.start.line): key '\(dup.key.keyString)' repeats the one at line \(dup.first.range.start.line); Helm keeps only this last value")
            }
            for document in result.documents.dropFirst() {
                guard let root = document.root, !root.isNull else { continue }
                warnings.append("\(source.name):\(root.range.start.line): a second YAML document; Helm reads only the first document of a values file, so this one is dropped")
            }
        }
        if let error = result.error { throw ComposeError("\(source.name):\(error.position): \(error.message)") }
        guard let root = result.documents.first?.root, !root.isNull else { return OrderedMap() }
        var budget = 1_000_000
        let (value, _) = try from(root, file: source.name, budget: &budget)
        guard case .map(let map) = value else {
            throw ComposeError("\(source.name):\(root.range.start): a values file must be a mapping")
        }
        return map
    }
}
