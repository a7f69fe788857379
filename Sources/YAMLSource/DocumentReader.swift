#if canImport(Glibc)
import Glibc
#endif

/// Reads a YAML stream one document at a time, so a 30 MB `kubectl get -o yaml` dump is never
/// held whole. A document starts at a line beginning with `---` (or a `%` directive before it);
/// libyaml ends a document at such a line wherever it stands, so parsing the slices one by one
/// gives the same documents as parsing the stream. Each slice keeps its file line and offset, so
/// positions stay those of the file.
public struct DocumentReader: IteratorProtocol, Sequence {
    public let name: String
    /// Appends the next chunk of the input to the buffer; false at the end.
    private let appendNext: (inout [UInt8]) -> Bool
    private let status: ReadStatus
    /// Lets go of what the stream holds (a file descriptor) when reading stops early.
    private let release: () -> Void
    /// Bytes read at most; a stream longer than this ends with `stop` set, and the document the
    /// limit cuts is not handed out (ParseLimits.maxFileBytes when a Linter reads it).
    public var maxBytes = ParseLimits().maxFileBytes
    /// Why reading stopped before the end of the input (a limit, a NUL byte), and where.
    public private(set) var stop: ReadStop?
    /// Set once the last byte to read is in `buffer`: what follows the last complete document
    /// is dropped, not handed out, and `stop` says why.
    private var cut: (message: String, offset: Int?)?
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` begins.
    private var start = 0
    private var scanFrom = 0
    private var eof = false
    private var line = 1
    private var offset = 0
    private var splittable = true
    private var first = true
    /// A slice that opens with directives runs through its own `---`.
    private var awaitingDocumentStart = false

    /// Reads chunks from `nextChunk` until it returns nil.
    public init(name: String, nextChunk: @escaping () -> [UInt8]?) {
        self.init(name: name, status: ReadStatus(), nextChunk: nextChunk)
    }

    private init(name: String, status: ReadStatus, release: @escaping () -> Void = {}, nextChunk: @escaping () -> [UInt8]?) {
        self.init(name: name, status: status, release: release, appendNext: { buffer in
            guard let chunk = nextChunk() else { return false }
            buffer += chunk
            return true
        })
    }

    private init(name: String, status: ReadStatus, release: @escaping () -> Void, appendNext: @escaping (inout [UInt8]) -> Bool) {
        self.name = name
        self.status = status
        self.release = release
        self.appendNext = appendNext
    }

    /// An input that could not be opened: no documents, only the reason.
    public init(name: String, failure: String) {
        let status = ReadStatus()
        status.failure = failure
        self.init(name: name, status: status, nextChunk: { nil })
    }

    /// Why the stream ended early (a read error), if it did.
    public var failure: String? { status.failure }
    /// Bytes read so far.
    public var bytesRead: Int { offset }

    /// A stream held in memory.
    public init(name: String, bytes: [UInt8]) {
        var given = false
        self.init(name: name, nextChunk: {
            if given { return nil }
            given = true
            return bytes
        })
    }

    /// A file descriptor read in 1 MiB chunks; closed at the end of the stream (or by `close()`)
    /// if asked.
    public init(name: String, fileDescriptor fd: Int32, closeAtEnd: Bool = false) {
        let descriptor = Descriptor(fd: fd, owned: closeAtEnd)
        let status = ReadStatus()
        self.init(name: name, status: status, release: { descriptor.finish() }, appendNext: { descriptor.append(to: &$0, status) })
    }

    /// A file opened only when the first document is asked for, and closed when the stream ends
    /// or `close()` is called: a run may list more inputs than the process may hold open, so
    /// none is opened before its turn. `open` gives a descriptor, or why there is none.
    public init(name: String, opening open: @escaping () -> Result<Int32, ReadFailure>) {
        let descriptor = Descriptor(opening: open)
        let status = ReadStatus()
        self.init(name: name, status: status, release: { descriptor.finish() }, appendNext: { descriptor.append(to: &$0, status) })
    }

    /// Stops reading: the descriptor, if the reader owns one, is closed now rather than when the
    /// last copy of the reader goes away.
    public func close() {
        release()
    }

    public mutating func next() -> SourceFile? {
        while true {
            if first, !fill() { return nil }
            first = false
            if splittable, let cut = boundary() {
                return emit(upTo: cut)
            }
            if eof {
                if cut != nil {
                    dropRest()
                    return nil
                }
                guard start < buffer.count else { return nil }
                return emit(upTo: buffer.count)
            }
            _ = fill()
        }
    }

    /// Appends a chunk; false when the stream is over and nothing was read at all. A NUL byte
    /// (never in YAML text: a binary file, or /dev/zero) or the byte limit ends the reading
    /// there, so no more than the limit, and nothing past the first NUL, is ever held.
    private mutating func fill() -> Bool {
        guard !eof else { return start < buffer.count }
        let before = buffer.count
        if appendNext(&buffer) {
            if first, buffer.count >= 2, (buffer[0] == 0xFE && buffer[1] == 0xFF) || (buffer[0] == 0xFF && buffer[1] == 0xFE) {
                // UTF-16: "---" is not three bytes there; hand the stream to libyaml whole.
                splittable = false
            }
            if first { awaitingDocumentStart = buffer.first == 0x25 }
            // File offset of the chunk's first byte.
            let at = offset + before - start
            let nul = splittable ? buffer.withUnsafeBufferPointer { b -> Int? in
                guard let base = b.baseAddress, b.count > before, let hit = memchr(base + before, 0, b.count - before) else { return nil }
                return (base + before).distance(to: hit.assumingMemoryBound(to: UInt8.self))
            } : nil
            let room = Swift.max(0, maxBytes - at)
            if let nul, nul <= room {
                buffer.removeSubrange((before + nul)...)
                cut = ("not readable as YAML text: a NUL byte at byte \(at + nul) (a binary file?); the rest is not read", at + nul)
            } else if buffer.count - before > room {
                buffer.removeSubrange((before + room)...)
                cut = ("input larger than \(maxBytes) bytes; the rest is not read", nil)
            }
            if cut != nil {
                eof = true
                release()
            }
            return true
        }
        eof = true
        return start < buffer.count
    }

    /// Reading was cut short: the document it cut is dropped, and `stop` says where and why (at
    /// the NUL byte, or where the dropped document starts).
    private mutating func dropRest() {
        guard let cut else { return }
        var position = Position(offset: offset, line: line, column: 1)
        if let at = cut.offset {
            if start > 0 { buffer.removeSubrange(0..<start) }
            position = SourceFile(name: name, bytes: buffer, firstLine: line, baseOffset: offset).position(ofByte: at)
        }
        stop = ReadStop(message: cut.message, position: position)
        self.cut = nil
        buffer = []
        start = 0
        scanFrom = 0
    }

    /// The start of the next line (after the first line of the current document) that begins a
    /// new document, if the buffer holds enough to tell.
    private mutating func boundary() -> Int? {
        var i = Swift.max(scanFrom, start)
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            var next = -1
            if b == 0x0A {
                next = i + 1
            } else if b == 0x0D {
                if i + 1 < n { next = buffer[i + 1] == 0x0A ? i + 2 : i + 1 } else if eof { next = i + 1 } else { scanFrom = i; return nil }
            }
            if next >= 0 {
                if next >= n { scanFrom = i; return nil }
                if buffer[next] == 0x25 {  // %
                    if awaitingDocumentStart || buffer[start] == 0x25 && !sawContentBefore(next) { i = next; continue }
                    return next
                }
                if buffer[next] == 0x2D {
                    guard next + 3 <= n || eof else { scanFrom = i; return nil }
                    if next + 3 <= n, buffer[next + 1] == 0x2D, buffer[next + 2] == 0x2D {
                        if next + 3 == n {
                            if eof {
                                if awaitingDocumentStart { awaitingDocumentStart = false; i = next; continue }
                                return next
                            }
                            scanFrom = i
                            return nil
                        }
                        let after = buffer[next + 3]
                        if after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D {
                            if awaitingDocumentStart { awaitingDocumentStart = false; i = next; continue }
                            return next
                        }
                    }
                }
                i = next
                continue
            }
            // Most bytes are not line breaks: jump to the next LF (a CR before it is part of the
            // break; lone-CR files just split less often, which is still correct).
            i = buffer.withUnsafeBufferPointer { b -> Int in
                guard let base = b.baseAddress, let hit = memchr(base + i + 1, 0x0A, n - i - 1) else { return n }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if i > 0, i < n, buffer[i - 1] == 0x0D { i -= 1 }
        }
        scanFrom = i
        return nil
    }

    /// Whether anything but directive lines comes before `end` in the buffer.
    private func sawContentBefore(_ end: Int) -> Bool {
        var lineStart = true
        for i in start..<end {
            let b = buffer[i]
            if lineStart && b != 0x25 && b != 0x0A && b != 0x0D { return true }
            lineStart = b == 0x0A || b == 0x0D
        }
        return false
    }

    private mutating func emit(upTo cut: Int) -> SourceFile {
        let length = cut - start
        let bytes: [UInt8]
        if cut == buffer.count {
            // The last document (a large values file, say) is handed over, not copied, and the
            // buffer's pages go with it instead of staying behind for the rest of the run.
            if start > 0 { buffer.removeSubrange(0..<start) }
            bytes = buffer
            buffer = []
            start = 0
            scanFrom = 0
        } else {
            bytes = Array(buffer[start..<cut])
            start = cut
            scanFrom = cut
            // Dropping the front of a large buffer moves the rest: do it rarely, not per document.
            if start >= 1 << 20 || start == buffer.count {
                buffer.removeSubrange(0..<start)
                scanFrom -= start
                start = 0
            }
        }
        awaitingDocumentStart = start < buffer.count && buffer[start] == 0x25
        let source = SourceFile(name: name, bytes: bytes, firstLine: line, baseOffset: offset)
        line += source.lineStarts.count - 1
        offset += length
        return source
    }
}

/// What a reader learnt about its input while reading, shared with the closure that reads.
final class ReadStatus: @unchecked Sendable {
    var failure: String?
}

/// Why an input could not be opened.
public struct ReadFailure: Error, Sendable {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}

/// Where and why a reader stopped before the end of its input.
public struct ReadStop: Sendable {
    public let message: String
    public let position: Position
}

/// A descriptor read in 1 MiB chunks: opened at the first read when given an opener, closed
/// once at the end of the input, on `close()`, or when the last reader holding it goes away.
final class Descriptor {
    static let chunkSize = 1 << 20
    private var fd: Int32 = -1
    private var scratch: UnsafeMutableBufferPointer<UInt8>?
    private var opener: (() -> Result<Int32, ReadFailure>)?
    private var owned: Bool
    private var done = false

    init(fd: Int32, owned: Bool) {
        self.fd = fd
        self.owned = owned
    }

    init(opening open: @escaping () -> Result<Int32, ReadFailure>) {
        opener = open
        owned = true
    }

    /// Appends the next read to `buffer`; false at the end or on an error. Reads go into one
    /// scratch buffer kept for the reader's life: a fresh 1 MiB array a chunk came from the
    /// kernel zeroed and went back after each copy (a fifth of a dense run's page faults).
    func append(to buffer: inout [UInt8], _ status: ReadStatus) -> Bool {
        guard !done else { return false }
        if let open = opener {
            opener = nil
            switch open() {
            case .success(let opened): fd = opened
            case .failure(let failure):
                status.failure = failure.reason
                done = true
                return false
            }
        }
        if scratch == nil { scratch = .allocate(capacity: Self.chunkSize) }
        guard let scratch else { return false }
        while true {
            let n = read(fd, scratch.baseAddress, scratch.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if n < 0 { status.failure = String(cString: strerror(errno)) }
                finish()
                return false
            }
            // Grown by doubling: asking for exactly what one more chunk needs reallocates each time.
            if buffer.capacity < buffer.count + n { buffer.reserveCapacity(Swift.max(buffer.count + n, 2 * buffer.capacity)) }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<n]))
            return true
        }
    }

    func finish() {
        opener = nil
        guard !done else { return }
        done = true
        if owned, fd >= 0 { close(fd) }
        scratch?.deallocate()
        scratch = nil
    }

    deinit {
        finish()
    }
}
