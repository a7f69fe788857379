import YAMLSource

/// A JSON value as a validator sees it, with the YAML node it was read from (nil for a value
/// made in code). Built from a YAML `Node` the way Helm reads values: YAML 1.1 scalars, aliases
/// followed, `<<` merge keys expanded, the last of repeated keys kept, keys as strings.
public struct Instance: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        case number(Double)
        case string(String)
        case array([Instance])
        case object([Member])
    }

    public var value: Value
    public var node: Node?

    public init(_ value: Value, node: Node? = nil) {
        self.value = value
        self.node = node
    }

    /// The node and everything under it.
    public init(_ node: Node) {
        self.node = node
        if node.isMapping {
            let pairs = node.pairs
            var members: [Member] = []
            members.reserveCapacity(pairs.count)
            // Keys by their bytes, as Helm's Go strings: `é` and `e` + U+0301 are two keys.
            var index: [ExactString: Int]? = pairs.count > 1 ? [:] : nil
            for p in pairs {
                let key = p.key.keyString
                let member = Member(key: key, keyNode: p.key, value: Instance(p.value))
                if let i = index?[ExactString(key)] {
                    members[i] = member   // Helm keeps the last of repeated keys
                } else {
                    index?[ExactString(key)] = members.count
                    members.append(member)
                }
            }
            value = .object(members)
        } else if node.isSequence {
            value = .array(node.items.map(Instance.init))
        } else {
            switch node.value ?? .null {
            case .null: value = .null
            case .bool(let b): value = .bool(b)
            case .int(let i): value = .int(i)
            case .float(let d): value = .number(d)
            case .string(let s): value = .string(s)
            }
        }
    }

    public var isNull: Bool { if case .null = value { return true } else { return false } }

    public var members: [Member]? { if case .object(let m) = value { return m } else { return nil } }

    public var elements: [Instance]? { if case .array(let a) = value { return a } else { return nil } }

    /// The member with this key, if this is an object that has it.
    public func member(_ key: String) -> Member? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key.sameBytes(as: key) }
    }

    /// The JSON type name (`integer` for a whole number, as JSON Schema and Helm count it).
    public var typeName: String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .number(let d): return Self.isWhole(d) ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func isWhole(_ d: Double) -> Bool { d.isFinite && d == d.rounded() }

    var double: Double? {
        switch value {
        case .int(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// Equality as JSON Schema defines it: numbers by value (1 == 1.0), objects without order.
    public func jsonEquals(_ other: Instance) -> Bool {
        switch (value, other.value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return a.sameBytes(as: b)
        case (.int, .number), (.number, .int), (.number, .number): return double == other.double
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { m in other.member(m.key).map { m.value.jsonEquals($0.value) } ?? false }
        default: return false
        }
    }

    /// Compact JSON text, for messages.
    public var jsonText: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return Self.isWhole(d) && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return Self.quote(s)
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let m): return "{" + m.map { Self.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// One key and value of an object.
public struct Member: Sendable {
    public var key: String
    public var keyNode: Node?
    public var value: Instance

    public init(key: String, keyNode: Node?, value: Instance) {
        self.key = key
        self.keyNode = keyNode
        self.value = value
    }
}
