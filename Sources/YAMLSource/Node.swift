#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// How a scalar was written.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// Index in `all`, as node records store it.
    static let all: [ScalarStyle] = [.plain, .singleQuoted, .doubleQuoted, .literal, .folded]
    var code: UInt8 {
        switch self {
        case .plain: return 0
        case .singleQuoted: return 1
        case .doubleQuoted: return 2
        case .literal: return 3
        case .folded: return 4
        }
    }
}

/// How a mapping or sequence was written.
public enum CollectionStyle: String, Sendable {
    case block, flow
}

/// A scalar's value as Helm and Kubernetes read it (sigs.k8s.io/yaml, YAML 1.1 rules).
public enum ScalarValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)

    /// The string Helm turns this value into when it is used as a map key.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return s
        }
    }
}

public struct Scalar: Sendable {
    /// The value after escapes and folding, as libyaml produced it.
    public let text: String
    public let style: ScalarStyle
    public let value: ScalarValue
}

public struct Pair: Sendable {
    public let key: Node
    public let value: Node
}

/// One node of a parsed document: a handle into its document's node store. Aliases point at
/// the anchored node itself, so a document full of aliases costs no more than its text.
public struct Node: @unchecked Sendable, Hashable {
    public enum Kind: Sendable {
        case scalar(Scalar)
        case mapping([Pair], CollectionStyle)
        case sequence([Node], CollectionStyle)
    }

    let store: NodeStore
    let id: Int32

    init(_ store: NodeStore, _ id: Int32) {
        self.store = store
        self.id = id
    }

    public static func == (a: Node, b: Node) -> Bool { a.id == b.id && a.store === b.store }

    /// The node's number in its parse: with `sibling(_:)`, a 4-byte reference to a node of the
    /// same parse, for the many small records a large document produces.
    public var handle: Int32 { id }

    /// The node of this node's parse with the handle.
    public func sibling(_ handle: Int32) -> Node { Node(store, handle) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(store))
        hasher.combine(id)
    }

    var record: NodeRecord { store.table.records[Int(id)] }

    public var kind: Kind {
        let r = record
        switch r.kind {
        case NodeRecord.mapping: return .mapping(ownPairs, r.collectionStyle)
        case NodeRecord.sequence: return .sequence(items, r.collectionStyle)
        default: return .scalar(makeScalar(r))
        }
    }

    public var range: SourceRange {
        let r = record
        return SourceRange(start: store.table.position(r.start), end: store.table.position(r.end))
    }

    /// `range.start` alone: one search of the line table, not two.
    public var start: Position { store.table.position(record.start) }

    /// `range.start.offset`, `range.end.offset` and `range.bytes` without working out lines and
    /// columns (two searches of the line table): what most edits and comparisons need.
    public var startOffset: Int { Int(record.startOffset) }
    public var endOffset: Int { Int(record.endOffset) }
    public var byteRange: Range<Int> {
        let r = record
        return Int(r.startOffset)..<max(Int(r.startOffset), Int(r.endOffset))
    }

    public var tag: String? { record.flags & NodeRecord.hasExtras != 0 ? store.table.extras[id]?.tag : nil }
    public var anchor: String? { record.flags & NodeRecord.hasExtras != 0 ? store.table.extras[id]?.anchor : nil }
    public var source: SourceFile { store.table.source }

    /// Whether a mapping has `<<` merge keys (so `pairs` must expand them).
    public var hasMergeKeys: Bool { record.flags & NodeRecord.mergeKeys != 0 }

    /// How many pairs a mapping has as written (merge keys not expanded; 0 for anything else).
    public var pairCount: Int {
        let r = record
        return r.kind == NodeRecord.mapping ? Int(r.b) : 0
    }

    /// A mapping's pair as written (merge keys not expanded), without making the list of them.
    public func pair(at i: Int) -> Pair? {
        let r = record
        guard r.kind == NodeRecord.mapping, i >= 0, i < Int(r.b) else { return nil }
        let slot = Int(r.a) + 2 * i
        return Pair(key: Node(store, store.table.slots[slot]), value: Node(store, store.table.slots[slot + 1]))
    }

    /// Whether the node is a scalar whose value is a string.
    public var isString: Bool {
        let r = record
        return r.kind == NodeRecord.scalar && r.value == NodeRecord.stringValue
    }

    /// A scalar's text as bytes, without a String (empty for a collection).
    public func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let r = record
        guard r.kind == NodeRecord.scalar else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return store.table.withText(r, body)
    }

    /// Where the node was written; a node reached through aliases keeps that place.
    public var parent: Node? {
        let p = record.parent
        return p < 0 ? nil : Node(store, p)
    }

    /// Path from the document root to where the node was written.
    public var path: YAMLPath {
        YAMLPath(pathComponents.reversed())
    }

    /// `path.description` without building the path's links (what every kept location stores).
    public var pathText: String {
        withPathText { String(decoding: $0, as: UTF8.self) }
    }

    /// The UTF-8 of `pathText`, for callers that store bytes.
    public func withPathText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        store.table.appendPath(of: id, to: &out)
        return out.withUnsafeBufferPointer(body)
    }

    /// From the node up to the root.
    private var pathComponents: [YAMLPath.Component] {
        var components: [YAMLPath.Component] = []
        var n = id
        var r = record
        while r.parent >= 0 {
            let parent = store.table.records[Int(r.parent)]
            let slot = store.table.slot(of: n, r, in: parent)
            if parent.kind == NodeRecord.sequence {
                components.append(.index(slot))
            } else {
                components.append(.key(store.table.keyString(store.table.slots[Int(parent.a) + slot & ~1])))
            }
            n = r.parent
            r = parent
        }
        return components
    }

    public var scalar: Scalar? {
        let r = record
        return r.kind == NodeRecord.scalar ? makeScalar(r) : nil
    }

    private func makeScalar(_ r: NodeRecord) -> Scalar {
        Scalar(text: store.table.text(r), style: ScalarStyle.all[Int(r.style)], value: store.table.value(id))
    }

    public var isScalar: Bool { record.kind == NodeRecord.scalar }

    /// `scalar?.style` without making the scalar's text and value.
    public var scalarStyle: ScalarStyle? {
        let r = record
        return r.kind == NodeRecord.scalar ? ScalarStyle.all[Int(r.style)] : nil
    }

    /// `scalar?.text` without resolving the value (a second String for a string scalar).
    public var scalarText: String? {
        let r = record
        return r.kind == NodeRecord.scalar ? store.table.text(r) : nil
    }

    /// Whether both are scalars with the same text, compared as bytes (no Strings made).
    public func hasSameText(as other: Node) -> Bool {
        let a = record, b = other.record
        guard a.kind == NodeRecord.scalar, b.kind == NodeRecord.scalar, a.b == b.b else { return false }
        return store.table.withText(a) { x in other.store.table.withText(b) { x.sameBytes(as: $0) } }
    }

    public var value: ScalarValue? { isScalar ? store.table.value(id) : nil }

    /// A string value, or the text of a plain scalar that Helm would read as another type.
    public var string: String? {
        let r = record
        guard r.kind == NodeRecord.scalar, r.value == NodeRecord.stringValue else { return nil }
        return store.table.text(r)
    }

    public var int: Int64? {
        switch value {
        case .int(let i)?: return i
        case .float(let d)? where d == d.rounded() && abs(d) < 1e15: return Int64(d)
        default: return nil
        }
    }

    public var bool: Bool? {
        let r = record
        guard r.kind == NodeRecord.scalar else { return nil }
        switch r.value {
        case NodeRecord.trueValue: return true
        case NodeRecord.falseValue: return false
        default: return nil
        }
    }

    public var isNull: Bool {
        let r = record
        return r.kind == NodeRecord.scalar && r.value == NodeRecord.nullValue
    }

    /// The mapping's pairs as written, merge keys included.
    var ownPairs: [Pair] {
        let r = record
        guard r.kind == NodeRecord.mapping else { return [] }
        var out: [Pair] = []
        out.reserveCapacity(Int(r.b))
        var slot = Int(r.a)
        for _ in 0..<Int(r.b) {
            out.append(Pair(key: Node(store, store.table.slots[slot]), value: Node(store, store.table.slots[slot + 1])))
            slot += 2
        }
        return out
    }

    /// Every mapping pair at or under this node whose key is one of `names`, with its mapping, in
    /// the order a depth-first walk meets them (merge keys expanded as `pairs` does). A node
    /// reached again through an alias is walked once. Runs over the table's ids: a large values
    /// file has hundreds of thousands of nodes.
    public func pairs(named names: [String]) -> [(pair: Pair, parent: Node)] {
        let table = store.table
        var out: [(pair: Pair, parent: Node)] = []
        var seen = Set<Int32>()
        var stack: [Int32] = [id]
        let wanted = names.map { Array($0.utf8) }
        // Shortest and longest name, and the names' first bytes: most keys are ruled out by
        // their length or first byte alone.
        let lengths = (wanted.map(\.count).min() ?? 0)...(wanted.map(\.count).max() ?? 0)
        var firsts = [Bool](repeating: false, count: 256)
        for name in wanted { if let b = name.first { firsts[Int(b)] = true } }
        while let n = stack.popLast() {
            let r = table.records[Int(n)]
            // Only an anchored node can be reached twice (through its aliases).
            if r.flags & NodeRecord.hasExtras != 0, table.extras[n]?.anchor != nil, !seen.insert(n).inserted { continue }
            if r.kind == NodeRecord.mapping {
                if r.flags & NodeRecord.mergeKeys != 0 {
                    let node = Node(store, n)
                    let pairs = node.pairs
                    for p in pairs where names.contains(where: p.key.isKey) { out.append((p, node)) }
                    for p in pairs.reversed() { stack.append(p.value.id) }
                    continue
                }
                let base = Int(r.a)
                for k in 0..<Int(r.b) {
                    let key = table.slots[base + 2 * k]
                    if table.isKey(key, anyOf: wanted, lengths: lengths, firsts: firsts) {
                        out.append((Pair(key: Node(store, key), value: Node(store, table.slots[base + 2 * k + 1])), Node(store, n)))
                    }
                }
                for k in stride(from: Int(r.b) - 1, through: 0, by: -1) { stack.append(table.slots[base + 2 * k + 1]) }
            } else if r.kind == NodeRecord.sequence {
                for k in stride(from: Int(r.b) - 1, through: 0, by: -1) { stack.append(table.slots[Int(r.a) + k]) }
            }
        }
        return out
    }

    /// Pairs of a mapping, with `<<` merge keys expanded the way go-yaml does (own keys win).
    public var pairs: [Pair] {
        let own = ownPairs
        guard hasMergeKeys else { return own }
        var result: [Pair] = []
        // Keys by their bytes, as go-yaml compares them (see `ExactString`).
        var seen = Set<ExactString>()
        for p in own where !p.key.isMergeKey {
            result.append(p)
            seen.insert(ExactString(p.key.keyString))
        }
        for p in own where p.key.isMergeKey {
            let sources = p.value.isSequence ? p.value.items : [p.value]
            for src in sources {
                for inherited in src.pairs where seen.insert(ExactString(inherited.key.keyString)).inserted {
                    result.append(inherited)
                }
            }
        }
        return result
    }

    public var items: [Node] {
        let r = record
        guard r.kind == NodeRecord.sequence else { return [] }
        return store.table.slots[Int(r.a)..<Int(r.a + r.b)].map { Node(store, $0) }
    }

    /// A sequence's item, without making the list of them.
    public func item(_ i: Int) -> Node? {
        let r = record
        guard r.kind == NodeRecord.sequence, i >= 0, i < Int(r.b) else { return nil }
        return Node(store, store.table.slots[Int(r.a) + i])
    }

    /// How many items a sequence has (0 for anything else), without making the list of them.
    public var itemCount: Int {
        let r = record
        return r.kind == NodeRecord.sequence ? Int(r.b) : 0
    }

    /// A collection's style, without building its children as `kind` does; nil for a scalar.
    public var collectionStyle: CollectionStyle? {
        let r = record
        return r.kind == NodeRecord.scalar ? nil : r.collectionStyle
    }

    public var isMapping: Bool { record.kind == NodeRecord.mapping }
    public var isSequence: Bool { record.kind == NodeRecord.sequence }

    var isMergeKey: Bool { store.table.isMergeKey(id) }

    /// The key as Helm sees it (`y` → `true`).
    public var keyString: String { store.table.keyString(id) }

    /// The key's bytes as Helm reads it (a string's own bytes, else its value as Helm prints
    /// it), without a String for the common string key.
    public func withKeyBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let r = record
        if r.kind == NodeRecord.scalar, r.value == NodeRecord.stringValue { return store.table.withText(r, body) }
        return keyString.withUTF8Bytes(body)
    }

    /// Whether this key node is `key` as Helm reads keys, without building the key's string for
    /// the common case of a plain string key (lookups run for every object of a stream).
    public func isKey(_ key: String) -> Bool { store.table.isKey(id, key) }

    /// The value for a key, matched as Helm matches keys. (The key's node is not made: most
    /// lookups want only the value, and each node made holds its store once more.)
    public subscript(key: String) -> Node? {
        handles(ofKey: key).map { Node(store, $0.value) }
    }

    public func pair(_ key: String) -> Pair? {
        handles(ofKey: key).map { Pair(key: Node(store, $0.key), value: Node(store, $0.value)) }
    }

    /// The key's and value's handles of the first pair whose key is `key` as Helm reads keys
    /// (merge keys expanded as `pairs` does; their nodes are of the same parse).
    private func handles(ofKey key: String) -> (key: Int32, value: Int32)? {
        let r = record
        guard r.kind == NodeRecord.mapping else { return nil }
        if r.flags & NodeRecord.mergeKeys == 0 {
            guard let slot = key.withUTF8Bytes({ store.table.slot(ofKey: $0, in: r) }) else { return nil }
            return (store.table.slots[slot], store.table.slots[slot + 1])
        }
        return pairs.first { $0.key.isKey(key) }.map { ($0.key.id, $0.value.id) }
    }

    /// The first of several spellings of a key that is present (`virtualKeys`, `virtual_keys`).
    public func pair(anyOf keys: [String]) -> Pair? {
        for k in keys { if let p = pair(k) { return p } }
        return nil
    }

    /// Follows a dotted path of mapping keys.
    public func lookup(_ keys: String...) -> Node? {
        var node: Node? = self
        for k in keys { node = node?[k] }
        return node
    }
}

/// One node's facts, packed: documents of hundreds of thousands of nodes stay a few times
/// the size of their text.
struct NodeRecord {
    static let scalar: UInt8 = 0, mapping: UInt8 = 1, sequence: UInt8 = 2
    static let nullValue: UInt8 = 0, falseValue: UInt8 = 1, trueValue: UInt8 = 2, intValue: UInt8 = 3, floatValue: UInt8 = 4, stringValue: UInt8 = 5
    static let mergeKeys: UInt8 = 1, hasExtras: UInt8 = 2, textInSource: UInt8 = 4
    /// libyaml moves its mark to a new line at the end of a text that does not end with a line
    /// break, so a node ending (or, empty, starting) there is on the line after the last one.
    static let startPastEnd: UInt8 = 8, endPastEnd: UInt8 = 16

    /// File offsets of the node's start and end; line and column are worked out from the line
    /// table when asked (a large values file has over half a million nodes, and 16 bytes a node
    /// of stored lines and columns was a fifth of its memory).
    var startOffset: Int32
    var endOffset: Int32
    var parent: Int32 = -1
    /// Scalar: text offset (in the source when `textInSource`, else in the store's texts) and
    /// length. Collection: first child slot and number of items (pairs for a mapping).
    var a: Int32 = 0
    var b: Int32 = 0
    /// kind (2 bits), style (3), value (3), flags (5) and the slot in the parent (19), packed
    /// into one word: a record is 24 bytes.
    private(set) var bits: UInt32 = Self.unknownSlot << 13

    /// Larger slots than 19 bits hold are found by scanning the parent's slots.
    private static let unknownSlot: UInt32 = 0x7FFFF

    var kind: UInt8 {
        get { UInt8(truncatingIfNeeded: bits & 0x3) }
        set { bits = bits & ~0x3 | UInt32(newValue) & 0x3 }
    }

    /// ScalarStyle index, or 0 block / 1 flow.
    var style: UInt8 {
        get { UInt8(truncatingIfNeeded: (bits >> 2) & 0x7) }
        set { bits = bits & ~(0x7 << 2) | (UInt32(newValue) & 0x7) << 2 }
    }

    var value: UInt8 {
        get { UInt8(truncatingIfNeeded: (bits >> 5) & 0x7) }
        set { bits = bits & ~(0x7 << 5) | (UInt32(newValue) & 0x7) << 5 }
    }

    var flags: UInt8 {
        get { UInt8(truncatingIfNeeded: (bits >> 8) & 0x1F) }
        set { bits = bits & ~(0x1F << 8) | (UInt32(newValue) & 0x1F) << 8 }
    }

    /// Where the node was written among its parent's slots (an item index; twice the pair index
    /// for a key, plus one for a value); nil when not known from the record.
    var slotInParent: Int? {
        get {
            let slot = bits >> 13
            return slot == Self.unknownSlot ? nil : Int(slot)
        }
        set {
            let slot = newValue.map { $0 >= 0 && $0 < Int(Self.unknownSlot) ? UInt32($0) : Self.unknownSlot } ?? Self.unknownSlot
            bits = bits & 0x1FFF | slot << 13
        }
    }

    init(start: Mark, end: Mark, kind: UInt8) {
        startOffset = Int32(clamping: start.offset)
        endOffset = Int32(clamping: end.offset)
        self.kind = kind
        if start.pastEnd { flags |= Self.startPastEnd }
        if end.pastEnd { flags |= Self.endPastEnd }
    }

    var start: Mark { Mark(offset: Int(startOffset), pastEnd: flags & Self.startPastEnd != 0) }
    var end: Mark { Mark(offset: Int(endOffset), pastEnd: flags & Self.endPastEnd != 0) }

    var collectionStyle: CollectionStyle { style == 1 ? .flow : .block }
}

/// The nodes of the documents of one parse, immutable once built (so reading them needs no
/// exclusivity checks).
final class NodeStore: @unchecked Sendable {
    let table: NodeTable

    init(_ table: NodeTable) {
        self.table = table
    }
}

/// The node table a parse fills.
struct NodeTable {
    let source: SourceFile
    var records: ContiguousArray<NodeRecord> = []
    /// Children of collections: item ids, or key and value ids in turn for a mapping.
    var slots: ContiguousArray<Int32> = []
    /// Scalar texts that differ from their source bytes (escapes, folding, block scalars).
    var texts: [UInt8] = []
    var extras: [Int32: (tag: String?, anchor: String?)] = [:]

    init(source: SourceFile) {
        self.source = source
    }

    /// A record's start or end as libyaml marked it, from the line table.
    func position(_ mark: Mark) -> Position {
        mark.pastEnd ? Position(offset: mark.offset, line: source.lastLine + 1, column: 1) : source.position(ofByte: mark.offset)
    }

    @inline(__always)
    func withText<R>(_ r: NodeRecord, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // Two branches rather than picking the array first: that would copy (retain) it each time.
        if r.flags & NodeRecord.textInSource != 0 {
            return source.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(r.a)..<Int(r.a + r.b)])) }
        }
        return texts.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(r.a)..<Int(r.a + r.b)])) }
    }

    func text(_ r: NodeRecord) -> String {
        withText(r) { String(decoding: $0, as: UTF8.self) }
    }

    func value(_ id: Int32) -> ScalarValue {
        let r = records[Int(id)]
        switch r.value {
        case NodeRecord.nullValue: return .null
        case NodeRecord.falseValue: return .bool(false)
        case NodeRecord.trueValue: return .bool(true)
        case NodeRecord.stringValue: return .string(text(r))
        default:
            // Numbers are resolved again rather than stored; the common plain decimal from its bytes.
            let tag = r.flags & NodeRecord.hasExtras != 0 ? extras[id]?.tag : nil
            if r.value == NodeRecord.intValue, r.style == ScalarStyle.plain.code, tag == nil,
               let n = withText(r, ScalarResolver.plainDecimal) { return .int(n) }
            return ScalarResolver.resolve(text: text(r), style: ScalarStyle.all[Int(r.style)], tag: tag)
        }
    }

    /// The key of the pair a mapping's child belongs to (the child is its key or its value).
    /// Where a node was written among its parent's slots: from its record, or, in a collection
    /// too long for the record to say, the first slot that holds it (an alias to it can only
    /// come later).
    func slot(of id: Int32, _ r: NodeRecord, in parent: NodeRecord) -> Int {
        if let slot = r.slotInParent { return slot }
        let first = Int(parent.a), count = parent.kind == NodeRecord.mapping ? 2 * Int(parent.b) : Int(parent.b)
        return slots.withUnsafeBufferPointer { s in
            (first..<first + count).first { s[$0] == id }.map { $0 - first } ?? 0
        }
    }

    /// The path of a node as `YAMLPath.description` writes it, from the table's bytes: a key that
    /// is a string of simple characters is copied as it stands, without a String of its own.
    func appendPath(of id: Int32, to out: inout [UInt8]) {
        let r = records[Int(id)]
        guard r.parent >= 0 else { return }
        appendPath(of: r.parent, to: &out)
        let parent = records[Int(r.parent)]
        let slot = self.slot(of: id, r, in: parent)
        if parent.kind == NodeRecord.sequence {
            YAMLPath.appendIndex(slot, to: &out)
            return
        }
        let key = slots[Int(parent.a) + slot & ~1]
        let k = records[Int(key)]
        if k.kind == NodeRecord.scalar, k.value == NodeRecord.stringValue, withText(k, { YAMLPath.appendSimpleKey($0, to: &out) }) { return }
        YAMLPath.appendKey(keyString(key), to: &out)
    }

    func keyString(_ id: Int32) -> String {
        let r = records[Int(id)]
        guard r.kind == NodeRecord.scalar else { return "" }
        return r.value == NodeRecord.stringValue ? text(r) : value(id).description
    }

    func isMergeKey(_ id: Int32) -> Bool {
        let r = records[Int(id)]
        guard r.kind == NodeRecord.scalar, r.style == 0, r.b == 2 else { return false }
        return withText(r) { $0[0] == 0x3C && $0[1] == 0x3C }
    }

    func isKey(_ id: Int32, _ key: String) -> Bool {
        key.withUTF8Bytes { isKey(id, utf8: $0) }
    }

    /// Whether a key is `key` (its UTF-8) as Helm reads keys: a string's bytes, any other
    /// scalar's value as Helm prints it.
    @inline(__always)
    func isKey(_ id: Int32, utf8 key: UnsafeBufferPointer<UInt8>) -> Bool {
        let r = records[Int(id)]
        guard r.kind == NodeRecord.scalar else { return false }
        guard r.value == NodeRecord.stringValue else { return value(id).description.utf8.elementsEqual(key) }
        return Int(r.b) == key.count && withText(r) { $0.sameBytes(as: key) }
    }

    /// Whether a key is one of several names, given as UTF-8 with the range of their lengths and
    /// which bytes start them.
    @inline(__always)
    func isKey(_ id: Int32, anyOf names: [[UInt8]], lengths: ClosedRange<Int>, firsts: [Bool]) -> Bool {
        let r = records[Int(id)]
        // A string key of another length, or starting with another byte, is none of them.
        if r.kind == NodeRecord.scalar, r.value == NodeRecord.stringValue,
           !lengths.contains(Int(r.b)) || !withText(r, { $0.first.map { firsts[Int($0)] } ?? true }) { return false }
        return names.contains { name in name.withUnsafeBufferPointer { isKey(id, utf8: $0) } }
    }

    /// The slot of the first key of a mapping (without merge keys) that is `key` as Helm reads
    /// keys; the key's bytes are taken once, not a String per key compared.
    func slot(ofKey key: UnsafeBufferPointer<UInt8>, in mapping: NodeRecord) -> Int? {
        // Every lookup by key of a run comes here: string keys are told apart by their length
        // and first byte before their bytes are compared.
        let length = Int32(truncatingIfNeeded: key.count), first = key.first ?? 0
        return records.withUnsafeBufferPointer { records in
            slots.withUnsafeBufferPointer { slots in
                var slot = Int(mapping.a)
                let end = slot + 2 * Int(mapping.b)
                while slot < end {
                    let id = slots[slot]
                    let r = records[Int(id)]
                    if r.kind == NodeRecord.scalar, r.value == NodeRecord.stringValue {
                        if r.b == length, withText(r, { length == 0 || ($0[0] == first && $0.sameBytes(as: key)) }) { return slot }
                    } else if isKey(id, utf8: key) {
                        return slot
                    }
                    slot += 2
                }
                return nil
            }
        }
    }

    /// Whether two scalar keys are the same key as Helm reads them.
    func sameKey(_ x: Int32, _ y: Int32) -> Bool {
        let rx = records[Int(x)], ry = records[Int(y)]
        if rx.value == NodeRecord.stringValue, ry.value == NodeRecord.stringValue {
            return rx.b == ry.b && withText(rx) { a in withText(ry) { b in a.sameBytes(as: b) } }
        }
        return keyString(x) == keyString(y)
    }

}
