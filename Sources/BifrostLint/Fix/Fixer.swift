import YAMLSource

/// Applies fixes the way ruff does: non-overlapping edits per pass, re-lint, repeat; then checks
/// the result still parses and differs from the original only where the fixes meant to change it.
public struct Fixer: Sendable {
    public let linter: Linter
    public let includeUnsafe: Bool
    public var maxPasses = 8

    public init(linter: Linter, unsafe: Bool) {
        self.linter = linter
        self.includeUnsafe = unsafe
    }

    public struct FileResult: Sendable {
        public let original: SourceFile
        public let fixed: [UInt8]
        public let applied: Int
        /// Why nothing was written, when the fixes were refused.
        public let refusal: String?
        /// Fixes left out, each with the finding's place and the reason; the others were applied.
        public var refusedFixes: [String] = []

        public var changed: Bool { refusal == nil && fixed != original.bytes }
    }

    /// Fixes every source; the lint of the whole set is repeated so cross-file facts stay right.
    public func fix(_ sources: [SourceFile]) -> [FileResult] {
        var current = sources
        var applied = Array(repeating: 0, count: sources.count)
        var scopes = Array(repeating: [YAMLPath](), count: sources.count)
        for _ in 0..<maxPasses {
            let findings = linter.lint(current)
            var progressed = false
            for (i, source) in current.enumerated() {
                let fixes = findings.compactMap { f -> Fix? in
                    // By bytes: a file named the same in another normal form is another file.
                    guard f.file.sameBytes(as: source.name), let fix = f.fix, fix.applicability == .safe || includeUnsafe else { return nil }
                    return fix
                }
                var taken = TakenEdits()
                var count = 0
                for fix in fixes {
                    // A fix is applied whole or not at all in a pass.
                    if fix.edits.contains(where: taken.overlaps) { continue }
                    taken.add(fix.edits)
                    scopes[i] += fix.scopes
                    count += 1
                }
                if UTF16Text.isUTF16(source.bytes) {
                    // Edits are in UTF-8 offsets; this file's bytes are not.
                    applied[i] += count
                    continue
                }
                guard count > 0, let bytes = TextEdit.apply(taken.edits, to: source.bytes), bytes != source.bytes else { continue }
                current[i] = SourceFile(name: source.name, bytes: bytes)
                applied[i] += count
                progressed = true
            }
            if !progressed { break }
        }
        return sources.indices.map { i in
            if UTF16Text.isUTF16(sources[i].bytes) {
                return FileResult(original: sources[i], fixed: sources[i].bytes, applied: 0, refusal: applied[i] > 0 ? "UTF-16 files are not rewritten; convert it to UTF-8 to use --fix" : nil)
            }
            guard current[i].bytes != sources[i].bytes,
                  Self.verify(before: sources[i], after: current[i], scopes: scopes[i]) != nil else {
                return FileResult(original: sources[i], fixed: current[i].bytes, applied: applied[i], refusal: nil)
            }
            // Some fix breaks the file: find it by applying them one at a time, keep the rest.
            var others = current
            others[i] = sources[i]
            return fixOneByOne(i, in: others)
        }
    }

    /// The slow path after a refusal: each fix is applied alone and checked; the ones that would
    /// break the file are left out with their reason.
    func fixOneByOne(_ i: Int, in sources: [SourceFile]) -> FileResult {
        let original = sources[i]
        var current = sources
        var scopes: [YAMLPath] = []
        var refused: [ExactString: String] = [:]
        var applied = 0
        for _ in 0..<maxPasses {
            let start = current[i].bytes
            var taken = TakenEdits()
            let fixes = linter.lint(current).filter { f in
                guard f.file.sameBytes(as: original.name), let fix = f.fix else { return false }
                return fix.applicability == .safe || includeUnsafe
            }
            for finding in fixes {
                let id = ExactString("\(finding.code) \(finding.message)")
                guard refused[id] == nil, let fix = finding.fix, !fix.edits.contains(where: taken.overlaps),
                      let bytes = TextEdit.apply(taken.edits + fix.edits, to: start) else { continue }
                if let reason = Self.verify(before: original, after: SourceFile(name: original.name, bytes: bytes), scopes: scopes + fix.scopes) {
                    let why = reason.hasSuffix("; nothing written") ? String(reason.dropLast("; nothing written".count)) : reason
                    refused[id] = "\(finding.code) at \(finding.range.start.line):\(finding.range.start.column): \(why)"
                    continue
                }
                taken.add(fix.edits)
                scopes += fix.scopes
                applied += 1
            }
            guard !taken.edits.isEmpty, let bytes = TextEdit.apply(taken.edits, to: start), bytes != start else { break }
            current[i] = SourceFile(name: original.name, bytes: bytes)
        }
        var result = FileResult(original: original, fixed: current[i].bytes, applied: applied, refusal: nil)
        result.refusedFixes = refused.values.sorted(by: String.stableOrder)
        return result
    }

    static func overlap(_ x: TextEdit, _ y: TextEdit) -> Bool {
        let a = x.range, b = y.range
        // Items appended to one list at one point go in finding order.
        if x.isAppend && y.isAppend && a.isEmpty && b.isEmpty { return false }
        // Any other two insertions at one point would interleave unpredictably.
        return a.lowerBound < b.upperBound && b.lowerBound < a.upperBound || a.lowerBound == b.lowerBound
    }

    /// nil when `after` parses and every changed leaf lies under one of `scopes`.
    static func verify(before: SourceFile, after: SourceFile, scopes: [YAMLPath]) -> String? {
        let old = YAMLParser.parse(before), new = YAMLParser.parse(after)
        if let error = new.error, old.error == nil {
            return "the fixed text would not parse (\(error.message) at \(error.position)); nothing written"
        }
        guard old.documents.count == new.documents.count else {
            return "the fixes would change the number of documents; nothing written"
        }
        // A config.json carried by a ConfigMap or Secret is text to YAML: parse it too.
        let broken = { (p: ParseResult) in LintContext([p]).parses.dropFirst().filter { $0.error != nil }.count }
        if broken(new) > broken(old) {
            return "a config.json embedded in the file would not parse after the fixes; nothing written"
        }
        // Made once, not once a document: a stream of 1,600 documents fixed 8,000 times spent
        // nearly all of `--fix` rebuilding it.
        let written = Set(scopes)
        for (a, b) in zip(old.documents, new.documents) {
            let la = Leaves.of(a.root), lb = Leaves.of(b.root)
            // A node edited under one path shows up wherever it is aliased or merged too. Those
            // places are the fix's own only where they are the same kind of place (another
            // provider config, another virtual key): an anchored `[]` that is also someone's
            // `allowedOrigins` must not become `["*"]` there. Worked out only for a document
            // with a change outside the scopes as written.
            var aliased: Set<YAMLPath>?
            // Values by bytes: a change of Unicode normalisation alone is a change.
            for key in Set(la.keys).union(lb.keys) where la[key].map(ExactString.init) != lb[key].map(ExactString.init) && !key.isWithin(written) {
                if aliased == nil {
                    let sites = Leaves.sites(a.root)
                    var reached = Set<YAMLPath>()
                    for scope in scopes {
                        guard let node = Leaves.node(at: scope, in: a.root) else { continue }
                        reached.formUnion((sites[node] ?? []).filter { $0.lastKey.map(ExactString.init) == scope.lastKey.map(ExactString.init) })
                    }
                    aliased = reached
                }
                if let aliased, !key.isWithin(aliased) {
                    return "the fixes would change \(key.description.isEmpty ? "the document root" : key.description), which they do not own; nothing written"
                }
            }
        }
        return nil
    }
}

/// A document flattened to path → scalar meaning, for comparing two versions of it.
enum Leaves {
    /// Visits every node with the path it is reached by (aliases and merges expanded, which the
    /// parser's expansion limit keeps finite), parents before children.
    static func walk(_ root: Node?, _ visit: (Node, YAMLPath) -> Void) {
        guard let root else { return }
        var stack: [(Node, YAMLPath)] = [(root, .root)]
        while let (node, path) = stack.popLast() {
            visit(node, path)
            switch node.kind {
            case .scalar:
                break
            case .mapping:
                for p in node.pairs { stack.append((p.value, path.appending(key: p.key.keyString))) }
            case .sequence(let items, _):
                for (i, item) in items.enumerated() { stack.append((item, path.appending(index: i))) }
            }
        }
    }

    /// A document flattened to path → scalar meaning, for comparing two versions of it.
    static func of(_ root: Node?) -> [YAMLPath: String] {
        var out: [YAMLPath: String] = [:]
        walk(root) { node, path in
            switch node.kind {
            case .scalar(let s): out[path] = "\(s.value)"
            case .mapping: if node.pairs.isEmpty { out[path] = "{}" }
            case .sequence(let items, _): if items.isEmpty { out[path] = "[]" }
            }
        }
        return out
    }

    /// Every path at which each collection node appears, counting `<<` merges as appearances.
    static func sites(_ root: Node?) -> [Node: [YAMLPath]] {
        var out: [Node: [YAMLPath]] = [:]
        walk(root) { node, path in
            switch node.kind {
            case .scalar:
                break
            case .mapping(let own, _):
                out[node, default: []].append(path)
                for p in own where p.key.scalarText == "<<" {
                    for source in p.value.isSequence ? p.value.items : [p.value] {
                        out[source, default: []].append(path)
                    }
                }
            case .sequence:
                out[node, default: []].append(path)
            }
        }
        return out
    }
}

extension Leaves {
    static func node(at path: YAMLPath, in root: Node?) -> Node? {
        var node = root
        for c in path.components {
            switch c {
            case .key(let k): node = node?[k]
            case .index(let i): node = node?.item(i)
            }
        }
        return node
    }
}

extension YAMLPath {
    /// The last mapping key on the path (list indexes skipped): what kind of place it is.
    var lastKey: String? {
        for c in components.reversed() { if case .key(let k) = c { return k } }
        return nil
    }

    func hasPrefix(_ prefix: YAMLPath) -> Bool {
        components.count >= prefix.components.count && Array(components.prefix(prefix.components.count)) == prefix.components
    }
}

/// The edits taken in one pass, kept sorted by where they start, so a new fix is checked against
/// its neighbours only: thousands of fixes in one file cost about what linting it does.
struct TakenEdits {
    /// Replacements and plain insertions, which never overlap one another.
    private var ranges: [TextEdit] = []
    /// Appends at the end of a list, in the order taken (several may share one point).
    private var appends: [TextEdit] = []
    /// Their offsets, sorted.
    private var appendOffsets: [Int] = []

    /// Every edit; appends at one point stay in the order they were taken.
    var edits: [TextEdit] { ranges + appends }

    private static func firstIndex(in sorted: [Int], atLeast offset: Int) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func firstRange(atLeast offset: Int) -> Int {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func overlaps(_ e: TextEdit) -> Bool {
        // Only the neighbours in start order can overlap: the one before and those starting
        // within `e`.
        let i = firstRange(atLeast: e.range.lowerBound)
        if i > 0, Fixer.overlap(ranges[i - 1], e) { return true }
        var j = i
        while j < ranges.count, ranges[j].range.lowerBound <= e.range.upperBound {
            if Fixer.overlap(ranges[j], e) { return true }
            j += 1
        }
        if e.isAppend && e.range.isEmpty { return false }
        // An append inside `e`, or at its start.
        let k = Self.firstIndex(in: appendOffsets, atLeast: e.range.lowerBound)
        return k < appendOffsets.count && (appendOffsets[k] < e.range.upperBound || appendOffsets[k] == e.range.lowerBound)
    }

    mutating func add(_ new: [TextEdit]) {
        for e in new {
            if e.isAppend && e.range.isEmpty {
                appends.append(e)
                appendOffsets.insert(e.range.lowerBound, at: Self.firstIndex(in: appendOffsets, atLeast: e.range.lowerBound))
            } else {
                ranges.insert(e, at: firstRange(atLeast: e.range.lowerBound))
            }
        }
    }
}
