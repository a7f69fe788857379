#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's content all at once: a temporary file beside it, synced, given the original
/// owner, group and permissions, then renamed over it. A failure at any step, and every refusal,
/// leaves the original untouched.
public enum AtomicWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func replace(_ path: String, with bytes: [UInt8], expecting original: [UInt8]) throws {
        func fail(_ reason: String) -> Failure { Failure(description: "\(path): \(reason)") }
        func why(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

        // Renaming onto a symlink would replace the link and leave the file it names unfixed: the
        // fix belongs to the target (and the temporary file beside it, so the rename stays on one
        // file system), and the link stays a link.
        guard let resolved = realpath(path, nil) else { throw fail("cannot be read any more; not written") }
        let target = String(cString: resolved)
        free(resolved)

        guard let current = FileManager.default.contents(atPath: target) else {
            throw fail("cannot be read any more; not written")
        }
        guard Array(current) == original else {
            throw fail("changed since it was read; not written (run again)")
        }
        var info = stat()
        guard stat(target, &info) == 0 else { throw fail(why()) }

        // As `sed -i` users and editors expect, a file nobody may write is read-only on purpose even
        // for root, whom the kernel would let write anything; otherwise the kernel's answer for this
        // user decides. Without this, rename would replace a file the user may not write whenever
        // its directory is writable.
        guard info.st_mode & 0o222 != 0, faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) == 0 else {
            throw fail("is read-only; not written")
        }
        // Hard links are refused, not written in place. A rename would split them (the other names
        // keep the unfixed text); writing through the shared inode would give up atomicity, so a
        // crash or full disk halfway would leave every name truncated. Hard-linked configs are
        // mostly deliberate (snapshot trees from `cp -al` or rsnapshot), where changing every copy
        // surprises as much as splitting them, so the user chooses.
        guard info.st_nlink <= 1 else {
            throw fail("has \(info.st_nlink) hard links, which a fix would split; not written (to fix this name alone, give it its own copy first: cp FILE FILE.new && mv FILE.new FILE)")
        }

        let dir = URL(fileURLWithPath: target).deletingLastPathComponent().path
        let name = URL(fileURLWithPath: target).lastPathComponent
        var template = Array("\(dir)/.\(name).kubectl-bifrost-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            let code = errno
            if [EACCES, EPERM, EROFS].contains(code) {
                throw fail("its directory \(dir) is not writable (\(why(code))), so no temporary file can be made there; not written")
            }
            throw fail("cannot create a temporary file in \(dir): \(why(code)); not written")
        }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        defer {
            close(fd)
            if !renamed { unlink(temp) }
        }

        // The temporary file belongs to whoever runs the fix. It gets the original's owner and
        // group (root may give any; others only their own uid and groups); when that is refused
        // the fix is too, rather than quietly handing the file to someone else. fchmod comes after
        // fchown, which clears set-id bits.
        guard fchown(fd, info.st_uid, info.st_gid) == 0 else {
            throw fail("is owned by uid:gid \(info.st_uid):\(info.st_gid), which the rewritten file could not keep (\(why())); not written (run as its owner or as root)")
        }
        guard fchmod(fd, info.st_mode & 0o7777) == 0 else {
            throw fail("cannot give the fixed file the original's permissions: \(why()); original unchanged")
        }
        var writeError: Int32 = 0
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    writeError = errno
                    return false
                }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            throw fail("cannot write the fixed file: \(why(written ? errno : writeError)); original unchanged")
        }
        guard rename(temp, target) == 0 else {
            throw fail("cannot replace the file: \(why()); original unchanged")
        }
        renamed = true
    }
}
