#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLSource

/// `.kubectl-bifrost.yaml`: which rules run, at what severity, and which paths are skipped.
///
///     enable: [BF101, BF102]        # only these (default: all)
///     disable: [BF104, rolling-update]
///     severity: {BF106: error}
///     ignore: ["vendor/**", "**/values-dev.yaml"]
///     fail-on: warning
public struct Configuration: Sendable {
    public var enable: [String] = []
    public var disable: [String] = []
    public var severity: [String: Severity] = [:]
    public var ignore: [String] = []
    public var failOn: String?
    /// The settings file's directory: `ignore:` globs are relative to it, as in .gitignore and
    /// ruff's `exclude`, whatever the working directory or the way a path was typed.
    public var baseDirectory: String?

    public static let fileName = ".kubectl-bifrost.yaml"

    public init() {}

    /// A config file problem, with the position of the offending node.
    public struct Problem: Error, CustomStringConvertible {
        public let file: String
        public let position: Position
        public let message: String
        public var description: String { "\(file):\(position.line):\(position.column): \(message)" }
    }

    public static func parse(_ source: SourceFile) throws -> Configuration {
        let result = YAMLParser.parse(source)
        if let error = result.error {
            throw Problem(file: source.name, position: error.position, message: error.message)
        }
        if let dup = result.duplicateKeys.first {
            throw Problem(file: source.name, position: dup.key.range.start, message: "key '\(dup.key.keyString)' is repeated")
        }
        var config = Configuration()
        guard let root = result.documents.first?.root, !root.isNull else { return config }
        guard root.isMapping else {
            throw Problem(file: source.name, position: root.range.start, message: "expected a mapping of settings")
        }
        func fail(_ node: Node, _ message: String) -> Problem {
            Problem(file: source.name, position: node.range.start, message: message)
        }
        func codes(_ node: Node) throws -> [String] {
            guard node.isSequence else { throw fail(node, "expected a list of rule codes or names") }
            return try node.items.map { item in
                guard let text = item.value?.description, let rule = RuleRegistry.rule(named: text) else {
                    throw fail(item, "unknown rule '\(item.scalarText ?? "?")'; `kubectl bifrost rules` lists them")
                }
                return rule.description.code
            }
        }
        for pair in root.pairs {
            switch pair.key.keyString {
            case "enable": config.enable = try codes(pair.value)
            case "disable":
                config.disable = try codes(pair.value)
                if let i = config.disable.firstIndex(where: Self.alwaysOn.contains) {
                    throw fail(pair.value.items[i], Self.cannotDisable(config.disable[i]))
                }
            case "severity":
                guard pair.value.isMapping else { throw fail(pair.value, "expected a mapping of rule to severity") }
                for p in pair.value.pairs {
                    guard let rule = RuleRegistry.rule(named: p.key.keyString) else {
                        throw fail(p.key, "unknown rule '\(p.key.keyString)'")
                    }
                    guard let text = p.value.string, let sev = Severity(rawValue: text) else {
                        throw fail(p.value, "severity must be error, warning or info")
                    }
                    config.severity[rule.description.code] = sev
                }
            case "ignore":
                guard pair.value.isSequence else { throw fail(pair.value, "expected a list of path globs") }
                config.ignore = try pair.value.items.map { item in
                    guard let s = item.string else { throw fail(item, "expected a path glob string") }
                    return s
                }
            case "fail-on":
                guard let s = pair.value.string, ["error", "warning", "info", "none"].contains(s) else {
                    throw fail(pair.value, "fail-on must be error, warning, info or none")
                }
                config.failOn = s
            default:
                throw fail(pair.key, "unknown setting '\(pair.key.keyString)' (expected enable, disable, severity, ignore, fail-on)")
            }
        }
        return config
    }

    public func isIgnored(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> Bool {
        guard !ignore.isEmpty, path != "-" else { return false }
        guard let base = baseDirectory else {
            let normalized = path.droppingPrefix("./") ?? path
            return ignore.contains { Glob.matches($0, normalized) }
        }
        // Both sides absolute, `..` removed and symbolic links in the directories resolved, so
        // `lint -R ..`, `lint $PWD/vendor` and `lint vendor` name the same file.
        func real(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        let url = URL(fileURLWithPath: absolute).standardizedFileURL
        let full = real(url.deletingLastPathComponent().path) + "/" + url.lastPathComponent
        let root = real(base)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        // Outside the settings file's tree no glob of it applies (as with .gitignore).
        // By bytes: `é` and `e` + U+0301 name two directories.
        guard let relative = full.droppingPrefix(prefix) else { return false }
        return ignore.contains { Glob.matches($0, relative) }
    }

    /// Input errors: a file that does not parse, repeats a key or cannot be read was not
    /// checked at all, so saying nothing would read as "clean". As ruff does with syntax errors,
    /// they are reported whatever the selection and cannot be disabled (`ignore:` skips a file).
    public static let alwaysOn: Set<String> = ["BF001", "BF002", "BF003"]

    public static func cannotDisable(_ code: String) -> String {
        let name = RuleRegistry.rule(named: code).map { " (\($0.description.name))" } ?? ""
        return "\(code)\(name) is an input error and cannot be disabled: a file that is not read is not checked; skip the file with ignore: in \(fileName) instead"
    }

    /// The rules to run, given command-line `--enable`/`--disable` on top of this file.
    public func rules(enable cliEnable: [String], disable cliDisable: [String]) -> [any Rule] {
        let wanted = Set((cliEnable.isEmpty ? enable : cliEnable).compactMap { RuleRegistry.rule(named: $0)?.description.code })
        let skipped = Set((disable + cliDisable).compactMap { RuleRegistry.rule(named: $0)?.description.code })
        return RuleRegistry.all.filter { r in
            let code = r.description.code
            return Self.alwaysOn.contains(code) || ((wanted.isEmpty || wanted.contains(code)) && !skipped.contains(code))
        }
    }
}

/// Path globs: `*` and `?` within a segment, `**` across segments. `?` is one character; a
/// character matches only the same code points, as the file system tells names apart (`é` and
/// `e` + U+0301 are two names).
enum Glob {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        // Cut at the byte `/`: a name that starts with a combining mark would join it as one
        // Character, and the cut be missed.
        let p = pattern.utf8.split(separator: 0x2F).map { String(Substring($0)) }
        let s = path.utf8.split(separator: 0x2F).map { String(Substring($0)) }
        // A pattern without a slash matches the name at any depth, as in .gitignore.
        if !pattern.utf8.contains(0x2F) { return s.last.map { segment(pattern, $0) } ?? false }
        return match(p[...], s[...])
    }

    private static func match(_ p: ArraySlice<String>, _ s: ArraySlice<String>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        if first == "**" {
            var rest = s
            while true {
                if match(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let name = s.first, segment(first, name) else { return false }
        return match(p.dropFirst(), s.dropFirst())
    }

    static func segment(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern), n = Array(name)
        var memo: [Int: Bool] = [:]
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (n.count + 1) + j
            if let m = memo[key] { return m }
            let r: Bool
            if i == p.count { r = j == n.count }
            else if p[i] == "*" { r = go(i + 1, j) || (j < n.count && go(i, j + 1)) }
            else if j < n.count && (p[i] == "?" || p[i].unicodeScalars.elementsEqual(n[j].unicodeScalars)) { r = go(i + 1, j + 1) }
            else { r = false }
            memo[key] = r
            return r
        }
        return go(0, 0)
    }
}
