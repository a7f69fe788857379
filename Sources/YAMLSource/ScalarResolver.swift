/// Turns scalar text into a typed value the way sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) does,
/// which is how Helm reads values files and Kubernetes reads manifests.
public enum ScalarResolver {
    static let trues: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    static let falses: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    /// First bytes of the words above: y Y n N o O t T f F ~.
    static let wordStarts: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in "yYnNoOtTfF~".utf8 { table[Int(c)] = true }
        return table
    }()

    public static func resolve(text: String, style: ScalarStyle, tag: String?) -> ScalarValue {
        if let tag, tag != "!" {
            switch tag {
            case "tag:yaml.org,2002:str": return .string(text)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool":
                if trues.contains(text) { return .bool(true) }
                if falses.contains(text) { return .bool(false) }
                return .string(text)
            case "tag:yaml.org,2002:int":
                if let i = parseInt(text) { return .int(i) }
                return .string(text)
            case "tag:yaml.org,2002:float":
                if let i = parseInt(text) { return .float(Double(i)) }
                if let d = parseFloat(text) { return .float(d) }
                return .string(text)
            default:
                break
            }
        }
        guard style == .plain else { return .string(text) }
        return resolvePlain(text)
    }

    /// Whether a plain scalar is a string from its first byte and length alone: the YAML 1.1
    /// words are at most five letters and start with one of a few characters, and only text
    /// that starts like a number can be one. Most scalars are settled here.
    static func isString(first: UInt8, count: Int) -> Bool {
        !startsLikeNumber(first) && !(count <= 5 && wordStarts[Int(first)])
    }

    static func startsLikeNumber(_ first: UInt8) -> Bool {
        (first >= 0x30 && first <= 0x39) || first == 0x2B || first == 0x2D || first == 0x2E
    }

    /// The YAML 1.1 word a plain scalar's bytes spell (`yes`, `Off`, `~`…), read without a String.
    static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> ScalarValue? {
        // Every word is at most five bytes: packed into one integer, it is one compare a word
        // (a list of byte arrays was a retain, a release and a loop each).
        guard bytes.count <= 5 else { return nil }
        let key = pack(bytes)
        return wordKeys.withUnsafeBufferPointer { keys in
            guard let i = keys.firstIndex(of: key) else { return nil }
            switch wordValues[i] {
            case 0: return .null
            case 1: return .bool(false)
            default: return .bool(true)
            }
        }
    }

    /// Up to five bytes and their count, in one integer.
    private static func pack(_ bytes: some Collection<UInt8>) -> UInt64 {
        var key = UInt64(bytes.count)
        for b in bytes { key = key << 8 | UInt64(b) }
        return key
    }

    private static let words: [(String, UInt8)] = nulls.map { ($0, 0) } + falses.map { ($0, 1) } + trues.map { ($0, 2) }
    private static let wordKeys: [UInt64] = words.map { pack(Array($0.0.utf8)) }
    /// 0 null, 1 false, 2 true.
    private static let wordValues: [UInt8] = words.map(\.1)

    /// Bytes any int, float, `.inf` or `.nan` go-yaml accepts is made of: digits, signs, `.`,
    /// `_`, radix prefixes, hex digits and exponents, and the letters of inf and nan.
    private static let numberBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in "0123456789abcdefABCDEF+-._xXoObBiInN".utf8 { table[Int(c)] = true }
        return table
    }()

    /// Whether a plain scalar that starts like a number cannot be one (`1M`, `10.0.0.1/8` can):
    /// settled from its bytes, without the general rules.
    static func cannotBeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { !numberBytes[Int($0)] }
    }

    public static func resolvePlain(_ text: String) -> ScalarValue {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        if isString(first: first, count: utf8.count) { return .string(text) }
        if utf8.count <= 5, wordStarts[Int(first)] {
            if nulls.contains(text) { return .null }
            if trues.contains(text) { return .bool(true) }
            if falses.contains(text) { return .bool(false) }
        }
        guard startsLikeNumber(first) else { return .string(text) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        if let i = parseInt(text) { return .int(i) }
        if let d = parseFloat(text) { return .float(d) }
        return .string(text)
    }

    /// Plain decimal digits without a leading zero (ports, counts, weights): the common integer,
    /// read without the general rules. 18 digits cannot overflow; anything else is nil.
    static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count <= 18, let first = bytes.first, first != 0x30 || bytes.count == 1 else { return nil }
        var value: Int64 = 0
        for b in bytes {
            guard b &- 0x30 < 10 else { return nil }
            value = value * 10 + Int64(b &- 0x30)
        }
        return value
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` after go-yaml drops underscores: sign, then `0x`, `0o`,
    /// `0b` or a leading `0` (octal) prefix.
    static func parseInt(_ raw: String) -> Int64? {
        if let fast = raw.utf8.withContiguousStorageIfAvailable(plainDecimal), let value = fast { return value }
        var s = Substring(raw.filter { $0 != "_" })
        var negative = false
        if s.first == "+" || s.first == "-" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        var radix = 10
        if s.count > 1, s.first == "0" {
            let second = s[s.index(after: s.startIndex)]
            switch second {
            case "x", "X": radix = 16; s = s.dropFirst(2)
            case "o", "O": radix = 8; s = s.dropFirst(2)
            case "b", "B": radix = 2; s = s.dropFirst(2)
            default: radix = 8; s = s.dropFirst()
            }
            guard !s.isEmpty else { return nil }
        }
        guard let magnitude = UInt64(s, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// go-yaml's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    static func parseFloat(_ text: String) -> Double? {
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == 0x2B || f == 0x2D { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }).count
            bytes = bytes.dropFirst(n)
            return n
        }
        if bytes.first == 0x2E {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return nil }
        } else {
            guard digits() > 0 else { return nil }
            if bytes.first == 0x2E {
                bytes = bytes.dropFirst()
                _ = digits()
            }
        }
        if let e = bytes.first, e == 0x65 || e == 0x45 {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == 0x2B || sign == 0x2D { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return nil }
        }
        guard bytes.isEmpty else { return nil }
        return Double(text)
    }
}
