/// How a scalar was written.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// How a mapping or sequence was written.
public enum CollectionStyle: String, Sendable {
    case block, flow
}

/// A scalar's value as Helm and Kubernetes read it (sigs.k8s.io/yaml, YAML 1.1 rules).
public enum ScalarValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)

    /// The string Helm turns this value into when it is used as a map key.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return s
        }
    }
}

public struct Scalar: Sendable {
    /// The value after escapes and folding, as libyaml produced it.
    public let text: String
    public let style: ScalarStyle
    public let value: ScalarValue
}

public struct Pair: Sendable {
    public let key: Node
    public let value: Node
}

/// One node of a parsed document. Aliases point at the anchored node itself, so a document
/// full of aliases costs no more than its text.
public final class Node: @unchecked Sendable {
    public enum Kind: Sendable {
        case scalar(Scalar)
        case mapping([Pair], CollectionStyle)
        case sequence([Node], CollectionStyle)
    }

    public let kind: Kind
    public let range: SourceRange
    public let tag: String?
    public let anchor: String?
    public let source: SourceFile
    /// Whether a mapping has `<<` merge keys (so `pairs` must expand them).
    let hasMergeKeys: Bool

    // Set once by the tree builder when the node is attached; a node reached through aliases
    // keeps the place where it was written. Unowned: the parent owns the child, and a node is
    // only used while its document is.
    unowned(unsafe) var parent: Node?
    /// Index of the node in its parent: a sequence index, a pair index for a mapping value, or
    /// `-1 - pairIndex` for a mapping key.
    var indexInParent: Int32 = 0

    init(kind: Kind, range: SourceRange, tag: String?, anchor: String?, source: SourceFile) {
        self.kind = kind
        self.range = range
        self.tag = tag
        self.anchor = anchor
        self.source = source
        if case .mapping(let pairs, _) = kind {
            hasMergeKeys = pairs.contains { $0.key.isMergeKey }
        } else {
            hasMergeKeys = false
        }
    }

    /// Path from the document root to where the node was written.
    public var path: YAMLPath {
        var components: [YAMLPath.Component] = []
        var node = self
        while let parent = node.parent {
            let i = Int(node.indexInParent)
            switch parent.kind {
            case .sequence:
                components.append(.index(i))
            case .mapping(let pairs, _):
                let pairIndex = i >= 0 ? i : -1 - i
                components.append(.key(pairs[pairIndex].key.keyString))
            case .scalar:
                break
            }
            node = parent
        }
        return YAMLPath(components.reversed())
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    public var value: ScalarValue? { scalar?.value }

    /// A string value, or the text of a plain scalar that Helm would read as another type.
    public var string: String? {
        if case .string(let s)? = value { return s }
        return nil
    }

    public var int: Int64? {
        switch value {
        case .int(let i)?: return i
        case .float(let d)? where d == d.rounded() && abs(d) < 1e15: return Int64(d)
        default: return nil
        }
    }

    public var bool: Bool? {
        if case .bool(let b)? = value { return b }
        return nil
    }

    public var isNull: Bool {
        if case .null? = value { return true }
        return false
    }

    /// Pairs of a mapping, with `<<` merge keys expanded the way go-yaml does (own keys win).
    public var pairs: [Pair] {
        guard case .mapping(let own, _) = kind else { return [] }
        guard hasMergeKeys else { return own }
        var result: [Pair] = []
        var seen = Set<String>()
        for p in own where !p.key.isMergeKey {
            result.append(p)
            seen.insert(p.key.keyString)
        }
        for p in own where p.key.isMergeKey {
            let sources: [Node]
            if case .sequence(let items, _) = p.value.kind { sources = items } else { sources = [p.value] }
            for src in sources {
                for inherited in src.pairs where !seen.contains(inherited.key.keyString) {
                    result.append(inherited)
                    seen.insert(inherited.key.keyString)
                }
            }
        }
        return result
    }

    public var items: [Node] {
        if case .sequence(let items, _) = kind { return items }
        return []
    }

    public var isMapping: Bool {
        if case .mapping = kind { return true }
        return false
    }

    public var isSequence: Bool {
        if case .sequence = kind { return true }
        return false
    }

    var isMergeKey: Bool {
        guard let s = scalar, s.style == .plain else { return false }
        return s.text == "<<"
    }

    /// The key as Helm sees it (`y` → `true`).
    public var keyString: String {
        scalar?.value.description ?? ""
    }

    /// Whether this key node is `key` as Helm reads keys, without building the key's string for
    /// the common case of a plain string key (lookups run for every object of a stream).
    func isKey(_ key: String) -> Bool {
        guard case .scalar(let s) = kind else { return false }
        if case .string(let text) = s.value { return text == key }
        return s.value.description == key
    }

    /// The value for a key, matched as Helm matches keys.
    public subscript(key: String) -> Node? {
        pair(key)?.value
    }

    public func pair(_ key: String) -> Pair? {
        guard case .mapping(let own, _) = kind else { return nil }
        if !hasMergeKeys {
            for i in own.indices where own[i].key.isKey(key) { return own[i] }
            return nil
        }
        return pairs.first { $0.key.isKey(key) }
    }

    /// The first of several spellings of a key that is present (`virtualKeys`, `virtual_keys`).
    public func pair(anyOf keys: [String]) -> Pair? {
        for k in keys { if let p = pair(k) { return p } }
        return nil
    }

    /// Follows a dotted path of mapping keys.
    public func lookup(_ keys: String...) -> Node? {
        var node: Node? = self
        for k in keys { node = node?[k] }
        return node
    }

    /// Mapping of string keys to scalar strings (labels, selectors).
    public var stringMap: [String: String] {
        var out: [String: String] = [:]
        for p in pairs {
            if let v = p.value.value { out[p.key.keyString] = v.description }
        }
        return out
    }
}
