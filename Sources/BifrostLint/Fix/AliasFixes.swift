import YAMLSource

/// BF307's fix: `deployments` entries become the provider key's `aliases`.
enum AliasFixes {
    enum Outcome {
        case fix(Fix)
        /// Alias names that already map elsewhere: reported, never overwritten.
        case conflict([String])
        case none
    }

    static func move(_ deployments: Pair, in parent: Node, key: Node) -> Outcome {
        // A map shared through an anchor or alias has other users: moving it would take it from them.
        guard deployments.value.isMapping, deployments.value.isWritten(in: parent), deployments.value.anchor == nil,
              key.isMapping, let b = EditBuilder(key) else { return .none }
        let entries = deployments.value.pairs
        var edits: [TextEdit] = []
        if let aliases = key.pair("aliases") {
            guard aliases.value.isMapping || aliases.value.isNull else { return .none }
            let existing = aliases.value.pairs
            let conflicts = entries.compactMap { e -> String? in
                // Keys by bytes, as Helm's Go strings: `é` and `e` + U+0301 are two aliases.
                guard let old = existing.first(where: { $0.key.keyString.sameBytes(as: e.key.keyString) }) else { return nil }
                return Self.sameValue(old.value.value, e.value.value) ? nil : e.key.keyString
            }
            if !conflicts.isEmpty { return .conflict(conflicts) }
            let missing = entries.filter { e in !existing.contains { $0.key.keyString.sameBytes(as: e.key.keyString) } }
            if !missing.isEmpty {
                guard let add = append(missing, to: aliases, builder: b) else { return .none }
                edits.append(add)
            }
        } else {
            // A new `aliases` pair, placed before the pair that holds `deployments`.
            let before = parent == key ? deployments.key : (key.pairs.first { $0.value == parent }?.key ?? deployments.key)
            guard let insert = newAliases(entries: entries, value: deployments.value, deploymentsKey: deployments.key, before: before, in: key, builder: b) else { return .none }
            edits.append(insert)
        }
        // `deployments` as the only setting of a block `*_key_config` would leave it null.
        if parent != key, parent.pairs.count == 1, case .mapping(_, .block) = parent.kind { return .none }
        guard let removal = EditBuilder.remove(deployments, from: parent, keepComments: false) else { return .none }
        edits += removal
        return .fix(Fix(edits: edits, scopes: [EditBuilder.scope(key)]))
    }

    static func entryText(_ e: Pair) -> String {
        let src = e.key.source
        return src.text(e.key.byteRange) + ": " + src.text(e.value.byteRange)
    }

    /// Deployment names by their bytes: `é` and `e` + U+0301 name two deployments.
    static func sameValue(_ a: ScalarValue?, _ b: ScalarValue?) -> Bool {
        if case .string(let x)? = a, case .string(let y)? = b { return x.sameBytes(as: y) }
        return a == b
    }

    static func append(_ entries: [Pair], to aliases: Pair, builder b: EditBuilder) -> TextEdit? {
        let src = aliases.key.source
        guard case .mapping(let pairs, let style) = aliases.value.kind, let last = pairs.last else {
            // `aliases: {}` or `aliases:` (null): write the whole map in flow style.
            let text = "{" + entries.map(entryText).joined(separator: ", ") + "}"
            if aliases.value.isNull, aliases.value.byteRange.isEmpty {
                return b.insert(src, at: aliases.key.endOffset + 1, " " + text)
            }
            return b.replace(src, aliases.value.byteRange, with: text)
        }
        if style == .flow {
            return b.insert(src, at: last.value.endOffset, ", " + entries.map(entryText).joined(separator: ", "))
        }
        let indent = String.spaces(last.key.start.column - 1)
        let line = EditBuilder.lastContentLine(last.value)
        let text = entries.map { e in
            let comment = EditBuilder.trailingComment(e.value.source, after: e.value.endOffset, line: e.value.range.end.line)
            return indent + entryText(e) + (comment.map { "  " + $0 } ?? "") + src.lineBreak
        }.joined()
        let at = line < src.lastLine ? src.lineStart(line + 1) : src.endOffset
        return b.insert(src, at: at, (at == src.endOffset && src.bytes.last != 0x0A ? src.lineBreak : "") + text)
    }

    static func newAliases(entries: [Pair], value: Node, deploymentsKey: Node, before: Node, in key: Node, builder b: EditBuilder) -> TextEdit? {
        let firstLine = deploymentsKey.start.line + 1
        let src = key.source
        guard case .mapping(_, let keyStyle) = key.kind else { return nil }
        let quoted = before.scalar?.style == .doubleQuoted
        let name = quoted ? "\"aliases\"" : "aliases"
        let lineStart = src.lineStart(before.start.line)
        let alone = src.slice(lineStart..<before.startOffset).allSatisfy { $0 == 0x20 }
        if keyStyle == .flow {
            // Pretty-printed JSON keeps one pair per line.
            let separator = alone ? "," + src.lineBreak + String.spaces(before.start.column - 1) : ", "
            return b.insert(src, at: before.startOffset, "\(name): \(src.text(value.byteRange))" + separator)
        }
        guard alone else { return nil }
        let indent = String.spaces(before.start.column - 1)
        let br = src.lineBreak
        let body: String
        if case .mapping(_, .flow) = value.kind {
            body = " " + src.text(value.byteRange) + br
        } else {
            // The block's own lines, comments included, re-indented under `aliases:`.
            guard let first = entries.first else { return nil }
            let base = first.key.startOffset - src.lineStart(first.key.start.line)
            let lines = min(firstLine, value.start.line)...EditBuilder.lastContentLine(value)
            body = br + lines.map { line -> String in
                let bytes = src.lineBytes(line)
                let lead = bytes.prefix(while: { $0 == 0x20 }).count
                let rest = bytes.dropFirst(min(lead, base))
                return rest.isEmpty ? br : indent + "  " + String(decoding: rest, as: UTF8.self) + br
            }.joined()
        }
        // A comment after `deployments:` goes after `aliases:`.
        let comment = value.start.line > deploymentsKey.start.line
            ? EditBuilder.trailingComment(src, after: deploymentsKey.endOffset + 1, line: deploymentsKey.start.line) : nil
        return b.insert(src, at: lineStart, indent + name + ":" + (comment.map { "  " + $0 } ?? "") + body)
    }
}
