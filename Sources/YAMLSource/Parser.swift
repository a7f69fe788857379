import CYAML

/// Builds node trees from libyaml's event stream, keeping exact source ranges.
public enum YAMLParser {
    public static func parse(_ given: SourceFile, limits: ParseLimits = ParseLimits()) -> ParseResult {
        // UTF-16 (with its byte order mark) is read as the UTF-8 it stands for, so positions are
        // counted the one way the rest of the layer knows.
        let source = UTF16Text.utf8(given.bytes).map { SourceFile(name: given.name, bytes: $0, origin: given.origin, firstLine: given.firstLine, baseOffset: given.baseOffset) } ?? given
        var builder = TreeBuilder(source: source, limits: limits)
        source.bytes.withUnsafeBufferPointer { buffer in
            builder.run(buffer)
        }
        return ParseResult(source: source, documents: builder.documents, duplicateKeys: builder.duplicates, error: builder.error)
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

    init(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1, baseOffset: Int = 0, ascii: Bool = false) {
        self.bytes = bytes
        self.ascii = ascii
        lineBase = firstLine
        offsetBase = baseOffset
        // libyaml skips a UTF-8 byte order mark without counting it.
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        byteOffset = bom ? 3 : 0
    }

    mutating func position(_ mark: yaml_mark_t) -> Position {
        let target = Int(mark.index)
        if ascii {
            return Position(offset: min(target, bytes.count) + offsetBase, line: Int(mark.line) + lineBase, column: Int(mark.column) + 1)
        }
        while charIndex < target, byteOffset < bytes.count {
            byteOffset += UTF8Width.of(bytes[byteOffset])
            charIndex += 1
        }
        while charIndex > target, byteOffset > 0 {
            byteOffset -= 1
            while byteOffset > 0, bytes[byteOffset] & 0xC0 == 0x80 { byteOffset -= 1 }
            charIndex -= 1
        }
        return Position(offset: min(byteOffset, bytes.count) + offsetBase, line: Int(mark.line) + lineBase, column: Int(mark.column) + 1)
    }
}

struct TreeBuilder {
    let source: SourceFile
    let limits: ParseLimits
    var documents: [Document] = []
    var duplicates: [DuplicateKey] = []
    var error: SyntaxError?

    private struct Frame {
        var isMapping: Bool
        var start: Position
        var tag: String?
        var anchor: String?
        var style: CollectionStyle
        var children: [Node] = []
        var pairs: [Pair] = []
        var pendingKey: Node?
        var pendingKeyIsAlias = false
        var seenKeys: [String: Node] = [:]
        /// Children that arrived through an alias: their place is where they were written.
        var aliased: Set<Int> = []
        /// Nodes under this collection with aliases expanded (saturating).
        var expanded = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: Node] = [:]
    private var anchorSizes: [String: Int] = [:]
    /// Duplicate keys of the document being read: handed out only once it is complete, since a
    /// node of an unfinished document does not outlive the parse.
    private var pendingDuplicates: [DuplicateKey] = []
    private var rootExpanded = 0
    private var root: Node?
    private var documentIndex = 0

    init(source: SourceFile, limits: ParseLimits) {
        self.source = source
        self.limits = limits
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
        var marks = MarkConverter(bytes: buffer, firstLine: source.firstLine, baseOffset: source.baseOffset, ascii: source.isASCII)
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
        let start = marks.position(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
            anchorSizes = [:]
            root = nil
            rootExpanded = 0
            guard documents.count < limits.maxDocuments else {
                error = SyntaxError(message: "more than \(limits.maxDocuments) documents; the rest is not read", position: start, source: source, kind: .limit)
                return false
            }
        case YAML_DOCUMENT_END_EVENT:
            documents.append(Document(source: source, index: documentIndex, root: root))
            duplicates += pendingDuplicates
            pendingDuplicates = []
            documentIndex += 1
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            guard Int(data.length) <= limits.maxScalarBytes else {
                error = SyntaxError(message: "a scalar of \(data.length) bytes is longer than the limit of \(limits.maxScalarBytes); not read", position: start, source: source, kind: .limit)
                return false
            }
            let text: String
            if let value = data.value {
                text = String(decoding: UnsafeBufferPointer(start: value, count: Int(data.length)), as: UTF8.self)
            } else {
                text = ""
            }
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = Self.string(data.tag)
            let scalar = Scalar(text: text, style: style, value: ScalarResolver.resolve(text: text, style: style, tag: tag))
            let end = marks.position(event.end_mark)
            let node = Node(kind: .scalar(scalar), range: SourceRange(start: start, end: end), tag: tag, anchor: Self.string(data.anchor), source: source)
            return add(node, expanded: 1)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < limits.maxDepth else {
                error = SyntaxError(message: "nesting deeper than \(limits.maxDepth) levels; not read", position: start, source: source, kind: .limit)
                return false
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag: String?, anchor: String?, flow: Bool
            if isMapping {
                let d = event.data.mapping_start
                tag = Self.string(d.tag); anchor = Self.string(d.anchor); flow = d.style == YAML_FLOW_MAPPING_STYLE
            } else {
                let d = event.data.sequence_start
                tag = Self.string(d.tag); anchor = Self.string(d.anchor); flow = d.style == YAML_FLOW_SEQUENCE_STYLE
            }
            var frame = Frame(isMapping: isMapping, start: start, tag: tag, anchor: anchor, style: flow ? .flow : .block)
            // Most collections are small: one allocation up front instead of growing 1, 2, 4, 8.
            if isMapping { frame.pairs.reserveCapacity(6) } else { frame.children.reserveCapacity(4) }
            stack.append(frame)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let size = frame.expanded
            let end = marks.position(event.end_mark)
            let kind: Node.Kind = frame.isMapping ? .mapping(frame.pairs, frame.style) : .sequence(frame.children, frame.style)
            let node = Node(kind: kind, range: SourceRange(start: frame.start, end: end), tag: frame.tag, anchor: frame.anchor, source: source)
            // Children learn their parent once it exists (the tree is built bottom-up).
            switch kind {
            case .mapping(let pairs, _):
                for (i, p) in pairs.enumerated() {
                    if !frame.aliased.contains(-1 - i) { p.key.parent = node; p.key.indexInParent = Int32(-1 - i) }
                    if !frame.aliased.contains(i) { p.value.parent = node; p.value.indexInParent = Int32(i) }
                }
            case .sequence(let items, _):
                for (i, item) in items.enumerated() where !frame.aliased.contains(i) {
                    item.parent = node
                    item.indexInParent = Int32(i)
                }
            case .scalar:
                break
            }
            return add(node, expanded: size)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                error = SyntaxError(message: "unknown anchor '\(name)' referenced", position: start, source: source)
                return false
            }
            return add(target, isAlias: true, expanded: anchorSizes[name] ?? 1, at: start)
        default:
            break
        }
        return true
    }

    private mutating func add(_ node: Node, isAlias: Bool = false, expanded: Int, at position: Position? = nil) -> Bool {
        if !isAlias, let anchor = node.anchor {
            anchors[anchor] = node
            anchorSizes[anchor] = expanded
        }
        guard !stack.isEmpty else {
            root = node
            rootExpanded = expanded
            return true
        }
        let top = stack.count - 1
        let (sum, overflow) = stack[top].expanded.addingReportingOverflow(expanded)
        stack[top].expanded = overflow ? Int.max : sum
        if stack[top].expanded > limits.maxExpandedNodes {
            error = SyntaxError(message: "aliases expand this document past \(limits.maxExpandedNodes) nodes (a billion-laughs pattern?); not read",
                                position: position ?? node.range.start, source: source, kind: .limit)
            return false
        }
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                let index = stack[top].pairs.count
                if isAlias { stack[top].aliased.insert(index) }
                if stack[top].pendingKeyIsAlias { stack[top].aliased.insert(-1 - index) }
                stack[top].pairs.append(Pair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKeyIsAlias = isAlias
                if node.scalar != nil, !node.isMergeKey {
                    let k = node.keyString
                    // Most mappings are small: a scan beats hashing every key.
                    if stack[top].pairs.count < 16 {
                        if let first = stack[top].pairs.first(where: { $0.key.scalar != nil && !$0.key.isMergeKey && $0.key.keyString == k }) {
                            pendingDuplicates.append(DuplicateKey(key: node, first: first.key))
                        }
                    } else {
                        if stack[top].seenKeys.isEmpty {
                            for p in stack[top].pairs where p.key.scalar != nil && !p.key.isMergeKey && stack[top].seenKeys[p.key.keyString] == nil {
                                stack[top].seenKeys[p.key.keyString] = p.key
                            }
                        }
                        if let first = stack[top].seenKeys[k] {
                            pendingDuplicates.append(DuplicateKey(key: node, first: first))
                        } else {
                            stack[top].seenKeys[k] = node
                        }
                    }
                }
                stack[top].pendingKey = node
            }
        } else {
            if isAlias { stack[top].aliased.insert(stack[top].children.count) }
            stack[top].children.append(node)
        }
        return true
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
