#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import YAMLSource

/// A path the command could not read: exit code 2, not a finding.
public struct InputError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// An input reported instead of read: a FIFO or device found under a directory, a symbolic link
/// out of the tree, a directory that cannot be listed, a file past a limit. A BF003 finding for
/// that path alone; the run goes on.
public struct Unread: Sendable {
    public let file: String
    public let message: String
    public let severity: Severity
    public let position: Position

    public init(file: String, message: String, severity: Severity = .error, position: Position = Position(offset: 0, line: 1, column: 1)) {
        self.file = file
        self.message = message
        self.severity = severity
        self.position = position
    }

    var finding: Finding {
        UnreadableRule.finding(at: Loc(file: file, range: SourceRange(start: position, end: position), path: "", lineText: ""), message: message, severity: severity)
    }
}

/// One input of a run: a file, or standard input (`-`).
public struct InputFile: Sendable {
    public let name: String
    /// nil for standard input.
    public let path: String?
    /// Text already in memory (helm template output).
    let bytes: [UInt8]?
    /// Named on the command line rather than found in a directory. Such a path is read whatever
    /// it is, as `kubectl apply -f` and ruff read what they are given: `<(helm template …)` is a
    /// pipe, and /dev/stdin is another name for standard input. Found under a directory, only
    /// regular files are read: a FIFO there would wait for a writer forever.
    public let explicit: Bool
    /// Reported, not read (see `Unread`).
    public let unread: Unread?

    public init(name: String, path: String?, explicit: Bool = true) {
        self.name = name
        self.path = path
        self.bytes = nil
        self.explicit = explicit
        self.unread = nil
    }

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.path = nil
        self.bytes = bytes
        self.explicit = true
        self.unread = nil
    }

    init(unread: Unread) {
        name = unread.file
        path = nil
        bytes = nil
        explicit = false
        self.unread = unread
    }

    /// Why this input is reported instead of read, looked up (with stat, which never blocks)
    /// when its turn comes: the tree may have changed since it was listed.
    public func skipped() -> Unread? {
        if let unread { return unread }
        guard let path, !explicit else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }  // opening it says why
        guard let kind = Self.irregular(info.st_mode) else { return nil }
        return Unread(file: name, message: "not a regular file (\(kind)); skipped")
    }

    /// What a file that is neither a regular file nor a directory is, for messages.
    static func irregular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a file"
        }
    }

    /// Opens the file without waiting for a writer: a FIFO nobody writes to reads as empty
    /// instead of blocking the run (reads then wait for data as usual).
    func openDescriptor(_ path: String) -> Result<Int32, ReadFailure> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return .failure(ReadFailure(String(cString: strerror(errno)))) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR {
                close(fd)
                return .failure(ReadFailure("is a directory"))
            }
            // Listed as a regular file, replaced by something else since.
            if !explicit, let kind = Self.irregular(info.st_mode) {
                close(fd)
                return .failure(ReadFailure("not a regular file (\(kind)); skipped"))
            }
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return .success(fd)
    }

    /// Reads the input a document at a time. The file is opened by the first read and closed at
    /// its end, so a run holds one input open however many it lists. An input that cannot be
    /// opened (deleted since it was listed, no permission) reads as nothing, with the reason, so
    /// the others still run.
    public func reader() -> DocumentReader {
        if let bytes { return DocumentReader(name: name, bytes: bytes) }
        if let unread { return DocumentReader(name: name, failure: unread.message) }
        guard let path else { return DocumentReader(name: name, fileDescriptor: 0) }
        return DocumentReader(name: name, opening: { openDescriptor(path) })
    }

    /// A whole input, or why it is reported instead.
    public enum Loaded {
        /// `inPlace`: a regular file, which `--fix` may rewrite.
        case source(SourceFile, inPlace: Bool)
        case unread(Unread)
    }

    /// Reads the whole input (what `--fix` and `--diff` edit), at most `limits.maxFileBytes`;
    /// a file past the limit, or holding a NUL byte (binary: no fix applies), is reported
    /// instead, as soon as reading sees it.
    public func load(limits: ParseLimits = ParseLimits()) throws -> Loaded {
        if let bytes { return .source(SourceFile(name: name, bytes: bytes), inPlace: false) }
        if let unread = skipped() { return .unread(unread) }
        var fd: Int32 = 0
        var inPlace = false
        if let path {
            switch openDescriptor(path) {
            case .success(let opened): fd = opened
            case .failure(let failure): throw InputError(description: "\(path): cannot be read: \(failure.reason)")
            }
            var info = stat()
            inPlace = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
        defer { if path != nil { close(fd) } }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                if path == nil { throw InputError(description: "\(name): standard input cannot be read: \(String(cString: strerror(errno)))") }
                throw InputError(description: "\(name): cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            if !UTF16Text.isUTF16(out.isEmpty ? Array(chunk[0..<min(n, 2)]) : out), let nul = chunk[0..<n].firstIndex(of: 0) {
                let at = out.count + nul
                out += chunk[0..<nul]
                let position = SourceFile(name: name, bytes: out).position(ofByte: at)
                return .unread(Unread(file: name, message: "not readable as YAML text: a NUL byte at byte \(at) (a binary file?); not read", position: position))
            }
            guard out.count + n <= limits.maxFileBytes else {
                return .unread(Unread(file: name, message: "input larger than \(limits.maxFileBytes) bytes; not read"))
            }
            out += chunk[0..<n]
        }
        return .source(SourceFile(name: name, bytes: out), inPlace: inPlace)
    }
}

/// Turns command-line paths into sources the way `kubectl apply -f` does: files as given,
/// directories by their YAML/JSON files (recursively with `-R`), `-` for stdin. A chart
/// directory contributes Chart.yaml, Chart.lock and its values files, not its templates.
///
/// Under `-R`, a symbolic link that leads out of the directory given is not followed unless
/// `followSymlinks` is set: a repository's tree should not make the linter read /proc, /dev or
/// another checkout. Such a link is an info-level BF003 finding (it is skipped, which the user
/// may not expect, but nothing in it is wrong), so `--fail-on info` can make it fail a run.
public struct InputCollector {
    public var recursive: Bool
    public var followSymlinks: Bool
    /// The name standard input is read and reported as (`--stdin-filename`): `Chart.yaml` or
    /// `config.json` piped in is then recognised as one.
    public var stdinName = "-"

    public init(recursive: Bool, followSymlinks: Bool = false) {
        self.recursive = recursive
        self.followSymlinks = followSymlinks
    }

    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// Each file once, however it was reached: named twice, named and found in a directory
    /// given too (`lint dir dir/values.yaml`), spelled `./dir/x.yaml` and `dir/x.yaml`, or
    /// reached through a symbolic link. Read twice, its objects would be two renderings of one
    /// release and every finding in it would be reported twice. The first spelling met is the
    /// one reported.
    public func collect(_ paths: [String]) throws -> [InputFile] {
        var out: [InputFile] = []
        var stdinUsed = false
        var seen: [FileIdentity: Int] = [:]
        func add(_ files: [InputFile]) {
            for file in files {
                guard let identity = FileIdentity(file) else { out.append(file); continue }
                if let first = seen[identity] {
                    // Named on the command line the second time: read it whatever it is.
                    if file.explicit && !out[first].explicit, let path = out[first].path {
                        out[first] = InputFile(name: out[first].name, path: path)
                    }
                    continue
                }
                seen[identity] = out.count
                out.append(file)
            }
        }
        for path in paths {
            if path == "-" {
                guard !stdinUsed else { continue }
                stdinUsed = true
                out.append(InputFile(name: stdinName, path: nil))
                continue
            }
            guard let isDirectory = System.isDirectory(path) else {
                // The system's reason: a link to itself is a loop, not a missing file.
                let reason = System.statFailure(path) ?? "No such file or directory"
                throw InputError(description: "\(path): \(reason == "No such file or directory" ? "no such file or directory" : reason)")
            }
            if isDirectory {
                let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                // Loops are looked for within one tree: a directory given again, or given and
                // also under another one given, is no loop (its files are read once anyway).
                visited.seen.removeAll()
                add(files(inDirectory: path, tree: Self.realPath(base) ?? base))
            } else {
                // Opened when read: one that cannot be is a finding for it alone.
                add([InputFile(name: path, path: path)])
            }
        }
        return out
    }

    /// What makes two inputs one file: its device and inode (every spelling and link of it
    /// leads there, a pipe included), or its real path, or, for what cannot be reached (a
    /// file that vanished, a finding instead of a read), its name.
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
        /// By bytes: `é` and `e` + U+0301 name two files.
        let name: ExactString

        init?(_ file: InputFile) {
            if let unread = file.unread {
                (device, inode, name) = (0, 0, ExactString("unread:" + unread.file))
                return
            }
            guard let path = file.path else { return nil }
            var info = stat()
            if stat(path, &info) == 0 {
                (device, inode, name) = (UInt64(info.st_dev), UInt64(info.st_ino), ExactString(""))
            } else {
                (device, inode, name) = (0, 0, ExactString(InputCollector.realPath(path) ?? path))
            }
        }
    }

    /// Directories already listed, by device and inode, so a symlink loop under -R ends.
    final class Visited {
        var seen = Set<[UInt64]>()
        var skipped: [String] = []
    }
    private let visited = Visited()

    /// Subdirectories not descended into without -R, so the command can say so: "0 files"
    /// and exit 0 on a tree of subdirectories reads as "all clean".
    public var skippedDirectories: [String] { visited.skipped }

    /// The files to read under `dir`, and what is reported instead of read. `tree` is the real
    /// path of the directory named on the command line.
    func files(inDirectory dir: String, tree: String) -> [InputFile] {
        let base = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        var info = stat()
        if stat(base, &info) == 0 {
            guard visited.seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
                System.printError("kubectl-bifrost: warning: \(dir): already read (a symbolic link loop?); skipped\n")
                return []
            }
        }
        if FileManager.default.fileExists(atPath: base + "/Chart.yaml") {
            // A chart: its Chart.yaml, Chart.lock and values files; with -R also what users keep
            // beside them (values-examples/, ci/, environment values, subcharts' values), but
            // never the Go templates, which are not YAML until rendered.
            guard recursive else { return chartFiles(base) }
            var out = chartFiles(base)
            for entry in Self.ordered((try? Self.list(base).get()) ?? []) where !entry.hasPrefix(".") && entry != "templates" {
                let path = base + "/" + entry
                if System.isDirectory(path) == true { out += files(inDirectory: path, tree: tree) }
            }
            return out
        }
        let entries: [String]
        switch Self.list(base) {
        case .success(let names): entries = names
        case .failure(let failure):
            // This directory alone: the rest of the tree is still read.
            return [InputFile(unread: Unread(file: dir, message: "cannot list directory: \(failure.reason); skipped"))]
        }
        var out: [InputFile] = []
        for entry in Self.ordered(entries) where !entry.hasPrefix(".") {
            let path = base + "/" + entry
            let wanted = Self.extensions.contains(System.pathExtension(entry))
            guard let isDirectory = System.isDirectory(path) else {
                if System.isSymbolicLink(path), wanted || recursive {
                    System.printError("kubectl-bifrost: warning: \(path): broken or looping symbolic link; skipped\n")
                }
                continue
            }
            if isDirectory && !recursive { visited.skipped.append(path); continue }
            guard isDirectory || wanted else { continue }
            if recursive, !followSymlinks, System.isSymbolicLink(path), let target = Self.realPath(path), !target.isWithin(directory: tree) {
                out.append(InputFile(unread: Unread(file: path, message: "symbolic link to \(target), outside the tree; not followed (name it as a path, or use --follow-symlinks)", severity: .info)))
                continue
            }
            if isDirectory {
                out += files(inDirectory: path, tree: tree)
            } else {
                out.append(InputFile(name: path, path: path, explicit: false))
            }
        }
        return out
    }

    func chartFiles(_ dir: String) -> [InputFile] {
        let entries = (try? Self.list(dir).get()) ?? []
        return Self.ordered(entries).filter { e in
            e == "Chart.yaml" || e == "Chart.lock" || (e.hasPrefix("values") && (e.hasSuffix(".yaml") || e.hasSuffix(".yml")))
        }.map { InputFile(name: dir + "/" + $0, path: dir + "/" + $0, explicit: false) }
    }

    /// The names in a directory, or why it cannot be listed.
    static func list(_ dir: String) -> Result<[String], ReadFailure> {
        guard let handle = opendir(dir) else { return .failure(ReadFailure(String(cString: strerror(errno)))) }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { return .failure(ReadFailure(String(cString: strerror(errno)))) }
                return .success(names)
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }


    /// Names in order, and two that are canonically equal but written otherwise (`é`, `e` +
    /// U+0301) by their bytes, not in the order the directory lists them.
    static func ordered(_ names: [String]) -> [String] {
        names.sorted(by: String.stableOrder)
    }
}
