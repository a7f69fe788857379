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
    private var buffer: [UInt8] = []
    private var text = ""
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
        guard let fd else {
            text += s
            return
        }
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.chunk { flush(fd) }
    }

    /// Writes what is buffered; the collected text for a String sink.
    @discardableResult
    public func finish() -> String {
        if let fd { flush(fd) }
        return text
    }

    public var string: String { text }

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
