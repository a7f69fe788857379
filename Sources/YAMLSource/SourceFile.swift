/// The bytes of one input (a file, stdin, or a text embedded in another file) with the
/// line table needed to turn offsets into positions and to print excerpts.
public final class SourceFile: Sendable {
    /// Name shown in findings: the path as the user gave it, or `-` for stdin.
    public let name: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line (index 0 = line 1).
    public let lineStarts: [Int]
    /// Set when this text was taken out of a scalar of another file.
    public let origin: EmbeddedOrigin?

    public init(name: String, bytes: [UInt8], origin: EmbeddedOrigin? = nil) {
        self.name = name
        self.bytes = bytes
        self.origin = origin
        self.lineStarts = SourceFile.computeLineStarts(bytes)
    }

    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// Line breaks as libyaml counts them: LF, CR LF, lone CR, NEL, LS and PS.
    static func computeLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                starts.append(i + 1)
            } else if b == 0x0D {
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            } else if b == 0xC2, i + 1 < n, bytes[i + 1] == 0x85 {
                i += 1
                starts.append(i + 1)
            } else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                i += 2
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    public var lineCount: Int { lineStarts.count }

    /// Bytes of a 1-based line without its line break.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        guard line >= 1, line <= lineStarts.count else { return [] }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return bytes[start..<end]
    }

    public func lineText(_ line: Int) -> String {
        String(decoding: lineBytes(line), as: UTF8.self)
    }

    /// 1-based line containing a byte offset.
    public func line(containing offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// Full position (line, character column) of a byte offset.
    public func position(ofByte offset: Int) -> Position {
        let line = line(containing: offset)
        var column = 1
        var i = lineStarts[line - 1]
        while i < offset, i < bytes.count {
            i += UTF8Width.of(bytes[i])
            column += 1
        }
        return Position(offset: offset, line: line, column: column)
    }

    /// Text of a byte range.
    public func text(_ range: Range<Int>) -> String {
        let lo = max(0, min(range.lowerBound, bytes.count))
        let hi = max(lo, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// The position in the outermost file that a position in this source stands for.
    public func outerPosition(_ position: Position) -> (SourceFile, Position) {
        guard let origin else { return (self, position) }
        let mapped = origin.map(position, in: self)
        return origin.outer.outerPosition(mapped)
    }

    public func outerRange(_ range: SourceRange) -> (SourceFile, SourceRange) {
        let (file, start) = outerPosition(range.start)
        let (_, end) = outerPosition(range.end)
        return (file, SourceRange(start: start, end: end))
    }
}

enum UTF8Width {
    /// Bytes taken by the character starting with this lead byte (1 for stray continuation bytes).
    static func of(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: return 4
        case 0xE0...0xEF: return 3
        case 0xC0...0xDF: return 2
        default: return 1
        }
    }
}
