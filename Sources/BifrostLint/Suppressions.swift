#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// `# kubectl-bifrost: disable=CODE[,CODE]` (its own line, or the next one when the comment stands
/// alone), `# kubectl-bifrost: disable-file=CODE`, and the object annotation
/// `kubectl-bifrost.io/ignore: "CODE,CODE"`. libyaml drops comments, so they are found in the
/// text, skipping `#` inside quoted and block scalars.
struct Suppressions: Sendable {
    enum Scope: Equatable, Sendable {
        case line(Int)
        case file
        case object(Range<Int>)
        /// A malformed directive: it suppresses nothing, and BF004 says why.
        case none
    }

    struct Directive: Sendable {
        let file: String
        let scope: Scope
        let codes: [String]
        /// Written codes that name no rule.
        let unknown: [String]
        let loc: Loc
        var used = Set<String>()
        /// Why a `# kubectl-bifrost:` comment is not a directive.
        var malformed: String? = nil
    }

    static let annotation = "kubectl-bifrost.io/ignore"
    var directives: [Directive]

    init(directives: [Directive]) {
        self.directives = directives
    }

    /// The directives written in these parses: comments in their text, annotations on their objects.
    static func directives(parses: [ParseResult], objects: [KubeObject], resolve: (String) -> String?) -> [Directive] {
        var out: [Directive] = []
        for parse in parses where parse.source.origin == nil {
            out += comments(in: parse, resolve: resolve)
        }
        for object in objects {
            guard let node = object.node["metadata"]?["annotations"]?[annotation], let text = node.scalarText else { continue }
            let (codes, unknown) = codes(text, resolve: resolve)
            out.append(Directive(file: node.source.name, scope: .object(object.node.byteRange), codes: codes, unknown: unknown, loc: Loc(node)))
        }
        return out
    }

    /// `BF302,BF303` or `BF302, empty-list-denies-all`; the list ends at the first word that is
    /// not joined by a comma, so a reason may follow it.
    static func codes(_ list: String, resolve: (String) -> String?) -> ([String], [String]) {
        var codes: [String] = [], unknown: [String] = []
        for raw in list.split(separator: ",", omittingEmptySubsequences: false) {
            let token = raw.drop(while: { $0 == " " || $0 == "\t" })
            let word = String(token.prefix(while: { $0 != " " && $0 != "\t" }))
            if !word.isEmpty {
                if let code = resolve(word) { codes.append(code) } else { unknown.append(word) }
            }
            if word.count < token.count { break }
        }
        return (codes, unknown)
    }

    static func comments(in parse: ParseResult, resolve: (String) -> String?) -> [Directive] {
        let source = parse.source
        let bytes = source.bytes
        let marker = Array("kubectl-bifrost:".utf8)
        // Cheap test first: most files have no directive at all.
        guard bytes.count >= marker.count, contains(bytes, marker) else { return [] }
        let excluded = parse.nonPlainScalarRanges
        var out: [Directive] = []
        for line in source.firstLine...source.lastLine {
            let lineBytes = source.lineBytes(line)
            var i = lineBytes.startIndex
            while i < lineBytes.endIndex {
                if lineBytes[i] == 0x23, i == lineBytes.startIndex || lineBytes[i - 1] == 0x20 || lineBytes[i - 1] == 0x09,
                   !excluded.contains(where: { $0.contains(i + source.baseOffset) }) {
                    let text = String(decoding: lineBytes[(i + 1)...], as: UTF8.self).trimmingCharacters(in: " \t")
                    if text.hasPrefix("kubectl-bifrost:") {
                        let body = String(text.dropFirst("kubectl-bifrost:".count)).trimmingCharacters(in: " \t")
                        let alone = lineBytes[lineBytes.startIndex..<i].allSatisfy { $0 == 0x20 || $0 == 0x09 }
                        let scope: Scope?
                        var list = ""
                        if body.hasPrefix("disable-file=") {
                            scope = .file
                            list = String(body.dropFirst("disable-file=".count))
                        } else if body.hasPrefix("disable=") {
                            scope = .line(alone ? line + 1 : line)
                            list = String(body.dropFirst("disable=".count))
                        } else {
                            scope = nil
                        }
                        let from = source.position(ofByte: i + source.baseOffset)
                        let to = source.position(ofByte: lineBytes.endIndex + source.baseOffset)
                        let loc = Loc(source: source, position: from, end: to)
                        // A misspelt directive would otherwise hide nothing and say nothing,
                        // while its author believes the finding is handled.
                        if let scope {
                            let (codes, unknown) = Self.codes(list, resolve: resolve)
                            var directive = Directive(file: source.name, scope: scope, codes: codes, unknown: unknown, loc: loc)
                            if codes.isEmpty && unknown.isEmpty {
                                directive.malformed = "malformed suppression: no rule after '='; write disable=CODE[,CODE]"
                            }
                            out.append(directive)
                        } else {
                            out.append(Directive(file: source.name, scope: .none, codes: [], unknown: [], loc: loc, malformed: Self.malformed(body)))
                        }
                    }
                    break
                }
                i += 1
            }
        }
        return out
    }

    /// What is wrong with a `# kubectl-bifrost:` comment that is not `disable=` or `disable-file=`.
    static func malformed(_ body: String) -> String {
        let verb = String(body.prefix(while: { $0.isLetter || $0 == "-" }))
        let rest = String(body.dropFirst(verb.count)).trimmingCharacters(in: " \t")
        if verb == "disable" || verb == "disable-file" {
            if rest.hasPrefix("=") || rest.hasPrefix(":") {
                let codes = String(rest.dropFirst()).trimmingCharacters(in: " \t")
                return "malformed suppression: write \(verb)=\(codes.isEmpty ? "CODE" : codes) with no space around '='; it suppresses nothing as written"
            }
            return "malformed suppression: '\(verb)' names no rule; write \(verb)=CODE[,CODE]"
        }
        return "malformed suppression: expected disable=CODE[,CODE] or disable-file=CODE after 'kubectl-bifrost:'"
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        // Runs over every document of a stream: memchr to each candidate first byte, then memcmp.
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                guard let base = h.baseAddress, let target = n.baseAddress else { return false }
                let first = Int32(n[0])
                var from = 0
                let last = h.count - n.count
                while from <= last, let hit = memchr(base + from, first, last - from + 1) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, target, n.count) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// Drops suppressed findings and remembers which directives were used.
    mutating func filter(_ findings: [Finding]) -> [Finding] {
        findings.filter { !suppresses(file: $0.file, code: $0.code, start: $0.range.start) }
    }

    /// Whether a finding of `code` at `start` in `file` is suppressed; remembers the directives used.
    mutating func suppresses(file: String, code: String, start: Position) -> Bool {
        var suppressed = false
        // By bytes: a file named the same in another normal form is another file.
        for i in directives.indices where directives[i].file.sameBytes(as: file) && directives[i].codes.contains(code) {
            let hit: Bool
            switch directives[i].scope {
            case .file: hit = true
            case .line(let line): hit = start.line == line
            case .object(let range): hit = range.contains(start.offset)
            case .none: hit = false
            }
            if hit {
                directives[i].used.insert(code)
                suppressed = true
            }
        }
        return suppressed
    }
}
