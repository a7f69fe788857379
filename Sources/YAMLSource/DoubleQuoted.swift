/// A string as a double-quoted scalar that is valid both as JSON and as YAML: quotes,
/// backslashes, control characters and the characters YAML treats as line breaks are escaped.
public enum DoubleQuoted {
    public static func quote(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { quote(utf8: $0) }
    }

    /// On bytes: every character escaped is ASCII or one of four multi-byte sequences, and no
    /// byte of another character looks like them (messages quoting `["*"]` went through every
    /// scalar before).
    static func quote(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(bytes.count + 8)
        func escape(_ value: UInt32) {
            let hex = Array("0123456789abcdef".utf8)
            out += [0x5C, 0x75, hex[Int(value >> 12 & 0xF)], hex[Int(value >> 8 & 0xF)], hex[Int(value >> 4 & 0xF)], hex[Int(value & 0xF)]]
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20, 0x7F: escape(UInt32(b))
            // U+0085 (NEL), U+2028, U+2029 and U+FEFF: line breaks or a BOM to YAML.
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85:
                escape(0x85)
                i += 1
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                escape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                i += 2
            case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF:
                escape(0xFEFF)
                i += 2
            default: out.append(b)
            }
            i += 1
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
