import YAMLSource

/// libFuzzer entry: the YAML layer must turn any bytes into documents or an error, never a crash,
/// whatever it builds must be walkable (paths, ranges inside the input, line texts), and the JSON
/// reader must build what libyaml builds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = SourceFile(name: "fuzz.yaml", bytes: bytes)
    let whole = YAMLParser.parse(source, limits: ParseLimits(maxDepth: 64, maxExpandedNodes: 100_000))
    // Whichever reader took the bytes, libyaml alone builds the same nodes.
    precondition(YAMLParser.parse(source, limits: ParseLimits(maxDepth: 64, maxExpandedNodes: 100_000), reader: .libyaml).hasSameNodes(as: whole),
                 "the JSON reader and libyaml disagree")
    var visited = 0
    var stack = whole.documents.compactMap(\.root)
    var seen = Set<Node>()
    while let node = stack.popLast(), visited < 100_000 {
        guard seen.insert(node).inserted else { continue }
        visited += 1
        precondition(node.range.start.offset <= node.range.end.offset || node.range.end.offset == 0, "range runs backwards")
        precondition(node.pathText == node.path.description, "path text differs from the path")
        precondition(node.itemCount == node.items.count, "item count differs from the items")
        _ = node.source.lineText(node.range.start.line)
        switch node.kind {
        case .scalar: break
        case .mapping: for p in node.pairs { stack.append(p.key); stack.append(p.value) }
        case .sequence(let items, _): stack.append(contentsOf: items)
        }
    }
    // The table walk for keys anywhere meets what a walk over the nodes meets.
    for root in whole.documents.compactMap(\.root) {
        var expected = 0
        var walk = [root]
        var anchored = Set<Node>()
        while let node = walk.popLast(), expected < 100_000 {
            if node.anchor != nil, !anchored.insert(node).inserted { continue }
            if node.isMapping {
                expected += node.pairs.filter { $0.key.isKey("a") || $0.key.isKey("deployments") }.count
                walk += node.pairs.reversed().map(\.value)
            } else if node.isSequence {
                walk += node.items.reversed()
            }
        }
        if expected < 100_000 {
            precondition(root.pairs(named: ["a", "deployments"]).count == expected, "the table walk met other pairs")
        }
    }
    // Read as a stream in small chunks: the same documents, or an error either way.
    var pos = 0
    var reader = DocumentReader(name: "fuzz.yaml", nextChunk: {
        guard pos < bytes.count else { return nil }
        let end = min(bytes.count, pos + 7)
        defer { pos = end }
        return Array(bytes[pos..<end])
    })
    var total = 0
    while let slice = reader.next() {
        total += slice.bytes.count
        _ = YAMLParser.parse(slice, limits: ParseLimits(maxDepth: 64, maxExpandedNodes: 100_000))
    }
    // Reading stops at a NUL byte (a binary file) and says so; otherwise every byte is handed out.
    precondition(total == bytes.count || (reader.stop != nil && total < bytes.count), "the stream reader lost bytes")
    return 0
}
