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

/// One input of a run: a file, or standard input (`-`).
public struct InputFile: Sendable {
    public let name: String
    /// nil for standard input.
    public let path: String?
    /// Text already in memory (helm template output).
    let bytes: [UInt8]?

    public init(name: String, path: String?) {
        self.name = name
        self.path = path
        self.bytes = nil
    }

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.path = nil
        self.bytes = bytes
    }

    /// Reads the input a document at a time. An input that cannot be opened (deleted since it
    /// was listed, no permission) reads as nothing, with the reason, so the others still run.
    public func reader() -> DocumentReader {
        if let bytes { return DocumentReader(name: name, bytes: bytes) }
        guard let path else { return DocumentReader(name: name, fileDescriptor: 0) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return DocumentReader(name: name, failure: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            return DocumentReader(name: name, failure: "is a directory")
        }
        return DocumentReader(name: name, fileDescriptor: fd, closeAtEnd: true)
    }

    /// Reads the whole input (what `--fix` and `--diff` edit).
    public func load() throws -> SourceFile {
        if let bytes { return SourceFile(name: name, bytes: bytes) }
        guard let path else {
            guard let bytes = System.readAll(0) else { throw InputError(description: "-: standard input cannot be read") }
            return SourceFile(name: name, bytes: bytes)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(description: "\(path): cannot be read (permission denied?)")
        }
        return SourceFile(name: name, bytes: Array(data))
    }
}

/// Turns command-line paths into sources the way `kubectl apply -f` does: files as given,
/// directories by their YAML/JSON files (recursively with `-R`), `-` for stdin. A chart
/// directory contributes Chart.yaml, Chart.lock and its values files, not its templates.
public struct InputCollector {
    public var recursive: Bool

    public init(recursive: Bool) {
        self.recursive = recursive
    }

    static let extensions: Set<String> = ["yaml", "yml", "json"]

    public func collect(_ paths: [String]) throws -> [InputFile] {
        var out: [InputFile] = []
        var stdinUsed = false
        for path in paths {
            if path == "-" {
                guard !stdinUsed else { continue }
                stdinUsed = true
                out.append(InputFile(name: "-", path: nil))
                continue
            }
            guard let isDirectory = System.isDirectory(path) else {
                throw InputError(description: "\(path): no such file or directory")
            }
            if isDirectory {
                for file in try files(inDirectory: path) { out.append(InputFile(name: file, path: file)) }
            } else {
                // Opened when read: one that cannot be is a finding for it alone.
                out.append(InputFile(name: path, path: path))
            }
        }
        return out
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

    func files(inDirectory dir: String) throws -> [String] {
        let fm = FileManager.default
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        var info = stat()
        if stat(base, &info) == 0 {
            guard visited.seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
                System.printError("kubectl-bifrost: warning: \(dir): already read (a symbolic link loop?); skipped\n")
                return []
            }
        }
        if fm.fileExists(atPath: base + "/Chart.yaml") {
            return chartFiles(base)
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: base) else {
            throw InputError(description: "\(dir): cannot list directory")
        }
        var out: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = base + "/" + entry
            guard let isDirectory = System.isDirectory(path) else {
                if System.isSymbolicLink(path), Self.extensions.contains(System.pathExtension(entry)) || recursive {
                    System.printError("kubectl-bifrost: warning: \(path): broken or looping symbolic link; skipped\n")
                }
                continue
            }
            if isDirectory {
                if recursive { out += try files(inDirectory: path) } else { visited.skipped.append(path) }
            } else if Self.extensions.contains(System.pathExtension(entry)) {
                out.append(path)
            }
        }
        return out
    }

    func chartFiles(_ dir: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return entries.sorted().filter { e in
            e == "Chart.yaml" || e == "Chart.lock" || (e.hasPrefix("values") && (e.hasSuffix(".yaml") || e.hasSuffix(".yml")))
        }.map { dir + "/" + $0 }
    }
}
