import CYAML

/// Builds node trees from libyaml's event stream, keeping exact source ranges.
public enum YAMLParser {
    /// Which reader turns bytes into nodes.
    public enum Reader: Sendable {
        /// Plain JSON through `JSONReader`, the rest through libyaml (the same nodes either way).
        case automatic
        /// libyaml for everything: what the JSON reader is checked against.
        case libyaml
    }

    public static func parse(_ given: SourceFile, limits: ParseLimits = ParseLimits(), reader: Reader = .automatic) -> ParseResult {
        // UTF-16 (with its byte order mark) is read as the UTF-8 it stands for, so positions are
        // counted the one way the rest of the layer knows.
        let source = UTF16Text.utf8(given.bytes).map { SourceFile(name: given.name, bytes: $0, origin: given.origin, firstLine: given.firstLine, baseOffset: given.baseOffset) } ?? given
        var builder = TreeBuilder(source: source, limits: limits)
        source.bytes.withUnsafeBufferPointer { buffer in
            if reader == .automatic, source.isASCII, JSONReader.mayBeJSON(buffer) {
                if JSONReader.read(buffer, into: &builder, baseOffset: source.baseOffset) { return }
                builder = TreeBuilder(source: source, limits: limits)
            }
            builder.run(buffer)
        }
        let store = NodeStore(builder.table)
        let documents = builder.documents.map { Document(source: source, index: $0.index, root: $0.root < 0 ? nil : Node(store, $0.root)) }
        let duplicates = builder.duplicates.map { DuplicateKey(key: Node(store, $0.key), first: Node(store, $0.first)) }
        return ParseResult(source: source, documents: documents, duplicateKeys: duplicates, error: builder.error, nodes: store)
    }

    public static func parse(name: String, text: String) -> ParseResult {
        parse(SourceFile(name: name, text: text))
    }
}

/// Converts libyaml marks (character index) into byte offsets with a cursor; marks arrive almost
/// in order, so each conversion walks only a few characters.
struct MarkConverter {
    let bytes: UnsafeBufferPointer<UInt8>
    var charIndex = 0
    var byteOffset: Int
    /// File coordinates of the text's start (non-zero for one document of a split stream).
    let lineBase: Int
    let offsetBase: Int

    /// ASCII text: a character index is a byte offset.
    let ascii: Bool
    /// The file line after the text's last (where libyaml puts a mark at the end of a text
    /// without a final line break).
    let lineAfterLast: Int

    init(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1, baseOffset: Int = 0, ascii: Bool = false, lastLine: Int) {
        self.bytes = bytes
        self.ascii = ascii
        lineBase = firstLine
        offsetBase = baseOffset
        lineAfterLast = lastLine + 1
        // libyaml skips a UTF-8 byte order mark without counting it.
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        byteOffset = bom ? 3 : 0
    }

    /// What a node record keeps of a mark: its file offset, and whether libyaml put it on the
    /// line after the last.
    mutating func mark(_ mark: yaml_mark_t) -> Mark {
        let offset = self.offset(mark)
        return Mark(offset: offset, pastEnd: offset == bytes.count + offsetBase && Int(mark.line) + lineBase == lineAfterLast)
    }

    private mutating func offset(_ mark: yaml_mark_t) -> Int {
        let target = Int(mark.index)
        if ascii { return min(target, bytes.count) + offsetBase }
        while charIndex < target, byteOffset < bytes.count {
            byteOffset += UTF8Width.of(bytes[byteOffset])
            charIndex += 1
        }
        while charIndex > target, byteOffset > 0 {
            byteOffset -= 1
            while byteOffset > 0, bytes[byteOffset] & 0xC0 == 0x80 { byteOffset -= 1 }
            charIndex -= 1
        }
        return min(byteOffset, bytes.count) + offsetBase
    }

    /// The whole position libyaml marked (for errors, and the checks of derived positions).
    mutating func position(_ mark: yaml_mark_t) -> Position {
        Position(offset: offset(mark), line: Int(mark.line) + lineBase, column: Int(mark.column) + 1)
    }
}

/// A node's start or end as its record keeps it; line and column come from the line table.
struct Mark {
    let offset: Int
    /// libyaml's mark at the end of a text without a final line break, on the line after it.
    let pastEnd: Bool
}

struct TreeBuilder {
    let source: SourceFile
    let limits: ParseLimits
    var table: NodeTable
    /// Node ids until the table is complete and becomes the documents' store.
    var documents: [(index: Int, root: Int32)] = []
    var duplicates: [(key: Int32, first: Int32)] = []
    var error: SyntaxError?

    /// An open collection. Kept free of references (copying or dropping one retains and releases
    /// nothing): the rare parts live in `rare`.
    private struct Frame {
        var isMapping: Bool
        var flow: Bool
        var hasMergeKeys = false
        var start: Mark
        /// Where this collection's children start in `pending`.
        var base: Int
        /// Nodes under this collection with aliases expanded (saturating).
        var expanded = 1
        /// Index of this frame's entry in `rare`, or -1.
        var rare = -1
    }

    /// What few collections have: a tag or anchor, children that arrived through an alias (their
    /// place is where they were written), the keys of a mapping too big for a scan. A stack like
    /// the frames': only the innermost open collection ever gains an entry.
    private struct Rare {
        var tag: String?
        var anchor: String?
        /// By the keys' bytes, as Go compares strings (see `ExactString`).
        var seenKeys: [ExactString: Int32] = [:]
        /// Slot offsets from the frame's `base`.
        var aliased: Set<Int> = []
    }

    private var stack: [Frame] = []
    private var rare: [Rare] = []
    /// Children of the open collections, innermost last; a closed collection's move to the table.
    private var pending: [Int32] = []
    private var anchors: [String: (id: Int32, size: Int)] = [:]
    /// Duplicate keys of the document being read: handed out only once it is complete.
    private var pendingDuplicates: [(key: Int32, first: Int32)] = []
    private var root: Int32 = -1
    private var documentIndex = 0

    init(source: SourceFile, limits: ParseLimits) {
        self.source = source
        self.limits = limits
        table = NodeTable(source: source)
        // Values files run about 8 bytes of text a node. Reserved but untouched capacity of a
        // large array costs address space, not memory, while growing one copies it whole.
        table.records.reserveCapacity(source.bytes.count / 4 + 16)
        table.slots.reserveCapacity(source.bytes.count / 4 + 16)
        pending.reserveCapacity(64)
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            error = SyntaxError(message: "libyaml could not allocate a parser", position: Position(offset: 0, line: 1, column: 1), source: source)
            return
        }
        defer { yaml_parser_delete(&parser) }
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        var marks = MarkConverter(bytes: buffer, firstLine: source.firstLine, baseOffset: source.baseOffset, ascii: source.isASCII, lastLine: source.lastLine)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                error = syntaxError(parser, &marks)
                return
            }
            defer { yaml_event_delete(&event) }
            let type = event.type
            if type == YAML_STREAM_END_EVENT { return }
            if !handle(&event, &marks) { return }
        }
    }

    private func syntaxError(_ parser: yaml_parser_t, _ marks: inout MarkConverter) -> SyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        if parser.error == YAML_READER_ERROR {
            let offset = Int(parser.problem_offset) + source.baseOffset
            let hint = problem.contains("control characters") ? " (a binary file?)" : ""
            return SyntaxError(message: "not readable as YAML text: \(problem) at byte \(offset)\(hint)", position: source.position(ofByte: min(offset, source.endOffset)), source: source, kind: .encoding)
        }
        var message = problem
        let position = marks.position(parser.problem_mark)
        if problem.contains("cannot start any token"), position.offset >= source.baseOffset, position.offset < source.endOffset, source.byte(at: position.offset) == 0x09 {
            message += " (a tab: YAML indentation must be spaces)"
        }
        if let context = parser.context.map({ String(cString: $0) }) {
            let cm = parser.context_mark
            message += " (\(context) at line \(Int(cm.line) + source.firstLine), column \(cm.column + 1))"
        }
        return SyntaxError(message: message, position: position, source: source)
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    /// Returns false to stop parsing.
    private mutating func handle(_ event: inout yaml_event_t, _ marks: inout MarkConverter) -> Bool {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            return startDocument(at: marks.mark(event.start_mark))
        case YAML_DOCUMENT_END_EVENT:
            endDocument()
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let text = UnsafeBufferPointer(start: data.value, count: data.value == nil ? 0 : Int(data.length))
            verifyDerivable(event.start_mark, &marks)
            verifyDerivable(event.end_mark, &marks)
            // Nearly every node has neither tag nor anchor: no optional Strings made and dropped.
            if data.tag == nil, data.anchor == nil {
                return scalar(text, style: style, start: marks.mark(event.start_mark), end: marks.mark(event.end_mark))
            }
            return scalar(text, style: style, tag: Self.string(data.tag), anchor: Self.string(data.anchor), start: marks.mark(event.start_mark), end: marks.mark(event.end_mark))
        case YAML_SEQUENCE_START_EVENT:
            let d = event.data.sequence_start
            verifyDerivable(event.start_mark, &marks)
            if d.tag == nil, d.anchor == nil {
                return open(mapping: false, flow: d.style == YAML_FLOW_SEQUENCE_STYLE, start: marks.mark(event.start_mark))
            }
            return open(mapping: false, flow: d.style == YAML_FLOW_SEQUENCE_STYLE, tag: Self.string(d.tag), anchor: Self.string(d.anchor), start: marks.mark(event.start_mark))
        case YAML_MAPPING_START_EVENT:
            let d = event.data.mapping_start
            verifyDerivable(event.start_mark, &marks)
            if d.tag == nil, d.anchor == nil {
                return open(mapping: true, flow: d.style == YAML_FLOW_MAPPING_STYLE, start: marks.mark(event.start_mark))
            }
            return open(mapping: true, flow: d.style == YAML_FLOW_MAPPING_STYLE, tag: Self.string(d.tag), anchor: Self.string(d.anchor), start: marks.mark(event.start_mark))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            verifyDerivable(event.end_mark, &marks)
            return close(end: marks.mark(event.end_mark))
        case YAML_ALIAS_EVENT:
            let start = marks.position(event.start_mark)
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                error = SyntaxError(message: "unknown anchor '\(name)' referenced", position: start, source: source)
                return false
            }
            return add(target.id, isAlias: true, expanded: target.size, at: start)
        default:
            break
        }
        return true
    }

    // The steps below are what one event does; libyaml's events and the JSON reader drive them.

    mutating func startDocument(at start: Mark) -> Bool {
        anchors = [:]
        root = -1
        guard documents.count < limits.maxDocuments else {
            error = SyntaxError(message: "more than \(limits.maxDocuments) documents; the rest is not read", position: table.position(start), source: source, kind: .limit)
            return false
        }
        return true
    }

    mutating func endDocument() {
        documents.append((documentIndex, root))
        duplicates += pendingDuplicates
        pendingDuplicates = []
        documentIndex += 1
    }

    mutating func scalar(_ text: UnsafeBufferPointer<UInt8>, style: ScalarStyle, tag: String? = nil, anchor: String? = nil, start: Mark, end: Mark) -> Bool {
        let length = text.count
        guard withinScalarLimit(length, at: start) else { return false }
        var record = NodeRecord(start: start, end: end, kind: NodeRecord.scalar)
        record.style = style.code
        record.value = Self.valueKind(text, style: style, tag: tag)
        record.b = Int32(length)
        // A scalar written on one line without escapes is its source bytes (inside the quotes, if
        // quoted): kept as a reference to them.
        let quoted = style == .singleQuoted || style == .doubleQuoted
        let local = start.offset - source.baseOffset + (quoted ? 1 : 0)
        if style == .plain || quoted, local >= 0, local + length <= source.bytes.count,
           source.bytes.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[local..<local + length]).sameBytes(as: text) }) {
            record.a = Int32(local)
            record.flags |= NodeRecord.textInSource
        } else {
            record.a = Int32(clamping: table.texts.count)
            table.texts.append(contentsOf: text)
        }
        let id = newNode(record, tag: tag, anchor: anchor)
        return add(id, expanded: 1, anchor: anchor)
    }

    /// Whether a scalar of `length` bytes may be read; else the limit's error, at `start`.
    private mutating func withinScalarLimit(_ length: Int, at start: Mark) -> Bool {
        guard length > limits.maxScalarBytes else { return true }
        error = SyntaxError(message: "a scalar of \(length) bytes is longer than the limit of \(limits.maxScalarBytes); not read", position: table.position(start), source: source, kind: .limit)
        return false
    }

    /// A JSON string without escapes between `start` and `end` (its quotes): its text is the
    /// source bytes between them, a string (what `scalar` would find, without comparing).
    mutating func quotedText(start: Mark, end: Mark) -> Bool {
        let length = end.offset - start.offset - 2
        guard withinScalarLimit(length, at: start) else { return false }
        var record = NodeRecord(start: start, end: end, kind: NodeRecord.scalar)
        record.style = ScalarStyle.doubleQuoted.code
        record.value = NodeRecord.stringValue
        record.b = Int32(length)
        record.a = Int32(start.offset - source.baseOffset + 1)
        record.flags |= NodeRecord.textInSource
        let id = newNode(record, tag: nil, anchor: nil)
        return add(id, expanded: 1)
    }

    mutating func open(mapping isMapping: Bool, flow: Bool, tag: String? = nil, anchor: String? = nil, start: Mark) -> Bool {
        guard stack.count < limits.maxDepth else {
            error = SyntaxError(message: "nesting deeper than \(limits.maxDepth) levels; not read", position: table.position(start), source: source, kind: .limit)
            return false
        }
        var frame = Frame(isMapping: isMapping, flow: flow, start: start, base: pending.count)
        if tag != nil || anchor != nil {
            frame.rare = rare.count
            rare.append(Rare(tag: tag, anchor: anchor))
        }
        stack.append(frame)
        return true
    }

    /// The innermost open collection's rare entry, made when first needed.
    private mutating func rareOfTop(_ top: Int) -> Int {
        if stack[top].rare < 0 {
            stack[top].rare = rare.count
            rare.append(Rare())
        }
        return stack[top].rare
    }

    mutating func close(end: Mark) -> Bool {
        guard let frame = stack.popLast() else { return true }
        var record = NodeRecord(start: frame.start, end: end, kind: frame.isMapping ? NodeRecord.mapping : NodeRecord.sequence)
        record.style = frame.flow ? 1 : 0
        record.a = Int32(clamping: table.slots.count)
        let children = pending.count - frame.base
        record.b = Int32(frame.isMapping ? children / 2 : children)
        if frame.hasMergeKeys { record.flags |= NodeRecord.mergeKeys }
        // Nearly every collection has no rare entry: it takes a path without one (an absent
        // entry still released each of its fields).
        guard frame.rare >= 0 else {
            let id = newNode(record, tag: nil, anchor: nil)
            adopt(children, from: frame.base, by: id, except: nil)
            return add(id, expanded: frame.expanded)
        }
        let extra = rare.removeLast()
        let id = newNode(record, tag: extra.tag, anchor: extra.anchor)
        adopt(children, from: frame.base, by: id, except: extra.aliased.isEmpty ? nil : extra.aliased)
        return add(id, expanded: frame.expanded, anchor: extra.anchor)
    }

    /// Children learn their parent once it exists (the tree is built bottom-up), and move from
    /// `pending` to the table's slots. Those that arrived through an alias keep the place they
    /// were written.
    private mutating func adopt(_ children: Int, from base: Int, by id: Int32, except aliased: Set<Int>?) {
        pending.withUnsafeBufferPointer { pending in
            table.records.withUnsafeMutableBufferPointer { records in
                for i in 0..<children where aliased?.contains(i) != true {
                    let child = Int(pending[base + i])
                    records[child].parent = id
                    records[child].slotInParent = i
                }
            }
            table.slots.append(contentsOf: UnsafeBufferPointer(rebasing: pending[base...]))
        }
        pending.removeLast(children)
    }

    /// Records keep offsets only. Test and fuzz builds check at every node's mark that the line
    /// table gives back the line and column libyaml marked.
    @inline(__always)
    private func verifyDerivable(_ mark: yaml_mark_t, _ marks: inout MarkConverter) {
        #if DEBUG || VERIFY_POSITIONS
        let derived = table.position(marks.mark(mark)), marked = marks.position(mark)
        precondition(derived == marked, "\(source.name): \(derived) from the line table, \(marked) from libyaml")
        #endif
    }

    private mutating func newNode(_ record: NodeRecord, tag: String?, anchor: String?) -> Int32 {
        let id = Int32(clamping: table.records.count)
        var record = record
        if tag != nil || anchor != nil {
            record.flags |= NodeRecord.hasExtras
            table.extras[id] = (tag, anchor)
        }
        table.records.append(record)
        return id
    }

    /// The value a scalar resolves to, working from its bytes: most scalars are plain words
    /// that cannot be anything but a string, and need no String built to tell.
    private static func valueKind(_ text: UnsafeBufferPointer<UInt8>, style: ScalarStyle, tag: String?) -> UInt8 {
        if tag == nil || tag == "!" {
            guard style == .plain else { return NodeRecord.stringValue }
            guard let first = text.first else { return NodeRecord.nullValue }
            if ScalarResolver.isString(first: first, count: text.count) { return NodeRecord.stringValue }
            if tag == nil, ScalarResolver.plainDecimal(text) != nil { return NodeRecord.intValue }
            if text.count <= 5, let word = ScalarResolver.word(text) { return kind(of: word) }
            if !ScalarResolver.startsLikeNumber(first) || ScalarResolver.cannotBeNumber(text) { return NodeRecord.stringValue }
        }
        return kind(of: ScalarResolver.resolve(text: String(decoding: text, as: UTF8.self), style: style, tag: tag))
    }

    private static func kind(of value: ScalarValue) -> UInt8 {
        switch value {
        case .null: return NodeRecord.nullValue
        case .bool(let b): return b ? NodeRecord.trueValue : NodeRecord.falseValue
        case .int: return NodeRecord.intValue
        case .float: return NodeRecord.floatValue
        case .string: return NodeRecord.stringValue
        }
    }

    private mutating func add(_ id: Int32, isAlias: Bool = false, expanded: Int, anchor: String? = nil, at position: Position? = nil) -> Bool {
        if !isAlias, let anchor {
            anchors[anchor] = (id, expanded)
        }
        guard !stack.isEmpty else {
            root = id
            return true
        }
        let top = stack.count - 1
        let (sum, overflow) = stack[top].expanded.addingReportingOverflow(expanded)
        stack[top].expanded = overflow ? Int.max : sum
        if stack[top].expanded > limits.maxExpandedNodes {
            error = SyntaxError(message: "aliases expand this document past \(limits.maxExpandedNodes) nodes (a billion-laughs pattern?); not read",
                                position: position ?? table.position(table.records[Int(id)].start), source: source, kind: .limit)
            return false
        }
        let offset = pending.count - stack[top].base
        if isAlias { rare[rareOfTop(top)].aliased.insert(offset) }
        if stack[top].isMapping, offset % 2 == 0, table.records[Int(id)].kind == NodeRecord.scalar {
            if table.isMergeKey(id) {
                stack[top].hasMergeKeys = true
            } else {
                checkDuplicate(id, in: top)
            }
        }
        pending.append(id)
        return true
    }

    /// Reports a key written twice in the mapping being read.
    private mutating func checkDuplicate(_ key: Int32, in top: Int) {
        let base = stack[top].base
        let keys = (pending.count - base) / 2
        // Most mappings are small: a scan beats hashing every key.
        if keys < 16 {
            // Two string keys of different lengths differ: most pairs are told apart there.
            let found: Int32? = table.records.withUnsafeBufferPointer { records in
                pending.withUnsafeBufferPointer { pending in
                    let r = records[Int(key)]
                    let isString = r.value == NodeRecord.stringValue
                    var slot = base
                    while slot < pending.count {
                        let other = pending[slot]
                        let o = records[Int(other)]
                        if o.kind == NodeRecord.scalar, !(isString && o.value == NodeRecord.stringValue && o.b != r.b),
                           !table.isMergeKey(other), table.sameKey(other, key) {
                            return other
                        }
                        slot += 2
                    }
                    return nil
                }
            }
            if let found { pendingDuplicates.append((key, found)) }
            return
        }
        let r = rareOfTop(top)
        if rare[r].seenKeys.isEmpty {
            var slot = base
            while slot < pending.count {
                let other = pending[slot]
                if table.records[Int(other)].kind == NodeRecord.scalar, !table.isMergeKey(other) {
                    let k = ExactString(table.keyString(other))
                    if rare[r].seenKeys[k] == nil { rare[r].seenKeys[k] = other }
                }
                slot += 2
            }
        }
        let k = ExactString(table.keyString(key))
        if let first = rare[r].seenKeys[k] {
            pendingDuplicates.append((key, first))
        } else {
            rare[r].seenKeys[k] = key
        }
    }
}

/// UTF-16 input with a byte order mark.
public enum UTF16Text {
    /// Whether the bytes start with a UTF-16 byte order mark.
    public static func isUTF16(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// The UTF-8 of a UTF-16 text (byte order mark dropped), or nil when it is not UTF-16.
    public static func utf8(_ bytes: [UInt8]) -> [UInt8]? {
        guard isUTF16(bytes) else { return nil }
        let little = bytes[0] == 0xFF
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
