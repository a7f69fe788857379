/// Helm's `--set` (strvals.ParseInto), applied into the merged values as Helm applies it: `a.b=c`,
/// `list[0]=x`, `a\.b=c` for a dotted key, `a=1,b=2`, `list={x,y}`, with Helm's typing.
///
/// A close port of helm/pkg/strvals/parser.go, quirks included, because a `--set` that Helm
/// rejects or reads differently must not compose into a file that says something else:
/// - a path through a scalar, a null, or the wrong kind of collection is an error (Helm's type
///   assertions panic and the panic becomes the error);
/// - an empty key is dropped (`=1`, `.a=1`), `{}` is a list of one empty string;
/// - more than 30 nested names, a negative index or one above 65,536 are errors;
/// - a trailing backslash ends the text.
/// tests: scripts/helm-differential.py runs every form against Helm's own parser.
public struct SetParser {
    private let chars: [Unicode.Scalar]
    private var i = 0
    private let origin: Origin
    static let maxIndex = 65_536
    static let maxNestedNameLevel = 30

    public static func apply(_ expression: String, to map: inout OrderedMap) throws {
        var parser = SetParser(chars: Array(expression.unicodeScalars), origin: Origin(file: "--set \(expression)", line: nil))
        do {
            try parser.parse(into: &map)
        } catch let error as Failure {
            throw ComposeError("--set \(expression): \(error.message)")
        }
    }

    private init(chars: [Unicode.Scalar], origin: Origin) {
        self.chars = chars
        self.origin = origin
    }

    /// Helm's errors, and io.EOF, which ends parsing quietly where Helm's loop expects it.
    private struct Failure: Error { let message: String }
    /// `list`: what Helm's listItem hands back with io.EOF (the list as far as it got), which
    /// the key that owns the list still stores.
    private struct EndOfInput: Error { var list: [Value]? = nil }

    /// Helm's runesUntil: text up to a stop, backslash escapes; at the end, the text and EOF.
    private mutating func runes(until stops: Set<Unicode.Scalar>) -> (String, Unicode.Scalar?, atEnd: Bool) {
        var out = String.UnicodeScalarView()
        while i < chars.count {
            let c = chars[i]
            i += 1
            if stops.contains(c) { return (String(out), c, false) }
            if c == "\\" {
                guard i < chars.count else { return (String(out), nil, true) }
                out.append(chars[i])
                i += 1
                continue
            }
            out.append(c)
        }
        return (String(out), nil, true)
    }

    private mutating func parse(into map: inout OrderedMap) throws {
        while true {
            do {
                try key(into: &map, level: 0)
            } catch is EndOfInput {
                return
            }
        }
    }

    /// Helm's `set`: an empty key is not set.
    private func set(_ map: inout OrderedMap, _ key: String, _ value: Value, origin: Origin?) {
        guard !key.isEmpty else { return }
        map.set(key, value, origin: origin)
    }

    private mutating func key(into map: inout OrderedMap, level: Int) throws {
        let (name, stop, atEnd) = runes(until: ["=", "[", ",", "."])
        if atEnd {
            if name.isEmpty { throw EndOfInput() }
            throw Failure(message: "key \"\(name)\" has no value")
        }
        switch stop {
        case "[":
            let index = try keyIndex()
            var list: [Value] = []
            if let existing = map[name] {
                guard case .list(let l) = existing else { throw typeError(existing, want: "a list", at: name) }
                list = l
            }
            do {
                set(&map, name, .list(try listItem(list, index, level: level)), origin: origin)
            } catch let end as EndOfInput {
                // `l[0]` or `l[0].` at the end: Helm stores the list as it got it, then stops.
                set(&map, name, .list(end.list ?? list), origin: origin)
                throw EndOfInput()
            }
        case "=":
            switch try valueList() {
            case .list(let items):
                set(&map, name, .list(items), origin: origin)
            case .end:
                set(&map, name, .string(""), origin: origin)
                throw EndOfInput()
            case .notList:
                let (text, _, _) = runes(until: [","])
                set(&map, name, Self.typed(text), origin: origin)
            }
        case ",":
            throw Failure(message: "key \"\(name)\" has no value (cannot end with ,)")
        default: // "."
            let level = level + 1
            if level > Self.maxNestedNameLevel {
                throw Failure(message: "value name nested level is greater than maximum supported nested level of \(Self.maxNestedNameLevel)")
            }
            var inner = OrderedMap()
            if let existing = map[name] {
                guard case .map(let m) = existing else { throw typeError(existing, want: "a map", at: name) }
                inner = m
            }
            var failure: Error?
            do { try key(into: &inner, level: level) } catch { failure = error }
            if failure == nil && inner.isEmpty { throw Failure(message: "key map \"\(name)\" has no value") }
            if !inner.isEmpty { set(&map, name, .map(inner), origin: map.origin(name) ?? origin) }
            if let failure { throw failure }
        }
    }

    /// What Helm's failed type assertion says, in words.
    private func typeError(_ value: Value, want: String, at key: String) -> Failure {
        let kind: String
        switch value {
        case .null: kind = "null"
        case .list: kind = "a list"
        case .map: kind = "a map"
        default: kind = "a scalar"
        }
        return Failure(message: "unable to parse key: \"\(key)\" is \(kind), not \(want)")
    }

    private mutating func keyIndex() throws -> Int {
        let (digits, _, atEnd) = runes(until: ["]"])
        // Helm wraps io.EOF here, and its loop still ends quietly on a wrapped EOF.
        if atEnd { throw EndOfInput() }
        // strconv.Atoi: optional sign, decimal digits, fits in 64 bits.
        guard let n = Int(digits) else { throw Failure(message: "error parsing index: strconv.Atoi: parsing \"\(digits)\": invalid syntax") }
        return n
    }

    private mutating func listItem(_ list: [Value], _ index: Int, level: Int) throws -> [Value] {
        guard index >= 0 else { throw Failure(message: "negative \(index) index not allowed") }
        let (rest, stop, atEnd) = runes(until: ["[", ".", "="])
        if !rest.isEmpty { throw Failure(message: "unexpected data at end of array index: \"\(rest)\"") }
        if atEnd { throw EndOfInput(list: list) }
        switch stop {
        case "=":
            switch try valueList() {
            case .list(let items): return try Self.setIndex(list, index, .list(items))
            case .end: return try Self.setIndex(list, index, .string(""))
            case .notList:
                let (text, _, _) = runes(until: [","])
                return try Self.setIndex(list, index, Self.typed(text))
            }
        case "[":
            let next: Int
            do { next = try keyIndex() } catch is EndOfInput { throw EndOfInput(list: list) }
            var current: [Value] = []
            if index < list.count {
                switch list[index] {
                case .null: break
                case .list(let l): current = l
                default: throw typeError(list[index], want: "a list", at: "[\(index)]")
                }
            }
            let inner: [Value]
            do { inner = try listItem(current, next, level: level) } catch is EndOfInput { throw EndOfInput(list: list) }
            return try Self.setIndex(list, index, .list(inner))
        default: // "."
            // Helm replaces a non-map item with an empty map here instead of failing (in place,
            // so the replacement stays even when the text ends right after the dot).
            var list = list
            var inner = OrderedMap()
            if index < list.count {
                if case .map(let m) = list[index] { inner = m } else { list[index] = .map(OrderedMap()) }
            }
            do {
                try key(into: &inner, level: level)
            } catch is EndOfInput {
                // An item that was already there is the same Go map, edits included.
                if index < list.count { list[index] = .map(inner) }
                throw EndOfInput(list: list)
            }
            return try Self.setIndex(list, index, .map(inner))
        }
    }

    static func setIndex(_ list: [Value], _ index: Int, _ value: Value) throws -> [Value] {
        guard index <= maxIndex else {
            throw Failure(message: "index of \(index) is greater than maximum supported index of \(maxIndex)")
        }
        var list = list
        while list.count <= index { list.append(.null) }
        list[index] = value
        return list
    }

    private enum ListResult { case list([Value]), notList, end }

    /// Helm's valList: `{a,b}` (and a comma after it), or not a list, or the end of the text.
    private mutating func valueList() throws -> ListResult {
        guard i < chars.count else { return .end }
        guard chars[i] == "{" else { return .notList }
        i += 1
        var items: [Value] = []
        while true {
            let (text, stop, atEnd) = runes(until: [",", "}"])
            if atEnd { throw Failure(message: "list must terminate with '}'") }
            items.append(Self.typed(text))
            if stop == "}" {
                if i < chars.count, chars[i] == "," { i += 1 }
                return .list(items)
            }
        }
    }

    /// Helm's typedVal (strings.EqualFold, so the long s `ſ` folds to `s`).
    static func typed(_ text: String) -> Value {
        func equalFold(_ word: String) -> Bool {
            text.unicodeScalars.count == word.count
                && zip(text.unicodeScalars, word.unicodeScalars).allSatisfy { a, b in
                    a == b || (a.isASCII && Character(a).lowercased() == String(b)) || (a == "\u{17F}" && b == "s")
                }
        }
        if equalFold("true") { return .bool(true) }
        if equalFold("false") { return .bool(false) }
        if equalFold("null") { return .null }
        if text == "0" { return .int(0) }
        // strconv.ParseInt(s, 10, 64): optional sign, digits; only when not led by a zero.
        if let first = text.unicodeScalars.first, first != "0", let n = Int64(text) { return .int(n) }
        return .string(text)
    }
}
