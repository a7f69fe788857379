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

        init(keys: Int32, column: Int, insertAt: Int, isBlockMapping: Bool) {
            self.keys = keys
            // Inputs are capped at 1 GiB (ParseLimits), so offsets fit.
            column32 = Int32(clamping: column)
            insertAt32 = Int32(clamping: insertAt)
            self.isBlockMapping = isBlockMapping
        }
    }

    let items: [Item]
    /// The list's path, the scope a fix on it may change.
    let path: YAMLPath
    // Packed (a run keeps a list or two for every object): offsets of `[]`, and flags.
    private let empty32: (lower: Int32, upper: Int32)
    private let options: UInt8
    private static let flow: UInt8 = 1, empty: UInt8 = 2, crlf: UInt8 = 4, leadingBreak: UInt8 = 8, inPlace: UInt8 = 16

    var isFlow: Bool { options & Self.flow != 0 }
    /// For `[]`: the list's range, replaced whole.
    var emptyRange: Range<Int>? { options & Self.empty != 0 ? Int(empty32.lower)..<Int(empty32.upper) : nil }
    var lineBreak: String { options & Self.crlf != 0 ? "\r\n" : "\n" }
    var needsLeadingBreak: Bool { options & Self.leadingBreak != 0 }
    /// Whether the edits can apply to the file in place (not to a text embedded in another).
    var editable: Bool { options & Self.inPlace != 0 }

    init(_ list: Node) {
        let src = list.source
        // A run that keeps no fix asks only whether one can be made (the style, the neighbour's
        // column): the path, key order and insertion points are for the text (see `FixDetail`).
        let full = !FixDetail.isOff
        path = full ? Interner.shared.intern(pathOf: list) : .root
        let isFlow = list.isSequence && list.collectionStyle == .flow
        let emptyRange = list.itemCount == 0 ? list.byteRange : nil
        // Inputs are capped at 1 GiB (ParseLimits), so offsets fit.
        empty32 = (Int32(clamping: emptyRange?.lowerBound ?? 0), Int32(clamping: emptyRange?.upperBound ?? 0))
        var needsBreak = false
        // The keys' bytes, comma-joined, go straight to the string table: no String for each.
        var keys: [UInt8] = []
        items = list.items.map { item in
            guard full else { return Item(keys: 0, column: item.start.column, insertAt: 0, isBlockMapping: false) }
            let insertAt: Int
            if isFlow {
                insertAt = item.endOffset
            } else {
                let last = EditBuilder.lastContentLine(item)
                if last < src.lastLine {
                    insertAt = src.lineStart(last + 1)
                } else {
                    insertAt = src.endOffset
                    needsBreak = src.bytes.last != 0x0A
                }
            }
            let isBlock = item.isMapping && item.collectionStyle == .block
            keys.removeAll(keepingCapacity: true)
            for (n, pair) in item.pairs.enumerated() {
                if n > 0 { keys.append(0x2C) }
                pair.key.withKeyBytes { keys.append(contentsOf: $0) }
            }
            return Item(keys: keys.withUnsafeBufferPointer { StringTable.shared.id($0) },
                        column: item.start.column, insertAt: insertAt, isBlockMapping: isBlock)
        }
        options = (isFlow ? Self.flow : 0) | (emptyRange != nil ? Self.empty : 0) | (src.lineBreak == "\r\n" ? Self.crlf : 0)
            | (needsBreak ? Self.leadingBreak : 0) | (src.origin == nil ? Self.inPlace : 0)
    }
}
