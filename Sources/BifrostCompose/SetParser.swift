/// Helm's `--set` syntax (strvals): `a.b=c`, `list[0]=x`, `a\.b=c` for a dotted key,
/// `a=1,b=2`, `list={x,y}`, with Helm's typing: true/false, null, integers without a leading zero.
public struct SetParser {
    private var chars: [Character]
    private var i = 0
    private let origin: Origin
    static let maxIndex = 65_536

    public static func apply(_ expression: String, to map: inout OrderedMap) throws {
        var parser = SetParser(chars: Array(expression), origin: Origin(file: "--set \(expression)", line: nil))
        try parser.parse(into: &map)
    }

    private init(chars: [Character], origin: Origin) {
        self.chars = chars
        self.origin = origin
    }

    private var atEnd: Bool { i >= chars.count }

    /// Reads until one of `stops`, honouring backslash escapes; returns the text and the stop (nil at end).
    private mutating func read(until stops: Set<Character>) -> (String, Character?) {
        var out = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                out.append(chars[i + 1])
                i += 2
                continue
            }
            if stops.contains(c) {
                i += 1
                return (out, c)
            }
            out.append(c)
            i += 1
        }
        return (out, nil)
    }

    private func fail(_ message: String) -> ComposeError {
        ComposeError("--set \(String(chars)): \(message)")
    }

    private mutating func parse(into map: inout OrderedMap) throws {
        while !atEnd {
            try key(into: &map)
        }
    }

    /// One `path=value` item; consumes its trailing comma.
    private mutating func key(into map: inout OrderedMap) throws {
        let (name, stop) = read(until: ["=", ".", "[", ","])
        switch stop {
        case "=":
            let value = try value()
            map.set(name, value, origin: origin)
        case ".":
            guard !name.isEmpty else { throw fail("empty key before '.'") }
            var inner: OrderedMap
            if case .map(let existing)? = map[name] { inner = existing } else { inner = OrderedMap() }
            try key(into: &inner)
            map.set(name, .map(inner), origin: map.origin(name) ?? origin)
        case "[":
            var list: [Value]
            if case .list(let existing)? = map[name] { list = existing } else { list = [] }
            try index(into: &list)
            map.set(name, .list(list), origin: origin)
        case ",":
            throw fail("key '\(name)' has no value")
        default:
            throw fail("key '\(name)' has no value")
        }
    }

    private mutating func index(into list: inout [Value]) throws {
        let (digits, close) = read(until: ["]"])
        guard close == "]", let n = Int(digits), n >= 0 else { throw fail("bad list index '\(digits)'") }
        guard n < Self.maxIndex else { throw fail("list index \(n) is too large") }
        while list.count <= n { list.append(.null) }
        guard !atEnd else { throw fail("list element has no value") }
        let c = chars[i]
        i += 1
        switch c {
        case "=":
            list[n] = try value()
        case ".":
            var inner: OrderedMap
            if case .map(let existing) = list[n] { inner = existing } else { inner = OrderedMap() }
            try key(into: &inner)
            list[n] = .map(inner)
        case "[":
            var innerList: [Value]
            if case .list(let existing) = list[n] { innerList = existing } else { innerList = [] }
            try index(into: &innerList)
            list[n] = .list(innerList)
        default:
            throw fail("unexpected '\(c)' after a list index")
        }
    }

    /// A scalar up to the next comma, or `{a,b}` as a list.
    private mutating func value() throws -> Value {
        if !atEnd, chars[i] == "{" {
            i += 1
            var items: [Value] = []
            while true {
                let (text, stop) = read(until: [",", "}"])
                if !(text.isEmpty && stop == "}" && items.isEmpty) { items.append(Self.typed(text)) }
                if stop == "}" { break }
                guard stop == "," else { throw fail("list is not closed with '}'") }
            }
            if !atEnd {
                guard chars[i] == "," else { throw fail("unexpected text after a list") }
                i += 1
            }
            return .list(items)
        }
        let (text, _) = read(until: [","])
        return Self.typed(text)
    }

    /// Helm's `typedVal`.
    static func typed(_ text: String) -> Value {
        let lower = text.lowercased()
        if lower == "true" { return .bool(true) }
        if lower == "false" { return .bool(false) }
        if lower == "null" { return .null }
        if text == "0" { return .int(0) }
        if let first = text.first, first != "0", let n = Int64(text) { return .int(n) }
        return .string(text)
    }
}
