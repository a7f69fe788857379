import YAMLSource

/// Adds a port entry to a `ports` list next to the gossip entries, in the list's own style:
/// flow or block list, flow or block items, the same key order as its neighbour.
enum PortFixes {
    /// `fields` in the preferred order; the neighbour's key order wins for keys it has.
    static func add(_ fields: [(String, String)], to list: Node, after anchor: Node?) -> Fix? {
        guard case .sequence(let items, let listStyle) = list.kind, let b = EditBuilder(list) else { return nil }
        let src = list.source
        let neighbour = anchor ?? items.last
        var order = fields.map(\.0)
        if let neighbour, neighbour.isMapping {
            let keys = neighbour.pairs.map(\.key.keyString).filter { k in fields.contains { $0.0 == k } }
            order = keys + order.filter { !keys.contains($0) }
        }
        let values = Dictionary(uniqueKeysWithValues: fields)
        let flowItem = "{" + order.map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
        let scope = [EditBuilder.scope(list)]

        if listStyle == .flow {
            guard let last = items.last ?? nil, let edit = b.insert(src, at: (neighbour ?? last).range.end.offset, ", " + flowItem) else {
                guard items.isEmpty, let edit = b.replace(list, with: "[" + flowItem + "]") else { return nil }
                return Fix(edits: [edit], scopes: scope)
            }
            return Fix(edits: [edit], scopes: scope)
        }
        guard let neighbour else { return nil }
        // Block list: a new item on the lines after the neighbour, at the neighbour's dash column.
        let line = EditBuilder.lastContentLine(neighbour)
        let dashColumn = neighbour.range.start.column - 3
        guard dashColumn >= 0 else { return nil }
        let dashIndent = String(repeating: " ", count: dashColumn)
        let br = src.lineBreak
        let text: String
        if case .mapping(_, .block) = neighbour.kind {
            let keyIndent = String(repeating: " ", count: neighbour.range.start.column - 1)
            text = order.enumerated().map { i, k in (i == 0 ? dashIndent + "- " : keyIndent) + "\(k): \(values[k]!)" }.joined(separator: br) + br
        } else {
            text = dashIndent + "- " + flowItem + br
        }
        let at: Int
        var insertion = text
        if line < src.lineCount {
            at = src.lineStarts[line]
        } else {
            at = src.bytes.count
            if !(src.bytes.last == 0x0A) { insertion = br + insertion }
        }
        guard let edit = b.insert(src, at: at, insertion) else { return nil }
        return Fix(edits: [edit], scopes: scope)
    }

    /// The last gossip entry of a ports list, where the new entry goes.
    static func gossipEntry(_ list: Node, gossipPort: Int, numberKey: String) -> Node? {
        list.items.last { item in
            (item["name"]?.string?.hasPrefix("gossip") ?? false) || item[numberKey]?.int == Int64(gossipPort)
        }
    }
}
