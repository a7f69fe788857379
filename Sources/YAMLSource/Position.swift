#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in a source: byte offset (0-based), line and column (1-based; the column counts
/// characters, not bytes, so a multibyte character earlier on the line does not shift it).
/// Stored in 32 bits each: positions are kept by the million.
public struct Position: Sendable, Hashable, Comparable, CustomStringConvertible {
    private var _offset: Int32
    private var _line: Int32
    private var _column: Int32

    public var offset: Int {
        get { Int(_offset) }
        set { _offset = Int32(clamping: newValue) }
    }

    public var line: Int {
        get { Int(_line) }
        set { _line = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(_column) }
        set { _column = Int32(clamping: newValue) }
    }

    public init(offset: Int, line: Int, column: Int) {
        _offset = Int32(clamping: offset)
        _line = Int32(clamping: line)
        _column = Int32(clamping: column)
    }

    public static func < (a: Position, b: Position) -> Bool {
        (a.line, a.column, a.offset) < (b.line, b.column, b.offset)
    }

    public var description: String { "\(line):\(column)" }
}

/// Half-open range `start..<end` in one source.
public struct SourceRange: Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    public var bytes: Range<Int> { start.offset..<max(start.offset, end.offset) }
}

extension String {
    /// The String's UTF-8 without copying it first: `withUTF8` is mutating, and the copy it needs
    /// costs a retain and a release each time (lookups by key, report pieces, string-table ids).
    @inline(__always)
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return copy.withUTF8(body)
    }

    /// `n` spaces (none for `n` of 0 or less), written at once: `String(repeating: " ", count:)`
    /// appends a String for each space, and fixes indent by the width of a long JSON line.
    public static func spaces(_ n: Int) -> String {
        guard n > 0 else { return "" }
        return String(unsafeUninitializedCapacity: n) { buffer in
            buffer.initialize(repeating: 0x20)
            return n
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The same bytes: what keys, file names and label sets are told apart by (a String's `==`
    /// takes canonically equal spellings, `é` and `e` + U+0301, as one).
    @inline(__always)
    public func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let a = baseAddress, let b = other.baseAddress else { return true }
        return memcmp(a, b, count) == 0
    }
}

/// A String told apart from others by its bytes, as a key: `==` and hashing take canonically
/// equal spellings (`é` and `e` + U+0301) as one, where Helm's Go strings, a Linux file system
/// and the reports take them as two.
public struct ExactString: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ExactString, b: ExactString) -> Bool { a.string.sameBytes(as: b.string) }

    public func hash(into hasher: inout Hasher) {
        string.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        // A terminator, as String's own hash has: else ["a", "aa"] and ["aa", "a"] (a path's
        // keys) hash alike, and a hostile file makes every set of paths quadratic.
        hasher.combine(0xFF as UInt8)
    }
}

extension String {
    /// The same bytes, as `ExactString` compares: `é` and `e` + U+0301 are two strings.
    public func sameBytes(as other: String) -> Bool {
        withUTF8Bytes { x in other.withUTF8Bytes { x.sameBytes(as: $0) } }
    }

    /// String order, and two canonically equal spellings by their bytes: the same order on
    /// every run and file system (String `<` leaves them tied).
    public static func stableOrder(_ a: String, _ b: String) -> Bool {
        a != b ? a < b : a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// What follows `prefix`, if this starts with its bytes (a String's `hasPrefix` takes a
    /// prefix written in another normal form, and can cut inside a character's code points).
    public func droppingPrefix(_ prefix: String) -> String? {
        utf8.starts(with: prefix.utf8) ? String(Substring(utf8.dropFirst(prefix.utf8.count))) : nil
    }

    /// Whether this path is `directory` or under it, by bytes (a directory named like it in
    /// another normal form is elsewhere); every path is under "".
    public func isWithin(directory: String) -> Bool {
        if directory.isEmpty || sameBytes(as: directory) { return true }
        return utf8.starts(with: (directory.hasSuffix("/") ? directory : directory + "/").utf8)
    }
}
