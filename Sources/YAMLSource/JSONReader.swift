/// Reads plain JSON straight into a tree builder, making the calls libyaml's events would make
/// for the same bytes (same nodes, texts and positions), at a fraction of the cost: every
/// config.json embedded in a ConfigMap is read a second time, and libyaml spends most of that on
/// machinery JSON never needs.
///
/// It takes only what it can read exactly as libyaml does: ASCII text, LF line ends, spaces,
/// strings without escapes, JSON numbers and literals, a key on the line of its colon. Anything
/// else (tabs, CR, comments, escapes, YAML syntax, a limit reached) makes it decline, and the
/// caller reads the bytes with libyaml instead. A differential test and the fuzz target hold the
/// two readers to the same result.
enum JSONReader {
    /// The reader of one text; `nil` from `read` means "not plain JSON".
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        let offsetBase: Int
        var i = 0

        /// A JSON token's mark is never past the end: the text's last token ends on its line.
        @inline(__always)
        func position(_ at: Int) -> Mark {
            Mark(offset: at + offsetBase, pastEnd: false)
        }

        @inline(__always)
        var byte: UInt8? { i < bytes.count ? bytes[i] : nil }

        /// Skips spaces, and line feeds unless `lines` is false.
        mutating func skipSpace(lines: Bool = true) {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20: i += 1
                case 0x0A where lines:
                    i += 1
                default: return
                }
            }
        }
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// Whether the text may be JSON worth trying: its first non-space byte opens an object or array.
    static func mayBeJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes {
            switch b {
            case 0x20, 0x0A: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    /// Builds the text's one document into `builder`; false (builder left half-built) when the
    /// text is not plain JSON as defined above.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, into builder: inout TreeBuilder, baseOffset: Int) -> Bool {
        var c = Cursor(bytes: bytes, offsetBase: baseOffset)
        c.skipSpace()
        guard let first = c.byte, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return false }
        guard builder.startDocument(at: c.position(c.i)) else { return false }
        // Open collections, innermost last: true for an object.
        var objects: [Bool] = []
        var expectValue = true
        while true {
            if expectValue {
                guard let b = c.byte else { return false }
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = b == UInt8(ascii: "{")
                    guard builder.open(mapping: isObject, flow: true, start: c.position(c.i)) else { return false }
                    objects.append(isObject)
                    c.i += 1
                    c.skipSpace()
                    if c.byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        expectValue = false
                        continue
                    }
                    if isObject {
                        guard key(&c, &builder) else { return false }
                    }
                    continue
                case quote:
                    guard string(&c, &builder) else { return false }
                default:
                    guard plain(&c, &builder) else { return false }
                }
                expectValue = false
            }
            // After a value: a comma and the next entry, or the end of the innermost collection.
            c.skipSpace()
            guard let isObject = objects.last, let b = c.byte else { return false }
            if b == UInt8(ascii: ",") {
                c.i += 1
                c.skipSpace()
                if isObject {
                    guard key(&c, &builder) else { return false }
                }
                expectValue = true
                continue
            }
            guard b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return false }
            c.i += 1
            guard builder.close(end: c.position(c.i)) else { return false }
            objects.removeLast()
            if objects.isEmpty { break }
        }
        c.skipSpace()
        guard c.i == bytes.count else { return false }
        builder.endDocument()
        return true
    }

    /// A key, its colon and the space after it. libyaml takes a key only when its colon is on
    /// the same line and within 1024 characters of its start.
    private static func key(_ c: inout Cursor, _ builder: inout TreeBuilder) -> Bool {
        let start = c.i
        guard c.byte == quote, string(&c, &builder) else { return false }
        c.skipSpace(lines: false)
        guard c.byte == UInt8(ascii: ":"), c.i - start < 1000 else { return false }
        c.i += 1
        c.skipSpace()
        return true
    }

    /// A string without escapes: its text is the bytes between the quotes.
    private static func string(_ c: inout Cursor, _ builder: inout TreeBuilder) -> Bool {
        let start = c.i
        var j = start + 1
        while j < c.bytes.count {
            let b = c.bytes[j]
            if b == quote { break }
            // Escapes, control characters (tab included) and DEL are left to libyaml.
            guard b >= 0x20, b < 0x7F, b != backslash else { return false }
            j += 1
        }
        guard j < c.bytes.count else { return false }
        c.i = j + 1
        return builder.quotedText(start: c.position(start), end: c.position(c.i))
    }

    /// A JSON number, `true`, `false` or `null`, followed by a byte that ends a plain scalar in
    /// a flow collection.
    private static func plain(_ c: inout Cursor, _ builder: inout TreeBuilder) -> Bool {
        let start = c.i
        let end = literalEnd(c.bytes, start) ?? numberEnd(c.bytes, start)
        guard let end else { return false }
        if end < c.bytes.count {
            switch c.bytes[end] {
            case 0x20, 0x0A, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): break
            default: return false
            }
        }
        c.i = end
        return builder.scalar(UnsafeBufferPointer(rebasing: c.bytes[start..<end]), style: .plain, start: c.position(start), end: c.position(end))
    }

    private static let literals: [[UInt8]] = ["true", "false", "null"].map { Array($0.utf8) }

    private static func literalEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        for word in literals where start + word.count <= bytes.count && bytes[start..<start + word.count].elementsEqual(word) {
            return start + word.count
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private static func numberEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var i = start
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == 0x30 {
            i += 1
        } else if digits() == 0 {
            return nil
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        return i
    }
}
