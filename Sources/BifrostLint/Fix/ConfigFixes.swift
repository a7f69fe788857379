#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLSource

/// Fixes shared by the governance rules: renames, wrapping, removal and replacement of pairs.
enum ConfigFixes {
    /// `allowed_keys` → `key_ids`, unless the mapping already has `key_ids`.
    static func renameKey(_ pair: Pair, in owner: Node, to name: String) -> Fix? {
        guard owner.pair(name) == nil, let edit = EditBuilder.rename(pair.key, to: name) else { return nil }
        return Fix(edits: [edit], scopes: [EditBuilder.scope(owner)])
    }

    /// `[]` → `["*"]`.
    static func allowAll(_ list: Node) -> Fix? {
        // An anchor or tag before `[` stays: aliases of the list must still find it.
        let written = list.source.text(list.byteRange)
        let prefix = written.firstIndex(of: "[").map { String(written[..<$0]) } ?? ""
        guard let b = EditBuilder(list), let edit = b.replace(list, with: prefix + "[\"*\"]") else { return nil }
        return Fix(.unsafe, edits: [edit], scopes: [EditBuilder.scope(list)])
    }

    /// The omitted lists, written as `["*"]` at the end of their mapping.
    static func addAllowAll(_ names: [String], to holder: Node) -> Fix? {
        guard let edit = EditBuilder.insertPairs(names.map { ($0, .text("[\"*\"]")) }, into: holder) else { return nil }
        return Fix(.unsafe, edits: [edit], scopes: [EditBuilder.scope(holder)])
    }

    /// Removes a pair; when that would empty a block mapping, the mapping's own pair goes instead
    /// (and so on up): an emptied `client:` reads as null, and Helm's coalescing then drops every
    /// chart default under it.
    static func remove(_ pair: Pair, from parent: Node) -> Fix? {
        var (pair, parent) = (pair, parent)
        while parent.collectionStyle == .block, case .mapping(let own, _) = parent.kind, own.count == 1,
              let up = enclosingPair(of: parent) {
            (pair, parent) = up
        }
        guard let edits = EditBuilder.remove(pair, from: parent) else { return nil }
        return Fix(edits: edits, scopes: [EditBuilder.scope(parent)])
    }

    /// The pair whose value a node is, and the mapping holding it.
    static func enclosingPair(of node: Node) -> (Pair, Node)? {
        guard let parent = node.parent, case .mapping(let own, _) = parent.kind,
              let pair = own.first(where: { $0.value == node }) else { return nil }
        return (pair, parent)
    }

    /// Replaces a scalar's text, keeping its quotes.
    static func replaceScalar(_ node: Node, with value: String) -> Fix? {
        guard let b = EditBuilder(node), let old = node.scalarText,
              let replaced = EditBuilder.replacingFirst(old, in: node.source.text(node.byteRange), with: value),
              let edit = b.replace(node, with: replaced) else { return nil }
        return Fix(edits: [edit], scopes: [EditBuilder.scope(node)])
    }
}
