/// The bytes of one input (a file, stdin, or a text embedded in another file) with the
/// line table needed to turn offsets into positions and to print excerpts.
public final class SourceFile: Sendable {
    /// Name shown in findings: the path as the user gave it, or `-` for stdin.
    public let name: String
    /// The bytes of this text; for a slice of a larger file, only the slice.
    public let bytes: [UInt8]
    /// Byte offset (in this text) of the first byte of each line (index 0 = `firstLine`).
    /// (32-bit: inputs are capped at 1 GiB, and a large file has hundreds of thousands of lines.)
    public let lineStarts: [Int32]
    /// Set when this text was taken out of a scalar of another file.
    public let origin: EmbeddedOrigin?
    /// For a slice of a larger file (one document of a stream): the file line of the slice's
    /// first line and the file offset of its first byte. Every position this source hands out
    /// or takes is in file coordinates.
    public let firstLine: Int
    public let baseOffset: Int
    /// All bytes below 0x80: character index and byte offset are then the same.
    public let isASCII: Bool

    public init(name: String, bytes: [UInt8], origin: EmbeddedOrigin? = nil, firstLine: Int = 1, baseOffset: Int = 0) {
        self.name = name
        self.bytes = bytes
        self.origin = origin
        self.firstLine = firstLine
        self.baseOffset = baseOffset
        (self.lineStarts, self.isASCII) = SourceFile.scan(bytes)
    }

    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// Line breaks as libyaml counts them: LF, CR LF, lone CR, NEL, LS and PS.
    static func computeLineStarts(_ bytes: [UInt8]) -> [Int32] {
        scan(bytes).0
    }

    /// Line starts, and whether the text is plain ASCII, in one pass.
    static func scan(_ bytes: [UInt8]) -> ([Int32], Bool) {
        var starts: [Int32] = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var high: UInt8 = 0
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            let n = p.count
            let raw = UnsafeRawBufferPointer(p)
            while i < n {
                // Eight bytes at a time while none is a control byte up to CR (0x0D) or a byte from
                // 0x80 up: nearly all of a YAML text is printable ASCII.
                if i + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let nonASCII = w & 0x8080_8080_8080_8080
                    let control = (w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w & 0x8080_8080_8080_8080
                    if nonASCII | control == 0 {
                        i += 8
                        continue
                    }
                }
                let b = p[i]
                // Printable ASCII: neither a break nor part of one, and only bytes from 0x80 up
                // make the text non-ASCII.
                if b > 0x0D && b < 0x80 {
                    i += 1
                    continue
                }
                high |= b
                if b == 0x0A {
                    starts.append(Int32(truncatingIfNeeded: i + 1))
                } else if b == 0x0D {
                    if i + 1 < n, p[i + 1] == 0x0A { i += 1 }
                    starts.append(Int32(truncatingIfNeeded: i + 1))
                } else if b == 0xC2, i + 1 < n, p[i + 1] == 0x85 {
                    i += 1
                    starts.append(Int32(truncatingIfNeeded: i + 1))
                } else if b == 0xE2, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0xA8 || p[i + 2] == 0xA9 {
                    i += 2
                    starts.append(Int32(truncatingIfNeeded: i + 1))
                }
                i += 1
            }
        }
        return (starts, high < 0x80)
    }

    public var lineCount: Int { lineStarts.count }
    /// The last file line of this text.
    public var lastLine: Int { firstLine + lineStarts.count - 1 }
    /// File offset just past the last byte.
    public var endOffset: Int { baseOffset + bytes.count }

    /// File offset of the first byte of a file line.
    public func lineStart(_ line: Int) -> Int {
        let i = min(max(line - firstLine, 0), lineStarts.count - 1)
        return baseOffset + Int(lineStarts[i])
    }

    /// The byte at a file offset.
    public func byte(at offset: Int) -> UInt8 { bytes[offset - baseOffset] }

    /// Bytes between two file offsets.
    public func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        let lo = max(0, min(range.lowerBound - baseOffset, bytes.count))
        let hi = max(lo, min(range.upperBound - baseOffset, bytes.count))
        return bytes[lo..<hi]
    }

    /// Bytes of a file line without its line break; indices are positions in `bytes`.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        let i = line - firstLine
        guard i >= 0, i < lineStarts.count else { return [] }
        let start = Int(lineStarts[i])
        var end = i + 1 < lineStarts.count ? Int(lineStarts[i + 1]) : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return bytes[start..<end]
    }

    public func lineText(_ line: Int) -> String {
        String(decoding: lineBytes(line), as: UTF8.self)
    }

    /// File line containing a file offset.
    public func line(containing offset: Int) -> Int {
        let local = offset - baseOffset
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(lineStarts[mid]) <= local { lo = mid } else { hi = mid - 1 }
        }
        return lo + firstLine
    }

    /// Full position (line, character column) of a file offset, counted as libyaml counts its
    /// marks: characters, not bytes, and a byte order mark at the start is not one.
    public func position(ofByte offset: Int) -> Position {
        let line = line(containing: offset)
        var i = Int(lineStarts[line - firstLine])
        if i == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let local = min(offset - baseOffset, bytes.count)
        if isASCII { return Position(offset: offset, line: line, column: max(local - i, 0) + 1) }
        var column = 1
        while i < local {
            i += UTF8Width.of(bytes[i])
            column += 1
        }
        return Position(offset: offset, line: line, column: column)
    }

    /// Text between two file offsets.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: slice(range), as: UTF8.self)
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
