import YAMLSource

/// Adds a port entry to a `ports` list next to the gossip entries, in the list's own style:
/// flow or block list, flow or block items, the same key order as its neighbour.
enum PortFixes {
    /// `fields` in the preferred order; the neighbour's key order wins for keys it has.
    /// `render: false` makes every check of the fix and no text (its edits are empty): a run
    /// that only says which findings are fixable.
    static func add(_ fields: [(String, String)], to list: PortListShape, after anchor: Int?, render: Bool = true) -> Fix? {
        guard list.editable else { return nil }
        let neighbour = anchor.map { list.items[$0] } ?? list.items.last
        // Where the entry goes, worked out (and refused) before any text is made.
        enum Place {
            case afterFlowItem(PortListShape.Item), intoEmpty(Range<Int>), afterBlockItem(PortListShape.Item)
        }
        let place: Place
        if list.isFlow {
            if let neighbour {
                place = .afterFlowItem(neighbour)
            } else if let empty = list.emptyRange {
                place = .intoEmpty(empty)
            } else {
                return nil
            }
        } else {
            guard let neighbour, neighbour.column >= 3 else { return nil }
            place = .afterBlockItem(neighbour)
        }
        guard render else { return Fix(edits: [], scopes: []) }
        var order = fields.map(\.0)
        if let neighbour {
            let keys = neighbour.keyOrder.filter { k in fields.contains { $0.0 == k } }
            order = keys + order.filter { !keys.contains($0) }
        }
        let values = Dictionary(uniqueKeysWithValues: fields)
        let flowItem = "{" + order.map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
        let edit: TextEdit
        switch place {
        case .afterFlowItem(let neighbour):
            edit = TextEdit(range: neighbour.insertAt..<neighbour.insertAt, replacement: ", " + flowItem)
        case .intoEmpty(let empty):
            edit = TextEdit(range: empty, replacement: "[" + flowItem + "]")
        case .afterBlockItem(let neighbour):
            let dashIndent = String.spaces(neighbour.column - 3)
            let br = list.lineBreak
            var text: String
            if neighbour.isBlockMapping {
                let keyIndent = String.spaces(neighbour.column - 1)
                text = order.enumerated().map { i, k in (i == 0 ? dashIndent + "- " : keyIndent) + "\(k): \(values[k]!)" }.joined(separator: br) + br
            } else {
                text = dashIndent + "- " + flowItem + br
            }
            if list.needsLeadingBreak && neighbour.insertAt == list.items.last?.insertAt { text = br + text }
            edit = TextEdit(range: neighbour.insertAt..<neighbour.insertAt, replacement: text)
        }
        return Fix(edits: [edit], scopes: [list.path])
    }

    /// The last gossip entry of a ports list (given as its entries' names and numbers), where the
    /// new entry goes.
    static func gossipEntry(_ ports: [(name: String?, number: Int?)], gossipPort: Int) -> Int? {
        ports.lastIndex { ($0.name?.hasPrefix("gossip") ?? false) || $0.number == gossipPort }
    }
}
