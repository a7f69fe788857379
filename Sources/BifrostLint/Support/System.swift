#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What the tool needs from the operating system beyond FoundationEssentials, so the binary does
// not load Foundation and its ICU data (about 7 MB of resident memory and start-up time).

/// A mutual-exclusion lock for state shared between the worker threads.
public final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() {
        #if os(Linux)
        // Held for a hash and a copy at a time by every worker: spinning a moment before
        // sleeping saves the futex round trips of a contended run (thousands of them).
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        #else
        pthread_mutex_init(mutex, nil)
        #endif
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

public enum System {
    /// Cores this process may run on.
    static let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Writes to standard output, retrying short writes. A failed write (a full disk, a closed
    /// pipe with SIGPIPE ignored) ends the run with a message and exit 2: a report that did not
    /// reach its reader must not pass for a clean run.
    public static func printOutput(_ text: String) {
        if let error = writeAll(1, text) {
            printError("kubectl-bifrost: cannot write to standard output: \(error)\n")
            exit(2)
        }
    }

    /// Writes all of `text`, retrying short and interrupted writes; the reason when it could not.
    static func writeAll(_ fd: Int32, _ text: String) -> String? {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? String(cString: strerror(errno)) : "nothing written" }
            done += n
        }
        return nil
    }

    /// Writes to standard error, retrying short writes; a closed stderr is ignored.
    public static func printError(_ text: String) {
        _ = writeAll(2, text)
    }

    /// The file's type, following symbolic links; nil when it does not exist or cannot be reached.
    /// Why `path` cannot be opened for reading (the system's message), or "unknown reason"
    /// when it now can.
    public static func reason(opening path: String) -> String {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd >= 0 {
            var info = stat()
            let isDir = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            close(fd)
            return isDir ? "is a directory" : "unknown reason"
        }
        return String(cString: strerror(errno))
    }

    /// Why `stat` fails on `path`: "No such file or directory", "Too many levels of symbolic
    /// links" (a link to itself), "Permission denied" on a directory on the way…
    public static func statFailure(_ path: String) -> String? {
        var info = stat()
        return stat(path, &info) == 0 ? nil : String(cString: strerror(errno))
    }

    public static func isDirectory(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Every byte readable from a descriptor; nil on a read error.
    public static func readAll(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }

    /// The lower-cased extension of a file name: "yaml" for "values.YAML", "" for none.
    public static func pathExtension(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }
}

extension System {
    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs a program to completion with both outputs captured. Both pipes are drained together,
    /// so a child that fills one while we read the other cannot stall.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: [UInt8], errors: [UInt8]) {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0 else { throw SpawnError(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw SpawnError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw SpawnError(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }

        var output: [UInt8] = [], errors: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while fds.contains(where: { $0.fd >= 0 }) {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    close(fds[i].fd)
                    fds[i].fd = -1
                } else if i == 0 {
                    output += chunk[0..<n]
                } else {
                    errors += chunk[0..<n]
                }
            }
        }
        for f in fds where f.fd >= 0 { close(f.fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exit code when it exited, 128 + signal when it was killed (as a shell reports it).
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output, errors)
    }
}

/// Tests on eight bytes at once: each sets the high bit of a byte that may be one sought
/// (a false alarm is possible, a miss is not).
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A byte below 0x20 (a borrow), or 0x7F and above (a high bit, itself or plus one).
    @inline(__always)
    static func outsidePrintable(_ w: UInt64) -> UInt64 {
        ((w | (w &+ ones)) & highs) | ((w &- 0x2020_2020_2020_2020) & ~w & highs)
    }

    /// A byte equal to `b`.
    @inline(__always)
    static func anyByte(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & highs
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether every byte is `plain`, eight at a time: only a word that `suspect` flags is
    /// asked byte by byte.
    @inline(__always)
    func allBytes(_ plain: (UInt8) -> Bool, suspect: (UInt64) -> UInt64) -> Bool {
        guard let p = baseAddress else { return true }
        var i = 0
        while i + 8 <= count {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if suspect(w) != 0, !(i..<i + 8).allSatisfy({ plain(p[$0]) }) { return false }
            i += 8
        }
        while i < count {
            if !plain(p[i]) { return false }
            i += 1
        }
        return true
    }
}
