import YAMLSource

/// A step of an instance path.
public enum PathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// One way an instance breaks its schema, located at the node that causes it: an additional
/// property (or a bad property name) at its key, a missing required property at the object
/// that lacks it, anything else at the value.
public struct Violation: Sendable {
    public let keyword: String
    public let message: String
    /// Where in the instance; for an additional property or a bad name, the path of that key.
    public let path: [PathComponent]
    /// The node to report at (the key node for an additional property); nil when the instance
    /// there was not read from YAML.
    public let node: Node?
    /// Whether `node` is a key (an additional property, a property name).
    public let atKey: Bool
    /// The `description` of the schema that was broken (or of the missing property's schema).
    public let schemaDescription: String?
    /// Where in the schema, as a JSON pointer.
    public let schemaLocation: String

    /// RFC 6901 JSON pointer of `path` (`/bifrost/governance/virtualKeys/2`).
    public var pointer: String { Self.pointer(path) }

    public static func pointer(_ path: [PathComponent]) -> String {
        path.map { c -> String in
            switch c {
            case .index(let i): return "/\(i)"
            case .key(let k): return "/" + k.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
            }
        }.joined()
    }
}

public extension Schema {
    /// Every violation of the instance, in document order of the schema's keywords.
    func validate(_ instance: Instance) -> [Violation] {
        var v = Validation(collect: true)
        var path: [PathComponent] = []
        _ = v.check(instance, self, &path, inherited: nil)
        return v.violations
    }

    /// Whether the instance is valid, stopping at the first violation.
    func accepts(_ instance: Instance) -> Bool {
        var v = Validation(collect: false)
        var path: [PathComponent] = []
        return v.check(instance, self, &path, inherited: nil)
    }

    /// Validates a YAML node as Helm would read it.
    func validate(_ node: Node) -> [Violation] { validate(Instance(node)) }
}

struct Validation {
    let collect: Bool
    var violations: [Violation] = []

    init(collect: Bool) {
        self.collect = collect
    }

    mutating func fail(_ keyword: String, _ message: String, _ instance: Instance, _ path: [PathComponent], _ schema: Schema,
                       description: String?, node: Node? = nil, atKey: Bool = false) {
        guard collect else { return }
        violations.append(Violation(keyword: keyword, message: message, path: path, node: node ?? instance.node, atKey: atKey,
                                    schemaDescription: description, schemaLocation: schema.location))
    }

    /// Whether `instance` is valid against `schema` (without collecting, returns at the first failure).
    mutating func check(_ instance: Instance, _ schema: Schema, _ path: inout [PathComponent], inherited: String?) -> Bool {
        if let always = schema.always {
            if !always { fail("false", "no value is allowed here", instance, path, schema, description: inherited) }
            return always
        }
        let desc = schema.description ?? inherited
        var ok = true
        if let ref = schema.ref {
            ok = check(instance, ref, &path, inherited: desc) && ok
            if schema.refOnly || (!ok && !collect) { return ok }
        }
        if let types = schema.types, !types.contains(where: { Self.matches(instance, type: $0) }) {
            let want = types.count == 1 ? types[0] : types.joined(separator: " or ")
            fail("type", "got \(instance.typeName), want \(want)", instance, path, schema, description: desc)
            // Other keywords would only repeat the mismatch.
            return false
        }
        if let values = schema.enumValues, !values.contains(where: { $0.jsonEquals(instance) }) {
            let list = values.prefix(12).map(\.jsonText).joined(separator: ", ") + (values.count > 12 ? ", …" : "")
            fail("enum", "value \(Self.short(instance)) must be one of \(list)", instance, path, schema, description: desc)
            ok = false
            if !collect { return false }
        }
        if let c = schema.constValue, !c.jsonEquals(instance) {
            fail("const", "value \(Self.short(instance)) must be \(c.jsonText)", instance, path, schema, description: desc)
            ok = false
            if !collect { return false }
        }
        switch instance.value {
        case .object(let members):
            ok = checkObject(instance, members, schema, &path, desc) && ok
        case .array(let items):
            ok = checkArray(instance, items, schema, &path, desc) && ok
        case .string(let s):
            ok = checkString(instance, s, schema, path, desc) && ok
        case .int, .number:
            ok = checkNumber(instance, schema, path, desc) && ok
        default:
            break
        }
        if !ok && !collect { return false }
        for sub in schema.allOf {
            ok = check(instance, sub, &path, inherited: desc) && ok
            if !ok && !collect { return false }
        }
        if !schema.anyOf.isEmpty {
            var quiet = Validation(collect: false)
            if !schema.anyOf.contains(where: { quiet.check(instance, $0, &path, inherited: nil) }) {
                ok = false
                fail("anyOf", "\(Self.short(instance)) matches none of the \(schema.anyOf.count) allowed forms (anyOf)\(Self.hint(instance, schema.anyOf))", instance, path, schema, description: desc)
                if !collect { return false }
            }
        }
        if !schema.oneOf.isEmpty {
            var quiet = Validation(collect: false)
            let matched = schema.oneOf.indices.filter { quiet.check(instance, schema.oneOf[$0], &path, inherited: nil) }
            if matched.count != 1 {
                ok = false
                let why = matched.isEmpty ? "matches none of the \(schema.oneOf.count) allowed forms\(Self.hint(instance, schema.oneOf))"
                    : "matches \(matched.count) of the forms (\(matched.map(String.init).joined(separator: ", "))) where exactly one must match"
                fail("oneOf", "\(Self.short(instance)) \(why) (oneOf)", instance, path, schema, description: desc)
                if !collect { return false }
            }
        }
        if let not = schema.not {
            var quiet = Validation(collect: false)
            if quiet.check(instance, not, &path, inherited: nil) {
                ok = false
                fail("not", "\(Self.short(instance)) is not allowed here (it matches a 'not' schema)", instance, path, schema, description: desc)
                if !collect { return false }
            }
        }
        if let cond = schema.ifSchema {
            var quiet = Validation(collect: false)
            if quiet.check(instance, cond, &path, inherited: nil) {
                if let then = schema.thenSchema { ok = check(instance, then, &path, inherited: desc) && ok }
            } else if let otherwise = schema.elseSchema {
                ok = check(instance, otherwise, &path, inherited: desc) && ok
            }
        }
        return ok
    }

    mutating func checkObject(_ instance: Instance, _ members: [Member], _ schema: Schema, _ path: inout [PathComponent], _ desc: String?) -> Bool {
        var ok = true
        // A large object looks keys up through an index.
        // Names by their bytes, as JSON Schema compares strings (code points, not canonically).
        var index: [ExactString: Int]?
        if members.count > 8 && (!schema.required.isEmpty || !schema.dependentRequired.isEmpty) {
            var d = [ExactString: Int](minimumCapacity: members.count)
            for (i, m) in members.enumerated() { d[ExactString(m.key)] = i }
            index = d
        }
        func has(_ key: String) -> Bool {
            if let index { return index[ExactString(key)] != nil }
            return members.contains { $0.key.sameBytes(as: key) }
        }
        for name in schema.required where !has(name) {
            let propertyDescription = schema.properties[ExactString(name)]?.effectiveDescription
            fail("required", "missing required property '\(name)'", instance, path, schema, description: propertyDescription ?? desc)
            ok = false
            if !collect { return false }
        }
        for (name, needed) in schema.dependentRequired where has(name) {
            for n in needed where !has(n) {
                fail("dependentRequired", "missing property '\(n)', required when '\(name)' is set", instance, path, schema, description: desc)
                ok = false
                if !collect { return false }
            }
        }
        if let minP = schema.minProperties, members.count < minP {
            fail("minProperties", "has \(members.count) properties, at least \(minP) wanted", instance, path, schema, description: desc)
            ok = false
        }
        if let maxP = schema.maxProperties, members.count > maxP {
            fail("maxProperties", "has \(members.count) properties, at most \(maxP) allowed", instance, path, schema, description: desc)
            ok = false
        }
        if !ok && !collect { return false }
        for m in members {
            path.append(.key(m.key))
            defer { path.removeLast() }
            if let names = schema.propertyNames {
                var quiet = Validation(collect: false)
                if !quiet.check(Instance(.string(m.key), node: m.keyNode), names, &path, inherited: nil) {
                    fail("propertyNames", "property name '\(m.key)' is not allowed", m.value, path, schema, description: names.effectiveDescription ?? desc, node: m.keyNode, atKey: true)
                    ok = false
                    if !collect { return false }
                }
            }
            var evaluated = false
            if let sub = schema.properties[ExactString(m.key)] {
                evaluated = true
                ok = check(m.value, sub, &path, inherited: nil) && ok
                if !ok && !collect { return false }
            }
            for (pattern, sub) in schema.patternProperties where pattern.matches(m.key) {
                evaluated = true
                ok = check(m.value, sub, &path, inherited: nil) && ok
                if !ok && !collect { return false }
            }
            if !evaluated, let extra = schema.additionalProperties {
                if extra.always == false {
                    fail("additionalProperties", "additional property '\(m.key)' is not allowed\(Self.known(schema))", m.value, path, schema, description: desc, node: m.keyNode ?? m.value.node, atKey: m.keyNode != nil)
                    ok = false
                    if !collect { return false }
                } else {
                    ok = check(m.value, extra, &path, inherited: nil) && ok
                    if !ok && !collect { return false }
                }
            }
        }
        for (name, sub) in schema.dependentSchemas where has(name) {
            ok = check(instance, sub, &path, inherited: desc) && ok
            if !ok && !collect { return false }
        }
        return ok
    }

    mutating func checkArray(_ instance: Instance, _ items: [Instance], _ schema: Schema, _ path: inout [PathComponent], _ desc: String?) -> Bool {
        var ok = true
        if let minI = schema.minItems, items.count < minI {
            fail("minItems", "has \(items.count) item\(items.count == 1 ? "" : "s"), at least \(minI) wanted", instance, path, schema, description: desc)
            ok = false
        }
        if let maxI = schema.maxItems, items.count > maxI {
            fail("maxItems", "has \(items.count) items, at most \(maxI) allowed", instance, path, schema, description: desc)
            ok = false
        }
        if schema.uniqueItems, items.count > 1 {
            outer: for i in items.indices {
                for j in items.indices where j > i && items[i].jsonEquals(items[j]) {
                    fail("uniqueItems", "items \(i) and \(j) are equal; items must be unique", instance, path, schema, description: desc)
                    ok = false
                    break outer
                }
            }
        }
        if !ok && !collect { return false }
        for (i, item) in items.enumerated() {
            let sub = i < schema.prefixItems.count ? schema.prefixItems[i] : schema.items
            guard let sub else { continue }
            path.append(.index(i))
            ok = check(item, sub, &path, inherited: nil) && ok
            path.removeLast()
            if !ok && !collect { return false }
        }
        if let contains = schema.contains {
            var quiet = Validation(collect: false)
            let n = items.indices.filter { i in
                path.append(.index(i))
                defer { path.removeLast() }
                return quiet.check(items[i], contains, &path, inherited: nil)
            }.count
            let least = schema.minContains ?? 1
            if n < least || schema.maxContains.map({ n > $0 }) == true {
                fail("contains", "\(n) item\(n == 1 ? "" : "s") match the 'contains' schema; wanted \(schema.maxContains.map { "\(least) to \($0)" } ?? "at least \(least)")", instance, path, schema, description: desc)
                ok = false
            }
        }
        return ok
    }

    mutating func checkString(_ instance: Instance, _ s: String, _ schema: Schema, _ path: [PathComponent], _ desc: String?) -> Bool {
        var ok = true
        if schema.minLength != nil || schema.maxLength != nil {
            let n = s.unicodeScalars.count
            if let minL = schema.minLength, n < minL {
                fail("minLength", "\(Self.short(instance)) is \(n) character\(n == 1 ? "" : "s") long, at least \(minL) wanted", instance, path, schema, description: desc)
                ok = false
            }
            if let maxL = schema.maxLength, n > maxL {
                fail("maxLength", "\(Self.short(instance)) is \(n) characters long, at most \(maxL) allowed", instance, path, schema, description: desc)
                ok = false
            }
        }
        if let p = schema.pattern, !p.matches(s) {
            fail("pattern", "\(Self.short(instance)) does not match the pattern '\(p.source)'", instance, path, schema, description: desc)
            ok = false
        }
        return ok
    }

    mutating func checkNumber(_ instance: Instance, _ schema: Schema, _ path: [PathComponent], _ desc: String?) -> Bool {
        guard let d = instance.double else { return true }
        var ok = true
        let text = instance.jsonText
        if let m = schema.minimum, d < m { fail("minimum", "\(text) is below the minimum \(Self.num(m))", instance, path, schema, description: desc); ok = false }
        if let m = schema.maximum, d > m { fail("maximum", "\(text) is above the maximum \(Self.num(m))", instance, path, schema, description: desc); ok = false }
        if let m = schema.exclusiveMinimum, d <= m { fail("exclusiveMinimum", "\(text) must be greater than \(Self.num(m))", instance, path, schema, description: desc); ok = false }
        if let m = schema.exclusiveMaximum, d >= m { fail("exclusiveMaximum", "\(text) must be less than \(Self.num(m))", instance, path, schema, description: desc); ok = false }
        if let m = schema.multipleOf, m > 0 {
            let q = d / m
            if !(q.isFinite && abs(q - q.rounded()) < 1e-9) { fail("multipleOf", "\(text) is not a multiple of \(Self.num(m))", instance, path, schema, description: desc); ok = false }
        }
        return ok
    }

    static func matches(_ instance: Instance, type: String) -> Bool {
        switch (type, instance.value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .int), ("number", .number), ("integer", .int): return true
        case ("integer", .number(let d)): return Instance.isWhole(d)
        default: return false
        }
    }

    static func num(_ d: Double) -> String { Instance(.number(d)).jsonText }

    /// The value for a message, cut short.
    static func short(_ instance: Instance) -> String {
        switch instance.value {
        case .object: return "the object"
        case .array: return "the list"
        default:
            let t = instance.jsonText
            return t.count > 60 ? String(t.prefix(57)) + "…\"" : t
        }
    }

    /// The names an object may have, for an additional-property message.
    static func known(_ schema: Schema) -> String {
        let names = schema.properties.keys.map(\.string).sorted(by: String.stableOrder)
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(10).joined(separator: ", ")
        return " (known: \(shown)\(names.count > 10 ? ", …" : ""))"
    }

    /// For a value of a type no alternative takes, the types they take.
    static func hint(_ instance: Instance, _ alternatives: [Schema]) -> String {
        let types = alternatives.compactMap { $0.types ?? $0.ref?.types }
        guard types.count == alternatives.count else { return "" }
        let all = Array(Set(types.flatMap { $0 })).sorted()
        guard !all.contains(where: { matches(instance, type: $0) }) else { return "" }
        return ": got \(instance.typeName), want \(all.joined(separator: " or "))"
    }
}

extension Schema {
    /// The schema's description, or that of the schema its `$ref` points at.
    var effectiveDescription: String? { description ?? ref?.description }
}
