import YAMLSource

/// Writes values as YAML that Helm reads back to the same tree: block style, two-space indent,
/// first-seen key order, and quotes wherever YAML 1.1 would read a string as something else.
public struct Emitter {
    public var explain: Bool

    public init(explain: Bool = false) {
        self.explain = explain
    }

    public func emit(_ map: OrderedMap, header: String? = nil) -> String {
        emitWithOrigins(map, header: header).text
    }

    /// The text and, for each of its lines (1-based), the origin of the value written there:
    /// a key's line names where that key was set; a list item's, where its list was set.
    /// Compose uses it to report a finding of the composition at the input line it came from.
    public func emitWithOrigins(_ map: OrderedMap, header: String? = nil) -> (text: String, origins: [Int: Origin]) {
        var out = header ?? ""
        var lines: [Origin?] = Array(repeating: nil, count: out.reduce(0) { $1 == "\n" ? $0 + 1 : $0 })
        if map.isEmpty { return (out + "{}\n", [:]) }
        write(map, indent: 0, into: &out, origins: &lines)
        var origins: [Int: Origin] = [:]
        for (i, origin) in lines.enumerated() { if let origin { origins[i + 1] = origin } }
        return (out, origins)
    }

    private func note(_ origin: Origin?) -> String {
        guard explain, let origin else { return "" }
        return "  # \(origin)"
    }

    private func write(_ map: OrderedMap, indent: Int, into out: inout String, origins: inout [Origin?]) {
        let pad = String.spaces(indent)
        for (key, value) in map.entries {
            let k = Self.key(key)
            let origin = map.origin(key)
            switch value {
            case .map(let inner) where !inner.isEmpty:
                out += "\(pad)\(k):\(note(origin))\n"
                origins.append(origin)
                write(inner, indent: indent + 2, into: &out, origins: &origins)
            case .list(let items) where !items.isEmpty:
                out += "\(pad)\(k):\(note(origin))\n"
                origins.append(origin)
                write(items, indent: indent, into: &out, origins: &origins, listOrigin: origin)
            default:
                out += "\(pad)\(k): \(Self.scalar(value))\(note(origin))\n"
                origins.append(origin)
            }
        }
    }

    private func write(_ items: [Value], indent: Int, into out: inout String, origins: inout [Origin?], listOrigin: Origin?) {
        let pad = String.spaces(indent)
        for item in items {
            switch item {
            case .map(let inner) where !inner.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                write(inner, indent: indent + 2, into: &nested, origins: &origins)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .list(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                origins.append(listOrigin)
                write(inner, indent: indent + 2, into: &out, origins: &origins, listOrigin: listOrigin)
            default:
                out += "\(pad)- \(Self.scalar(item))\n"
                origins.append(listOrigin)
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

    /// A string scalar as written in a value position: plain when YAML reads it back as this
    /// same string, else double-quoted.
    public static func quoted(_ s: String) -> String {
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
