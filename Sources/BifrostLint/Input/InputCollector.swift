import Foundation
import YAMLSource

/// A path the command could not read: exit code 2, not a finding.
public struct InputError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// Turns command-line paths into sources the way `kubectl apply -f` does: files as given,
/// directories by their YAML/JSON files (recursively with `-R`), `-` for stdin. A chart
/// directory contributes Chart.yaml, Chart.lock and its values files, not its templates.
public struct InputCollector {
    public var recursive: Bool
    public var readStdin: () -> [UInt8]

    public init(recursive: Bool, readStdin: @escaping () -> [UInt8] = { Array(FileHandle.standardInput.readDataToEndOfFile()) }) {
        self.recursive = recursive
        self.readStdin = readStdin
    }

    static let extensions: Set<String> = ["yaml", "yml", "json"]

    public func collect(_ paths: [String]) throws -> [SourceFile] {
        var out: [SourceFile] = []
        var stdinUsed = false
        for path in paths {
            if path == "-" {
                guard !stdinUsed else { continue }
                stdinUsed = true
                out.append(SourceFile(name: "-", bytes: readStdin()))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(description: "\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                for file in try files(inDirectory: path) { out.append(try read(file)) }
            } else {
                out.append(try read(path))
            }
        }
        return out
    }

    func read(_ path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(description: "\(path): cannot be read (permission denied?)")
        }
        return SourceFile(name: path, bytes: Array(data))
    }

    func files(inDirectory dir: String) throws -> [String] {
        let fm = FileManager.default
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        if fm.fileExists(atPath: base + "/Chart.yaml") {
            return chartFiles(base)
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: base) else {
            throw InputError(description: "\(dir): cannot list directory")
        }
        var out: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = base + "/" + entry
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive { out += try files(inDirectory: path) }
            } else if Self.extensions.contains((entry as NSString).pathExtension.lowercased()) {
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
