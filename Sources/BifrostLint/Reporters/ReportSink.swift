import Dispatch
import YAMLSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a report goes as it is made: a descriptor, written in 64 KiB chunks, or a String (what
/// `render` returns). A report of tens of thousands of findings is then never held whole: it
/// used to be one String, and its UTF-8 copy for writing, at once (100 MiB for SARIF of 80,000
/// findings).
public final class ReportSink {
    private let fd: Int32?
    /// Bytes not yet written (everything, for a String sink): reporters append pieces here
    /// instead of building Strings, which cost several times the bytes they hold to make.
    private var buffer: [UInt8] = []
    /// The reason a write failed, when one did (later writes are dropped).
    public private(set) var failure: String?
    static let chunk = 1 << 16

    /// Writes to `fd` (1, standard output; 2, standard error).
    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Collects the report into `string`.
    public init() {
        fd = nil
    }

    public func write(_ s: String) {
        // Read in place: `withUTF8` mutates, and copying the String for it retains and releases.
        if s.utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0) }) == nil {
            var s = s
            s.withUTF8 { buffer.append(contentsOf: $0) }
        }
        flushIfFull()
    }

    /// UTF-8 bytes as they are.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        flushIfFull()
    }

    func write(byte: UInt8) {
        buffer.append(byte)
    }

    func write(byte: UInt8, count: Int) {
        guard count > 0 else { return }
        buffer.append(contentsOf: repeatElement(byte, count: count))
    }

    /// A decimal number, without a String made for it.
    func write(_ n: Int) {
        guard n != 0 else { return buffer.append(0x30) }
        if n < 0 { buffer.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n.magnitude
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[count] = UInt8(v % 10) + 0x30
                v /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    /// A range's start line and column and end line and column, each after its label (each
    /// format spells them its own way).
    func write(_ range: SourceRange, labels: (startLine: String, startColumn: String, endLine: String, endColumn: String)) {
        write(labels.startLine)
        write(range.start.line)
        write(labels.startColumn)
        write(range.start.column)
        write(labels.endLine)
        write(range.end.line)
        write(labels.endColumn)
        write(range.end.column)
    }

    /// A JSON string literal (quotes and escapes as `JSON.string`).
    func write(json s: String) {
        var s = s
        s.withUTF8 { write(json: $0) }
    }

    /// A JSON string literal of UTF-8 bytes (invalid sequences repaired as a String would be).
    func write(json bytes: UnsafeBufferPointer<UInt8>) {
        // Printable ASCII but `"` and `\`: one subtraction and two compares a byte.
        if bytes.allSatisfy({ $0 &- 0x20 < 0x5F && $0 != 0x22 && $0 != 0x5C }) {
            buffer.append(0x22)
            buffer.append(contentsOf: bytes)
            buffer.append(0x22)
        } else {
            write(JSON.string(String(decoding: bytes, as: UTF8.self)))
        }
        flushIfFull()
    }

    /// Items `0..<count` written in order, each by `render` into a sink of its own, made in
    /// blocks on every core a wave at a time: the report of 80,000 findings was a fifth of the
    /// run, on one core, after the linting. A wave holds a few MiB, never the whole report.
    func writeEach(count: Int, _ render: @escaping @Sendable (Int, ReportSink) -> Void) {
        let block = 512
        let blocks = (count + block - 1) / block
        let wave = max(1, System.processorCount * 2)
        // Each slot's buffer is used again by the next wave: a block is a few hundred KiB, and a
        // fresh one each time came from the kernel and went back (a fifth of the page faults).
        let made = ResultSlots<[UInt8]>(count: wave, repeating: [])
        for first in stride(from: 0, to: blocks, by: wave) {
            let n = min(wave, blocks - first)
            let each: @Sendable (Int) -> Void = { j in
                let sink = ReportSink(reusing: made.take(j))
                let lo = (first + j) * block
                for i in lo..<min(count, lo + block) { render(i, sink) }
                made.set(j, sink.buffer)
            }
            if n == 1 { each(0) } else { DispatchQueue.concurrentPerform(iterations: n, execute: each) }
            for j in 0..<n {
                var bytes = made.take(j)
                buffer.append(contentsOf: bytes)
                flushIfFull()
                bytes.removeAll(keepingCapacity: true)
                made.set(j, bytes)
            }
        }
    }

    /// A String sink that writes into `buffer`'s storage.
    private init(reusing buffer: [UInt8]) {
        fd = nil
        self.buffer = buffer
    }

    private func flushIfFull() {
        if let fd, buffer.count >= Self.chunk { flush(fd) }
    }

    /// Writes what is buffered; the collected text for a String sink.
    @discardableResult
    public func finish() -> String {
        guard let fd else { return string }
        flush(fd)
        return ""
    }

    public var string: String { fd == nil ? String(decoding: buffer, as: UTF8.self) : "" }

    private func flush(_ fd: Int32) {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                return
            }
            done += n
        }
    }
}
