/// Where an embedded text (a config.json inside a ConfigMap, say) sits in its outer file, so
/// that positions inside it can be reported against the file the user edits.
public struct EmbeddedOrigin: Sendable {
    public enum Layout: Sendable {
        /// A literal block scalar: inner line N is outer line `firstLine + N - 1`, shifted
        /// right by `indent` characters (and bytes: block indentation is spaces).
        case block(firstLine: Int, indent: Int)
        /// Any other carrier (quoted, folded, base64): every inner position maps to one range.
        case fixed(SourceRange)
    }

    public let outer: SourceFile
    public let layout: Layout
    /// Path of the scalar that carries the text, in the outer document.
    public let carrierPath: YAMLPath

    public init(outer: SourceFile, layout: Layout, carrierPath: YAMLPath = .root) {
        self.outer = outer
        self.layout = layout
        self.carrierPath = carrierPath
    }

    func map(_ p: Position, in inner: SourceFile) -> Position {
        switch layout {
        case .fixed(let range):
            return range.start
        case .block(let firstLine, let indent):
            let line = firstLine + p.line - 1
            guard line >= outer.firstLine, line <= outer.lastLine else { return p }
            let offset = outer.lineStart(line) + indent + (p.offset - inner.lineStart(p.line))
            return Position(offset: offset, line: line, column: p.column + indent)
        }
    }

    /// Layout for a literal block scalar whose node starts (at its `|` indicator) on `headerLine`.
    /// Returns nil when the lines of the value are not the outer lines minus one indentation,
    /// which is the case for folded scalars and for escapes in quoted ones.
    /// `carrierPath`: nil for the scalar's own path (a run that keeps no fix never reads it).
    public static func literalBlock(outer: SourceFile, scalar: Node, carrierPath: YAMLPath? = nil) -> EmbeddedOrigin? {
        // The style alone: the scalar's text (the whole embedded file) is not made for it.
        guard scalar.scalarStyle == .literal else { return nil }
        let start = scalar.start
        let headerLine = start.line
        // `|2` sets the indentation: lines may keep spaces of their own beyond it, which the
        // first line's indentation does not tell. Such a carrier is not edited line by line.
        let header = outer.slice(start.offset..<outer.lineEnd(headerLine))
        guard !header.prefix(while: { $0 != 0x20 && $0 != 0x23 }).contains(where: { $0 >= 0x31 && $0 <= 0x39 }) else { return nil }
        var line = headerLine + 1
        while line <= outer.lastLine {
            let bytes = outer.lineBytes(line)
            if bytes.allSatisfy({ $0 == 0x20 }) { line += 1; continue }
            let indent = bytes.prefix(while: { $0 == 0x20 }).count
            return EmbeddedOrigin(outer: outer, layout: .block(firstLine: headerLine + 1, indent: indent), carrierPath: carrierPath ?? scalar.path)
        }
        return nil
    }
}
