import YAMLSource

/// A value a fix adds, written in the style of the place it goes: block YAML, flow YAML or JSON.
indirect enum Snippet {
    /// A scalar or flow collection, valid as YAML and JSON alike (`["*"]`, `true`, `"id"`).
    case text(String)
    case mapping([(key: String, value: Snippet)])
    case sequence([Snippet])

    func flow(json: Bool) -> String {
        switch self {
        case .text(let s): return s
        case .mapping(let pairs): return "{" + pairs.map { Self.key($0.key, json: json) + ": " + $0.value.flow(json: json) }.joined(separator: ", ") + "}"
        case .sequence(let items): return "[" + items.map { $0.flow(json: json) }.joined(separator: ", ") + "]"
        }
    }

    static func key(_ k: String, json: Bool) -> String { json ? "\"\(k)\"" : k }

    /// Flow text laid out one entry a line, as pretty-printed JSON is: nested lines start at
    /// `indent` plus `step`.
    func pretty(json: Bool, indent: String, step: String, _ br: String) -> String {
        let inner = indent + step
        switch self {
        case .text(let s):
            return s
        case .mapping(let pairs) where !pairs.isEmpty:
            return "{" + pairs.map { br + inner + Self.key($0.key, json: json) + ": " + $0.value.pretty(json: json, indent: inner, step: step, br) }.joined(separator: ",") + br + indent + "}"
        case .sequence(let items) where !items.isEmpty:
            return "[" + items.map { br + inner + $0.pretty(json: json, indent: inner, step: step, br) }.joined(separator: ",") + br + indent + "]"
        default:
            return flow(json: json)
        }
    }

    /// `key: value` for a block mapping whose keys sit at `indent`; nested collections go in block
    /// style below it (a list indented under its key, as the chart's values.yaml writes them).
    static func blockPair(_ key: String, _ value: Snippet, indent: String, _ br: String) -> String {
        switch value {
        case .text(let s):
            return "\(key): \(s)"
        case .mapping(let pairs):
            return "\(key):" + pairs.map { br + indent + "  " + blockPair($0.key, $0.value, indent: indent + "  ", br) }.joined()
        case .sequence(let items):
            return "\(key):" + items.map { br + indent + "  - " + $0.blockItem(indent: indent + "    ", br) }.joined()
        }
    }

    /// A sequence item's text after its `- `; later lines of a mapping start at `indent`.
    func blockItem(indent: String, _ br: String) -> String {
        switch self {
        case .mapping(let pairs) where !pairs.isEmpty:
            return pairs.map { Self.blockPair($0.key, $0.value, indent: indent, br) }.joined(separator: br + indent)
        default:
            return flow(json: false)
        }
    }
}

extension EditBuilder {
    /// Replaces a range of `inner`; line breaks in the new text get the carrier's indentation
    /// when `inner` is embedded in a literal block.
    func replaceLines(_ inner: SourceFile, _ range: Range<Int>, _ text: String) -> TextEdit? {
        var text = text
        var source = inner
        while let origin = source.origin {
            // A block scalar's text has LF breaks whatever the file uses; the file's own go back.
            // (An empty text, a fix only checked, has none.)
            if !text.isEmpty, case .block(_, let indent) = origin.layout {
                text = Self.replacing(source.lineBreak, in: text, with: origin.outer.lineBreak + String.spaces(indent)).0
            }
            source = origin.outer
        }
        return replace(inner, range, with: text)
    }

    /// The comment that ends the line where `offset` is, when only blanks stand between.
    static func trailingComment(_ src: SourceFile, after offset: Int, line: Int) -> String? {
        let end = src.lineEnd(line)
        guard offset <= end else { return nil }
        let rest = src.slice(offset..<end).drop(while: { $0 == 0x20 || $0 == 0x09 })
        return rest.first == 0x23 ? String(decoding: rest, as: UTF8.self) : nil
    }

    func insertLines(_ inner: SourceFile, at offset: Int, _ text: String) -> TextEdit? {
        replaceLines(inner, offset..<offset, text)
    }

    /// Whether new keys next to `node` are written JSON-style (double-quoted): the nearest mapping
    /// that has keys decides.
    static func writesJSON(_ node: Node) -> Bool {
        var current: Node? = node
        while let n = current {
            if case .mapping(let pairs, _) = n.kind, let first = pairs.first {
                return first.key.scalar?.style == .doubleQuoted
            }
            current = n.parent
        }
        return node.source.name.hasSuffix(".json")
    }

    /// Where a new last line of a block collection goes, and the text to put first when the
    /// file ends without a line break.
    private static func lineAfter(_ collection: Node) -> (offset: Int, lead: String) {
        let src = collection.source
        let last = lastContentLine(collection)
        if last < src.lastLine { return (src.lineStart(last + 1), "") }
        let endsWithBreak = src.bytes.last == 0x0A || src.bytes.last == 0x0D
        return (src.endOffset, endsWithBreak ? "" : src.lineBreak)
    }

    /// Adds pairs at the end of a mapping, in its style.
    /// `render: false` decides only whether the insertion can be made (same checks, same range,
    /// no text): a finding whose message says whether it is fixable, in a run that prints no fix.
    static func insertPairs(_ entries: [(key: String, value: Snippet)], into mapping: Node, render: Bool = true) -> TextEdit? {
        // The first and last pairs are all it asks: no list of every pair is made.
        guard mapping.isMapping, let style = mapping.collectionStyle, let b = EditBuilder(mapping), !entries.isEmpty else { return nil }
        let src = mapping.source, br = src.lineBreak
        let count = mapping.pairCount
        if style == .block {
            guard let first = mapping.pair(at: 0) else { return nil }
            let column = first.key.startOffset - src.lineStart(first.key.start.line)
            let indent = String.spaces(column)
            let (offset, lead) = lineAfter(mapping)
            guard render else { return b.insertLines(src, at: offset, "") }
            let text = entries.map { indent + Snippet.blockPair($0.key, $0.value, indent: indent, br) + br }.joined()
            return b.insertLines(src, at: offset, lead + text)
        }
        let last = mapping.pair(at: count - 1)
        return b.insertFlow(into: mapping, after: last?.value, firstOfLast: last?.key, close: 0x7D, render: render) { layout in
            // Only a rendered insertion asks how keys are written (a walk up the tree).
            let json = writesJSON(mapping)
            return entries.map { Snippet.key($0.key, json: json) + ": " + $0.value.written(json: json, layout, br) }
        }
    }

    /// Adds an item at the end of a sequence, in its style.
    static func appendItem(_ item: Snippet, to sequence: Node, render: Bool = true) -> TextEdit? {
        guard case .sequence(let items, let style) = sequence.kind, let b = EditBuilder(sequence) else { return nil }
        let src = sequence.source, br = src.lineBreak
        if style == .block {
            guard let first = items.first else { return nil }
            // The dash of the first item gives the column of every `- `.
            let lineStart = src.lineStart(first.start.line)
            let before = src.slice(lineStart..<first.startOffset)
            guard let dash = before.lastIndex(of: 0x2D) else { return nil }
            let column = dash - before.startIndex
            let indent = String.spaces(column)
            let (offset, lead) = lineAfter(sequence)
            guard render else { return b.insertLines(src, at: offset, "").map(\.asAppend) }
            return b.insertLines(src, at: offset, lead + indent + "- " + item.blockItem(indent: indent + "  ", br) + br).map(\.asAppend)
        }
        let edit = b.insertFlow(into: sequence, after: items.last, firstOfLast: items.last, close: 0x5D, render: render) { [item.written(json: writesJSON(sequence), $0, br)] }
        // Into `[]` the first item has no separator, so a second one must wait for the next pass.
        return items.isEmpty ? edit : edit.map(\.asAppend)
    }

    /// Several items into an empty flow sequence (`[]`), in one edit: each item appended on its
    /// own would come without a separator.
    static func fillEmptyFlow(_ items: [Snippet], into sequence: Node, render: Bool = true) -> TextEdit? {
        guard sequence.isSequence, sequence.itemCount == 0, sequence.collectionStyle == .flow, let b = EditBuilder(sequence) else { return nil }
        let br = sequence.source.lineBreak
        return b.insertFlow(into: sequence, after: nil, firstOfLast: nil, close: 0x5D, render: render) { layout in
            let json = writesJSON(sequence)
            return items.map { $0.written(json: json, layout, br) }
        }
    }

    /// Entries before a flow collection's closing bracket: after its last element, on a line of
    /// their own when that element stood on one (pretty-printed JSON), laid out the same way.
    private func insertFlow(into collection: Node, after last: Node?, firstOfLast: Node?, close: UInt8, render wanted: Bool,
                            _ render: (_ layout: (indent: String, step: String)?) -> [String]) -> TextEdit? {
        let src = collection.source
        let end = collection.endOffset
        guard end > collection.startOffset, src.byte(at: end - 1) == close else { return nil }
        guard let last, let firstOfLast else {
            return insertLines(src, at: end - 1, wanted ? render(nil).joined(separator: ", ") : "")
        }
        // After an alias the place to write is the alias token, whose position the node (the
        // anchored one) does not have.
        guard last.isWritten(in: collection), firstOfLast.isWritten(in: collection) else { return nil }
        guard wanted else { return insertLines(src, at: last.endOffset, "") }
        let line = firstOfLast.start.line
        let lead = src.slice(src.lineStart(line)..<firstOfLast.startOffset)
        if line > collection.start.line, lead.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            let indent = String(decoding: lead, as: UTF8.self)
            let step = String.spaces(max(1, lead.count - src.indentation(ofLine: collection.start.line)))
            return insertLines(src, at: last.endOffset, render((indent, step)).map { "," + src.lineBreak + indent + $0 }.joined())
        }
        return insertLines(src, at: last.endOffset, render(nil).map { ", " + $0 }.joined())
    }
}

extension Snippet {
    /// Flow text, pretty-printed when the place it goes is.
    func written(json: Bool, _ layout: (indent: String, step: String)?, _ br: String) -> String {
        guard let layout else { return flow(json: json) }
        return pretty(json: json, indent: layout.indent, step: layout.step, br)
    }
}

extension TextEdit {
    var asAppend: TextEdit { TextEdit(range: range, replacement: replacement, isAppend: true) }
}
