import CZlib

/// gzip through the system zlib: Helm compresses the release JSON it stores in Secrets and
/// ConfigMaps. Inflating stops at a size limit, so a small record that expands to gigabytes
/// (a zip bomb) costs the limit, not the memory.
public enum Gzip {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The inflated data would pass the limit.
        case tooLarge(limit: Int)
        /// Not gzip data zlib can read, with zlib's reason.
        case corrupt(String)

        public var description: String {
            switch self {
            case .tooLarge(let limit): return "decompresses to more than \(limit) bytes"
            case .corrupt(let reason): return "not valid gzip data (\(reason))"
            }
        }
    }

    /// Whether the bytes start with gzip's magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The inflated bytes of a gzip stream (concatenated members too, as gunzip reads them), at
    /// most `limit` of them.
    public static func decompress(_ input: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        // 15 window bits + 16: a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(.corrupt("zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return input.withUnsafeBufferPointer { inBuffer -> Result<[UInt8], Failure> in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let (status, produced) = step(&stream, into: &chunk) { inflate($0, Z_NO_FLUSH) }
                if out.count + produced > limit { return .failure(.tooLarge(limit: limit)) }
                out += chunk[0..<produced]
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (gzip -c a b > ab.gz).
                    guard stream.avail_in > 0, stream.next_in.pointee == 0x1F else { return .success(out) }
                    guard inflateReset(&stream) == Z_OK else { return .failure(.corrupt("zlib could not restart")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                case Z_BUF_ERROR:
                    return .failure(.corrupt("truncated"))
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt(reason))
                }
            }
        }
    }

    /// One inflate or deflate call writing into `chunk`: its status and the bytes it produced.
    private static func step(_ stream: inout z_stream, into chunk: inout [UInt8], _ call: (UnsafeMutablePointer<z_stream>) -> Int32) -> (Int32, Int) {
        chunk.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(outBuffer.count)
            let status = call(&stream)
            return (status, outBuffer.count - Int(stream.avail_out))
        }
    }

    /// gzip-compresses bytes (what Helm's storage drivers do to the release JSON).
    public static func compress(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let (status, produced) = step(&stream, into: &chunk) { deflate($0, Z_FINISH) }
                out += chunk[0..<produced]
                if status == Z_STREAM_END || (status != Z_OK && status != Z_BUF_ERROR) { break }
            }
        }
        return out
    }
}
