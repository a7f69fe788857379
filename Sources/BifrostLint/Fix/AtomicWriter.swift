#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's content all at once: a temporary file beside it, synced, given the original
/// permissions, then renamed over it. A failure at any step leaves the original untouched.
public enum AtomicWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func replace(_ path: String, with bytes: [UInt8], expecting original: [UInt8]) throws {
        guard let current = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot be read any more; not written")
        }
        guard Array(current) == original else {
            throw Failure(description: "\(path): changed since it was read; not written (run again)")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(description: "\(path): \(String(cString: strerror(errno)))")
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var template = Array("\(dir)/.\(url.lastPathComponent).kubectl-bifrost-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Failure(description: "\(path): cannot create a temporary file in \(dir): \(String(cString: strerror(errno))); not written")
        }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        let writeError = errno
        let synced = written && fsync(fd) == 0 && fchmod(fd, info.st_mode & 0o7777) == 0
        close(fd)
        guard written, synced else {
            throw Failure(description: "\(path): cannot write the fixed file: \(String(cString: strerror(written ? errno : writeError))); original unchanged")
        }
        guard rename(temp, path) == 0 else {
            throw Failure(description: "\(path): cannot replace the file: \(String(cString: strerror(errno))); original unchanged")
        }
        ok = true
    }
}
