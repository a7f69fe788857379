/// A replacement of bytes in a source: the unit every fix is made of, so that everything outside
/// the edited ranges stays byte-identical.
public struct TextEdit: Sendable, Hashable {
    public let range: Range<Int>
    public let replacement: String
    /// An item appended at the end of a list: several such insertions at one point go in the
    /// order they are given, so one pass can add many items to one list.
    public let isAppend: Bool

    public init(range: Range<Int>, replacement: String, isAppend: Bool = false) {
        self.range = range
        self.replacement = replacement
        self.isAppend = isAppend
    }

    /// Applies edits that do not overlap; returns nil if any two overlap. Insertions at one
    /// point keep their given order.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8]? {
        let sorted = edits.enumerated().sorted { ($0.element.range.lowerBound, $0.element.range.upperBound, $0.offset) < ($1.element.range.lowerBound, $1.element.range.upperBound, $1.offset) }.map(\.element)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for e in sorted {
            guard e.range.lowerBound >= cursor, e.range.upperBound <= bytes.count else { return nil }
            out += bytes[cursor..<e.range.lowerBound]
            out += Array(e.replacement.utf8)
            cursor = e.range.upperBound
        }
        out += bytes[cursor...]
        return out
    }
}

extension SourceFile {
    /// The line break this file uses (CRLF files get CRLF in inserted lines).
    public var lineBreak: String {
        if let lf = bytes.firstIndex(of: 0x0A) { return lf > 0 && bytes[lf - 1] == 0x0D ? "\r\n" : "\n" }
        // Old Mac files break lines with CR alone.
        return bytes.contains(0x0D) ? "\r" : "\n"
    }

    /// Byte range in the outermost file, when edits there can stand for edits here: always for a
    /// file of its own, for a literal block scalar line by line, never for base64 or quoted carriers.
    public func outerByteRange(_ range: Range<Int>) -> (SourceFile, Range<Int>)? {
        guard let origin else { return (self, range) }
        guard case .block = origin.layout else { return nil }
        let lo = origin.map(position(ofByte: range.lowerBound), in: self).offset
        let hi = origin.map(position(ofByte: range.upperBound), in: self).offset
        return origin.outer.outerByteRange(lo..<hi)
    }

    /// Indentation (in spaces) of a 1-based line.
    public func indentation(ofLine line: Int) -> Int {
        lineBytes(line).prefix(while: { $0 == 0x20 }).count
    }

    /// Byte offset just past the end of a line's content (before its line break).
    public func lineEnd(_ line: Int) -> Int {
        baseOffset + lineBytes(line).endIndex
    }
}
