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
    /// instead of building Strings, which cost several times the bytes they hold to make. Raw
    /// storage: a report is tens of pieces a finding, and each append to an Array went through
    /// its uniqueness, capacity and generic copy steps.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// The reason a write failed, when one did (later writes are dropped).
    public private(set) var failure: String?
    static let chunk = 1 << 16

    /// Writes to `fd` (1, standard output; 2, standard error).
    public init(fd: Int32) {
        self.fd = fd
        capacity = Self.chunk + 4096
        base = .allocate(capacity: capacity)
    }

    /// Collects the report into `string`.
    public init() {
        fd = nil
        capacity = 4096
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Room for `n` more bytes.
    @inline(__always)
    fileprivate func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        let larger = Swift.max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// The bytes written so far (a block of a report, or a String sink's text).
    private var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    public func write(_ s: String) {
        s.withUTF8Bytes { append($0) }
        flushIfFull()
    }

    /// UTF-8 bytes as they are.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(bytes)
        flushIfFull()
    }

    func write(byte: UInt8) {
        append(byte)
    }

    func write(byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(repeating: byte, count: n)
        count += n
    }

    /// A decimal number, without a String made for it.
    func write(_ n: Int) {
        guard n != 0 else { return append(0x30) }
        if n < 0 { append(0x2D) }
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
            for i in stride(from: count - 1, through: 0, by: -1) { append(d[i]) }
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
        s.withUTF8Bytes { write(json: $0) }
    }

    /// A JSON string literal of UTF-8 bytes (invalid sequences repaired as a String would be).
    func write(json bytes: UnsafeBufferPointer<UInt8>) {
        if Self.needsNoEscape(bytes) {
            append(0x22)
            append(bytes)
            append(0x22)
        } else if bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII with quotes or controls (messages quote `["*"]`): escaped here, byte for byte
            // as `DoubleQuoted.quote` escapes, without a String made twice.
            reserve(2 + 6 * bytes.count)
            append(0x22)
            for b in bytes {
                switch b {
                case 0x22, 0x5C: append(0x5C); append(b)
                case 0x0A: append(0x5C); append(0x6E)
                case 0x0D: append(0x5C); append(0x72)
                case 0x09: append(0x5C); append(0x74)
                case 0..<0x20, 0x7F:
                    let hex: StaticString = "0123456789abcdef"
                    append(0x5C); append(0x75); append(0x30); append(0x30)
                    append(hex.utf8Start[Int(b >> 4)]); append(hex.utf8Start[Int(b & 0xF)])
                default: append(b)
                }
            }
            append(0x22)
        } else {
            write(JSON.string(String(decoding: bytes, as: UTF8.self)))
        }
        flushIfFull()
    }

    /// Printable ASCII but `"` and `\`, eight bytes at a time (every message, path and file of
    /// a JSON or SARIF report is asked); a word that may hold another byte is asked byte by byte.
    static func needsNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allBytes({ $0 &- 0x20 < 0x5F && $0 != 0x22 && $0 != 0x5C }) { w in
            SWAR.outsidePrintable(w) | SWAR.anyByte(w, 0x22) | SWAR.anyByte(w, 0x5C)
        }
    }

    /// Items `0..<count` written in order, each by `render` into a sink of its own, made in
    /// blocks on every core a wave at a time: the report of 80,000 findings was a fifth of the
    /// run, on one core, after the linting. A wave holds a few MiB, never the whole report.
    func writeEach(count: Int, _ render: @escaping @Sendable (Int, ReportSink) -> Void) {
        let block = 512
        let blocks = (count + block - 1) / block
        let wave = max(1, System.processorCount * 2)
        // Each slot's sink is used again by the next wave: a block is a few hundred KiB, and a
        // fresh one each time came from the kernel and went back (a fifth of the page faults).
        let sinks = SinkSlots((0..<min(wave, blocks)).map { _ in ReportSink() })
        for first in stride(from: 0, to: blocks, by: wave) {
            let n = min(wave, blocks - first)
            let each: @Sendable (Int) -> Void = { j in
                let sink = sinks.all[j]
                sink.count = 0
                let lo = (first + j) * block
                for i in lo..<min(count, lo + block) { render(i, sink) }
            }
            if n == 1 { each(0) } else { DispatchQueue.concurrentPerform(iterations: n, execute: each) }
            for j in 0..<n {
                append(sinks.all[j].written)
                flushIfFull()
            }
        }
    }

    /// The sinks of a wave's blocks, one a block, each filled by one thread at a time.
    private final class SinkSlots: @unchecked Sendable {
        let all: [ReportSink]
        init(_ all: [ReportSink]) { self.all = all }
    }

    private func flushIfFull() {
        if let fd, count >= Self.chunk { flush(fd) }
    }

    /// Writes what is buffered; the collected text for a String sink.
    @discardableResult
    public func finish() -> String {
        guard let fd else { return string }
        flush(fd)
        return ""
    }

    public var string: String { fd == nil ? String(decoding: written, as: UTF8.self) : "" }

    private func flush(_ fd: Int32) {
        defer { count = 0 }
        guard failure == nil, count > 0 else { return }
        var done = 0
        while done < count {
            let n = Glibc.write(fd, base + done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                return
            }
            done += n
        }
    }
}
