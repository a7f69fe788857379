import YAMLSource

/// Writes values as YAML that Helm reads back to the same tree: block style, two-space indent,
/// first-seen key order, and quotes wherever YAML 1.1 would read a string as something else.
public struct Emitter {
    public var explain: Bool

    public init(explain: Bool = false) {
        self.explain = explain
    }

    public func emit(_ map: OrderedMap, header: String? = nil) -> String {
        var out = header ?? ""
        if map.isEmpty { return out + "{}\n" }
        write(map, indent: 0, into: &out)
        return out
    }

    private func note(_ origin: Origin?) -> String {
        guard explain, let origin else { return "" }
        return "  # \(origin)"
    }

    private func write(_ map: OrderedMap, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in map.entries {
            let k = Self.key(key)
            switch value {
            case .map(let inner) where !inner.isEmpty:
                out += "\(pad)\(k):\(note(map.origin(key)))\n"
                write(inner, indent: indent + 2, into: &out)
            case .list(let items) where !items.isEmpty:
                out += "\(pad)\(k):\(note(map.origin(key)))\n"
                write(items, indent: indent, into: &out)
            default:
                out += "\(pad)\(k): \(Self.scalar(value))\(note(map.origin(key)))\n"
            }
        }
    }

    private func write(_ items: [Value], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .map(let inner) where !inner.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                write(inner, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .list(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                write(inner, indent: indent + 2, into: &out)
            default:
                out += "\(pad)- \(Self.scalar(item))\n"
            }
        }
    }

    static func scalar(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            let s = String(d)
            // Keep a float a float when read back (`1.0`, not `1`).
            return s.contains(".") || s.contains("e") ? s : s + ".0"
        case .string(let s): return string(s)
        case .list: return "[]"
        case .map: return "{}"
        }
    }

    /// A key is always a string to Helm; quote it when YAML would read it as anything else.
    static func key(_ s: String) -> String {
        string(s)
    }

    static func string(_ s: String) -> String {
        needsQuotes(s) ? doubleQuoted(s) : s
    }

    static func needsQuotes(_ s: String) -> Bool {
        if s.isEmpty { return true }
        // Anything the YAML 1.1 resolver would not give back as this same string.
        if ScalarResolver.resolvePlain(s) != .string(s) { return true }
        if s.hasPrefix(" ") || s.hasSuffix(" ") { return true }
        let first = s.first!
        if "-?:,[]{}#&*!|>'\"%@`~".contains(first) {
            // `-x` and `:x` are fine plain in block context only when followed by a non-space;
            // quoting them is simpler and always right.
            return true
        }
        for (a, b) in zip(s, s.dropFirst()) {
            if a == ":" && b == " " { return true }
            if a == " " && b == "#" { return true }
        }
        if s.hasSuffix(":") { return true }
        for scalar in s.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FEFF}" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
            return true
        }
        // Timestamps and sexagesimal numbers are other types to some readers: quote digit-led
        // strings with separators too.
        if first.isNumber && s.contains(where: { ":-".contains($0) }) { return true }
        return false
    }

    static func doubleQuoted(_ s: String) -> String {
        DoubleQuoted.quote(s)
    }
}
