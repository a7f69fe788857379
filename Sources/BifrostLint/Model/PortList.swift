import YAMLSource

/// What a fix needs to know about a `ports` list to add an entry in its style, without keeping
/// the list's nodes (and so its document) alive.
public struct PortListShape: Sendable {
    /// Only the layout: what each port says is in the fact that owns the list (same order).
    struct Item: Sendable {
        /// The item's keys, comma-joined, as an id in the string table (16-byte items; the
        /// lists of thousands of releases look alike).
        private let keys: Int32
        var keyOrder: [String] { StringTable.shared[keys].split(separator: ",").map(String.init) }
        /// Column (1-based) of the item's first key, or of the item itself.
        private let column32: Int32
        /// Where a new item after this one goes: the next line's start (block) or the item's end (flow).
        private let insertAt32: Int32
        let isBlockMapping: Bool

        var column: Int { Int(column32) }
        var insertAt: Int { Int(insertAt32) }

        init(keys: String, column: Int, insertAt: Int, isBlockMapping: Bool) {
            self.keys = StringTable.shared.id(keys)
            // Inputs are capped at 1 GiB (ParseLimits), so offsets fit.
            column32 = Int32(clamping: column)
            insertAt32 = Int32(clamping: insertAt)
            self.isBlockMapping = isBlockMapping
        }
    }

    let isFlow: Bool
    let items: [Item]
    /// For `[]`: the list's range, replaced whole.
    let emptyRange: Range<Int>?
    let lineBreak: String
    let needsLeadingBreak: Bool
    /// The file the edits apply to; nil where the list cannot be edited in place.
    let editable: Bool
    /// The list's path, the scope a fix on it may change.
    let path: YAMLPath

    init(_ list: Node) {
        let src = list.source
        path = Interner.shared.intern(list.path)
        lineBreak = src.lineBreak
        isFlow = { if case .sequence(_, .flow) = list.kind { return true } else { return false } }()
        editable = src.origin == nil
        emptyRange = list.items.isEmpty ? list.range.bytes : nil
        var needsBreak = false
        items = list.items.map { item in
            let last = EditBuilder.lastContentLine(item)
            let insertAt: Int
            if case .sequence(_, .flow) = list.kind {
                insertAt = item.range.end.offset
            } else if last < src.lastLine {
                insertAt = src.lineStart(last + 1)
            } else {
                insertAt = src.endOffset
                needsBreak = src.bytes.last != 0x0A
            }
            let isBlock: Bool = { if case .mapping(_, .block) = item.kind { return true } else { return false } }()
            return Item(keys: item.pairs.map(\.key.keyString).joined(separator: ","),
                        column: item.range.start.column, insertAt: insertAt, isBlockMapping: isBlock)
        }
        needsLeadingBreak = needsBreak
    }
}
