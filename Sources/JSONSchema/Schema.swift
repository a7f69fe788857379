import YAMLSource

/// A compiled JSON Schema (draft-07, 2019-09 or 2020-12), read from a YAML or JSON node.
/// Compiled once; `$ref`s to `#/...` JSON pointers (`$defs`, `definitions`) are resolved to
/// the compiled target, so recursive schemas are fine.
public final class Schema: @unchecked Sendable {
    /// `true` / `false` schemas.
    var always: Bool?
    var types: [String]?
    /// By the names' bytes: JSON Schema compares strings as code points, not canonically.
    var properties: [ExactString: Schema] = [:]
    var patternProperties: [(Pattern, Schema)] = []
    var additionalProperties: Schema?
    var propertyNames: Schema?
    var required: [String] = []
    var dependentRequired: [(String, [String])] = []
    var dependentSchemas: [(String, Schema)] = []
    var minProperties: Int?
    var maxProperties: Int?
    var enumValues: [Instance]?
    var constValue: Instance?
    /// `prefixItems` (2020-12) or an `items` array (earlier drafts).
    var prefixItems: [Schema] = []
    /// Items past the prefix: `items` (2020-12, or a single-schema `items`) or `additionalItems`.
    var items: Schema?
    var contains: Schema?
    var minContains: Int?
    var maxContains: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var minLength: Int?
    var maxLength: Int?
    var pattern: Pattern?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?
    var allOf: [Schema] = []
    var anyOf: [Schema] = []
    var oneOf: [Schema] = []
    var not: Schema?
    var ifSchema: Schema?
    var thenSchema: Schema?
    var elseSchema: Schema?
    var ref: Schema?
    /// Before draft 2019-09 a `$ref` replaces its siblings.
    var refOnly = false
    public internal(set) var description: String?
    public internal(set) var title: String?
    /// Where the schema is in its document, as a JSON pointer.
    public let location: String

    init(location: String) {
        self.location = location
    }

    /// A schema that accepts everything.
    public static let anything: Schema = {
        let s = Schema(location: "")
        s.always = true
        return s
    }()

    /// A problem with the schema document itself.
    public struct CompileError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Compiles the first document of a parse (a `values.schema.json`).
    public static func compile(_ parse: ParseResult) throws -> Schema {
        if let error = parse.error { throw CompileError(description: error.description) }
        guard let root = parse.documents.first?.root else { throw CompileError(description: "\(parse.source.name): empty schema") }
        return try compile(root)
    }

    public static func compile(_ root: Node) throws -> Schema {
        let compiler = Compiler(root: root)
        let schema = try compiler.compile(root, at: "")
        try compiler.resolve()
        return schema
    }

    /// Compiles JSON or YAML text.
    public static func compile(name: String, bytes: [UInt8]) throws -> Schema {
        try compile(YAMLParser.parse(SourceFile(name: name, bytes: bytes)))
    }
}

/// A `pattern` or `patternProperties` key: an ECMA-262 expression as Swift Regex runs it, matched
/// anywhere in the string (not anchored), on Unicode scalars as JSON Schema counts characters.
final class Pattern: @unchecked Sendable {
    let source: String
    private let regex: Regex<AnyRegexOutput>?
    private let lock = NSLockLike()
    /// By the bytes: `é` and `e` + U+0301 are matched apart (on Unicode scalars).
    private var cache: [ExactString: Bool] = [:]

    init(_ source: String) {
        self.source = source
        regex = (try? Regex(Pattern.translate(source)))?.matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
    }

    /// Whether the expression could not be read (it then matches everything).
    var isInvalid: Bool { regex == nil }

    func matches(_ s: String) -> Bool {
        guard let regex else { return true }
        let key = ExactString(s)
        if let hit = lock.with({ cache[key] }) { return hit }
        let hit = (try? regex.firstMatch(in: s)) != nil
        lock.with { if cache.count < 65536 { cache[key] = hit } }
        return hit
    }

    /// ECMA-262 spellings Swift Regex reads otherwise: `\d` is ASCII only (options above), and a
    /// `$` must not match before a final newline.
    static func translate(_ p: String) -> String {
        var out = ""
        var escaped = false, inClass = false
        for ch in p {
            if escaped { out.append(ch); escaped = false; continue }
            switch ch {
            case "\\": escaped = true; out.append(ch)
            case "[": inClass = true; out.append(ch)
            case "]": inClass = false; out.append(ch)
            case "$" where !inClass: out += "\\z"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// A small lock (Foundation-free).
final class NSLockLike: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func with<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

final class Compiler {
    let root: Node
    let legacyRefs: Bool
    let rootID: String?
    var byPointer: [ExactString: Schema] = [:]
    var pendingRefs: [(Schema, String)] = []

    init(root: Node) {
        self.root = root
        let dialect = root["$schema"]?.string ?? ""
        legacyRefs = ["draft-04", "draft-06", "draft-07"].contains { dialect.contains($0) }
        rootID = root["$id"]?.string.map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? $0 }
    }

    func compile(_ node: Node, at pointer: String) throws -> Schema {
        if let done = byPointer[ExactString(pointer)] { return done }
        let s = Schema(location: pointer)
        byPointer[ExactString(pointer)] = s
        if let b = node.bool {
            s.always = b
            return s
        }
        guard node.isMapping else {
            throw Schema.CompileError(description: "schema at '\(pointer)' is neither an object nor a boolean")
        }
        func sub(_ key: String) throws -> Schema? {
            guard let n = node[key] else { return nil }
            return try compile(n, at: pointer + "/" + Self.escape(key))
        }
        func list(_ key: String) throws -> [Schema] {
            guard let n = node[key] else { return [] }
            return try n.items.enumerated().map { try compile($1, at: pointer + "/" + key + "/\($0)") }
        }
        func map(_ key: String) throws -> [(String, Schema)] {
            guard let n = node[key] else { return [] }
            return try n.pairs.map { p in
                let k = p.key.keyString
                return (k, try compile(p.value, at: pointer + "/" + key + "/" + Self.escape(k)))
            }
        }
        func number(_ key: String) -> Double? {
            switch node[key]?.value {
            case .int(let i)?: return Double(i)
            case .float(let d)?: return d
            default: return nil
            }
        }
        func count(_ key: String) -> Int? { number(key).map { Int(max(0, min($0, Double(Int32.max)))) } }

        s.description = node["description"]?.string
        s.title = node["title"]?.string
        if let t = node["type"] {
            s.types = t.isSequence ? t.items.compactMap(\.string) : t.string.map { [$0] }
        }
        for (k, v) in try map("properties") { s.properties[ExactString(k)] = v }
        s.patternProperties = try map("patternProperties").map { (Pattern($0.0), $0.1) }
        s.additionalProperties = try sub("additionalProperties")
        s.propertyNames = try sub("propertyNames")
        s.required = node["required"]?.items.compactMap(\.string) ?? []
        if let dr = node["dependentRequired"] {
            s.dependentRequired = dr.pairs.map { ($0.key.keyString, $0.value.items.compactMap(\.string)) }
        }
        s.dependentSchemas = try map("dependentSchemas")
        if let deps = node["dependencies"] {   // draft-07: both kinds under one keyword
            for p in deps.pairs {
                let k = p.key.keyString
                if p.value.isSequence {
                    s.dependentRequired.append((k, p.value.items.compactMap(\.string)))
                } else {
                    s.dependentSchemas.append((k, try compile(p.value, at: pointer + "/dependencies/" + Self.escape(k))))
                }
            }
        }
        s.minProperties = count("minProperties")
        s.maxProperties = count("maxProperties")
        if let e = node["enum"] { s.enumValues = e.items.map(Instance.init) }
        if let c = node["const"] { s.constValue = Instance(c) }
        if let items = node["items"], items.isSequence {
            s.prefixItems = try list("items")
            s.items = try sub("additionalItems")
        } else {
            s.prefixItems = try list("prefixItems")
            s.items = try sub("items")
        }
        s.contains = try sub("contains")
        s.minContains = count("minContains")
        s.maxContains = count("maxContains")
        s.minItems = count("minItems")
        s.maxItems = count("maxItems")
        s.uniqueItems = node["uniqueItems"]?.bool ?? false
        s.minLength = count("minLength")
        s.maxLength = count("maxLength")
        if let p = node["pattern"]?.string { s.pattern = Pattern(p) }
        s.minimum = number("minimum")
        s.maximum = number("maximum")
        // draft-04 wrote exclusive bounds as booleans beside minimum / maximum.
        if let b = node["exclusiveMinimum"]?.bool {
            if b { s.exclusiveMinimum = s.minimum; s.minimum = nil }
        } else {
            s.exclusiveMinimum = number("exclusiveMinimum")
        }
        if let b = node["exclusiveMaximum"]?.bool {
            if b { s.exclusiveMaximum = s.maximum; s.maximum = nil }
        } else {
            s.exclusiveMaximum = number("exclusiveMaximum")
        }
        s.multipleOf = number("multipleOf")
        s.allOf = try list("allOf")
        s.anyOf = try list("anyOf")
        s.oneOf = try list("oneOf")
        s.not = try sub("not")
        s.ifSchema = try sub("if")
        s.thenSchema = try sub("then")
        s.elseSchema = try sub("else")
        if let r = node["$ref"]?.string {
            pendingRefs.append((s, r))
            s.refOnly = legacyRefs
        }
        return s
    }

    /// Points every `$ref` at its compiled target.
    func resolve() throws {
        while let (schema, ref) = pendingRefs.popLast() {
            guard let hash = ref.firstIndex(of: "#") else {
                throw Schema.CompileError(description: "$ref '\(ref)' does not point into this schema")
            }
            let base = String(ref[..<hash])
            guard base.isEmpty || base == rootID else {
                throw Schema.CompileError(description: "$ref '\(ref)' names another document; only references within the schema are followed")
            }
            let fragment = String(ref[ref.index(after: hash)...]).removingPercentEncoding
            guard fragment.isEmpty || fragment.hasPrefix("/") else {
                throw Schema.CompileError(description: "$ref '\(ref)': anchors are not supported, only JSON pointers")
            }
            var node = root
            for token in fragment.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                let key = token.replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
                if node.isSequence, let i = Int(key), let item = node.item(i) {
                    node = item
                } else if let next = node[key] {
                    node = next
                } else {
                    throw Schema.CompileError(description: "$ref '\(ref)' points at nothing")
                }
            }
            schema.ref = try compile(node, at: fragment)
        }
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
    }
}

extension StringProtocol {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard contains(a) else { return String(self) }
        return String(self).split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }

    var removingPercentEncoding: String {
        guard contains("%") else { return String(self) }
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25, it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
