import Dispatch
import YAMLSource

/// Runs rules over a set of inputs. Documents are read, checked and reduced to compact facts one
/// batch at a time (parsed in parallel, absorbed in order), so memory stays bounded however long
/// the stream; the cross-document rules run once at the end over the facts.
public struct Linter: Sendable {
    public var rules: [any Rule]
    public var limits: ParseLimits
    /// Severity per code, replacing the rule's default (from the config file).
    public var severityOverrides: [String: Severity] = [:]
    /// Documents parsed together before their facts are absorbed.
    public var batchSize = 64
    /// `--chart DIR`: the chart whose values.schema.json every values file is checked against (BF005).
    public var chartDirectory: String?
    /// `--config-schema FILE`: Bifrost's config schema for config.json inputs (BF005).
    public var configSchemaPath: String?
    /// The schemas, when the caller built them already (else each run builds its own).
    public var catalog: SchemaCatalog?
    /// The most a Helm release record may decompress to (a small record that inflates past it is
    /// a zip bomb, reported instead of read).
    public static let defaultMaxReleaseBytes = 64 << 20
    public var maxReleaseBytes = Linter.defaultMaxReleaseBytes
    /// Whether a release record's manifest is linted; `--cluster` lints the live objects instead.
    public var releaseManifests = true
    /// Where the run notes each Bifrost release record it saw and whether it was linted.
    public var releaseLog: ReleaseLog?
    /// Whether findings keep their fixes to the end of the run (`--fix`, `--diff`, and what
    /// the library returns by default); a report that only prints them sets this off, and a
    /// run of tens of thousands of findings does not hold an edit list for each.
    public var keepsFixes = true
    /// Whether rules make fixes at all: off when nothing reads them (a report that does not
    /// say which findings are fixable, without --fix or --diff). Only rules whose message does
    /// not depend on the fix skip it.
    public var computesFixes = true
    /// Whether findings carry their YAML path: off for a report that prints none (text,
    /// JUnit, GitHub); BF005's paths, which tell its findings apart, are always made.
    public var keepsPaths = true
    /// Whether a finished run's facts are freed; a process that ends after its report lets
    /// them go with it (freeing them took a core from the report).
    public var freesFacts = true
    /// Called on the reading thread after each document read and each input started, with
    /// what the run has done so far (`--progress` on a terminal); it decides how often to show it.
    public var progress: (@Sendable (LintProgress) -> Void)?

    /// The schemas for a run over these inputs; inputs held in memory are read before the disk.
    public func schemaCatalog(inputNames: [String], inMemory: [SourceFile] = []) -> SchemaCatalog {
        let byName = Dictionary(inMemory.map { (ExactString($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        return SchemaCatalog.build(inputNames: inputNames, chart: chartDirectory, configSchema: configSchemaPath) { path in
            byName[ExactString(path)].map(\.bytes) ?? SchemaCatalog.diskReader(path)
        }
    }

    public init(rules: [any Rule] = RuleRegistry.all, limits: ParseLimits = ParseLimits()) {
        self.rules = rules
        self.limits = limits
    }

    /// Lints whole sources (each parsed at once; what `--fix` needs to edit them), and reports
    /// the inputs that were not read.
    public func lint(_ sources: [SourceFile], unread: [Unread] = []) -> [Finding] {
        let session = Session(linter: self)
        for u in unread { session.add(u.finding) }
        let catalog = self.catalog ?? schemaCatalog(inputNames: sources.map(\.name), inMemory: sources)
        for batch in stride(from: 0, to: sources.count, by: batchSize) {
            let slice = Array(sources[batch..<min(sources.count, batch + batchSize)])
            session.absorb(process(slice, catalog))
        }
        return session.finish()
    }

    /// Lints inputs one document at a time, each opened when its turn comes and closed after:
    /// a run may name more files than the process may hold open.
    public func lint(inputs: [InputFile]) -> [Finding] {
        Array(findings(inputs: inputs))
    }

    /// The findings of `lint(inputs:)`, kept compact and made one at a time as they are read
    /// (what a report of tens of thousands of findings is written from).
    public func findings(inputs: [InputFile]) -> FindingList {
        let session = run(units: inputs.lazy.map { input in
            if let unread = input.skipped() { return .unread(unread) }
            return .stream(input.reader())
        }, names: inputs.map(\.name))
        let list = session.finishList()
        if freesFacts {
            session.release()
        } else {
            _ = Unmanaged.passRetained(session)
        }
        return list
    }

    /// Lints streams read one document at a time. A batch is checked in the background while the
    /// next one is read, and absorbed in reading order, so output does not depend on timing.
    public func lint(streams: [DocumentReader]) -> [Finding] {
        lint(units: streams.lazy.map { .stream($0) }, names: streams.map(\.name))
    }

    enum Unit {
        case stream(DocumentReader)
        case unread(Unread)
    }

    /// `names`: every input's name, which tells a chart directory among them (BF005).
    func lint<S: Sequence>(units: S, names: [String]) -> [Finding] where S.Element == Unit {
        run(units: units, names: names).finish()
    }

    func run<S: Sequence>(units: S, names: [String]) -> Session where S.Element == Unit {
        let session = Session(linter: self)
        let catalog = self.catalog ?? schemaCatalog(inputNames: names)
        var inFlight: InFlight?
        func submit(_ batch: [SourceFile]) {
            let next = InFlight()
            DispatchQueue.global().async(group: next.group) { next.results = self.process(batch, catalog) }
            if let previous = inFlight { session.absorb(previous.wait()) }
            inFlight = next
        }
        var done = LintProgress()
        for unit in units {
            done.files += 1
            if let progress {
                done.findings = session.count
                progress(done)
            }
            guard case .stream(var stream) = unit else {
                if case .unread(let unread) = unit { session.add(unread.finding) }
                continue
            }
            // Reading stops at the byte limit (the reader holds no more than that) and at the
            // document limit; either is a finding at the first document not read.
            stream.maxBytes = limits.maxFileBytes
            var batch: [SourceFile] = []
            var name: String?
            var documents = 0
            while let document = stream.next() {
                name = document.name
                documents += 1
                if documents > limits.maxDocuments {
                    session.add(UnreadableRule.finding(at: Loc(file: document.name, range: SourceRange(start: document.position(ofByte: document.baseOffset), end: document.position(ofByte: document.baseOffset)), path: "", lineText: ""),
                                                      message: "more than \(limits.maxDocuments) documents; the rest is not read"))
                    break
                }
                batch.append(document)
                if let progress {
                    done.documents += 1
                    done.findings = session.count
                    progress(done)
                }
                if batch.count == batchSize {
                    submit(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            stream.close()
            if !batch.isEmpty { submit(batch) }
            if let stop = stream.stop {
                session.add(Unread(file: name ?? stream.name, message: stop.message, position: stop.position).finding)
            }
            if let failure = stream.failure {
                session.add(UnreadableRule.finding(at: Loc(file: name ?? stream.name, range: SourceRange(start: Position(offset: stream.bytesRead, line: 1, column: 1), end: Position(offset: stream.bytesRead, line: 1, column: 1)), path: "", lineText: ""),
                                                  message: "cannot be read: \(failure)"))
            }
        }
        if let last = inFlight { session.absorb(last.wait()) }
        return session
    }

    /// A batch being checked on another thread.
    final class InFlight: @unchecked Sendable {
        let group = DispatchGroup()
        /// Written once by the batch's task; read only after `group` says it is done.
        var results: [UnitResult] = []

        func wait() -> [UnitResult] {
            group.wait()
            return results
        }
    }

    /// What one unit (a file, or one document of a stream) contributes.
    struct UnitResult: Sendable {
        var file: String
        var findings: [Finding]
        var fragment: ClusterFragment
        var directives: [Suppressions.Directive]
        /// Findings made compact on the worker (a run that keeps no fix), and where in the
        /// order they came `findings` (those of a group, kept whole) go among them.
        var compact: [CompactFinding] = []
        var wholeAt: [Int] = []
        /// Moves the findings that belong to no group into `compact`.
        mutating func makeCompact() {
            var whole: [Finding] = []
            compact.reserveCapacity(findings.count)
            for (i, f) in findings.enumerated() {
                if f.group == nil {
                    compact.append(CompactFinding(f, fix: -1, seq: 0))
                } else {
                    wholeAt.append(i)
                    whole.append(f)
                }
            }
            findings = whole
        }

        /// Added to the message of every finding in this file (a decoded release record names
        /// the record), cross-document ones included.
        var note: String? = nil
    }

    func process(_ units: [SourceFile], _ catalog: SchemaCatalog? = nil) -> [UnitResult] {
        if units.count == 1 { return process(units[0], catalog) }
        return concurrentMap(count: units.count) { process(units[$0], catalog) }.flatMap { $0 }
    }

    /// A unit's results, then those of the decoded files of each deployed Bifrost release
    /// recorded in it (see `ReleaseRecord`).
    func process(_ unit: SourceFile, _ catalog: SchemaCatalog? = nil) -> [UnitResult] {
        let (own, context) = processOne(unit, catalog)
        var results = [own]
        for object in context.objects where ReleaseRecord.isRecord(object) {
            switch ReleaseRecord.decode(object, limit: maxReleaseBytes) {
            case .failure(let problem):
                results[0].findings.append(UnreadableRule.finding(at: problem.loc, message: problem.message))
            case .success(let release):
                guard release.isBifrost else { continue }
                releaseLog?.add(ReleaseLog.Entry(namespace: release.namespace, name: release.name, revision: release.revision, label: release.label, status: release.status, chartVersion: release.chartVersion,
                                                 linted: release.isDeployed, origin: release.record.origin))
                guard release.isDeployed else { continue }
                // Each finding in a decoded text also names the record it came from.
                let note = "(Helm release \(release.label), from \(release.record.origin))"
                for source in release.sources where releaseManifests || source.name != release.manifestName {
                    // Fixes are made for decoded texts whatever the report: the release table
                    // counts their fixable findings.
                    var decoded = processOne(source, catalog, fixes: true).0
                    decoded.note = note
                    results.append(decoded)
                }
            }
        }
        if !keepsFixes {
            for i in results.indices { results[i].makeCompact() }
        }
        return results
    }

    func processOne(_ unit: SourceFile, _ catalog: SchemaCatalog? = nil, fixes: Bool? = nil) -> (UnitResult, LintContext) {
        PathRecording.run(withPaths: keepsPaths) { FixDetail.run(kept: keepsFixes) { processOneWithPaths(unit, catalog, fixes: fixes) } }
    }

    private func processOneWithPaths(_ unit: SourceFile, _ catalog: SchemaCatalog?, fixes: Bool?) -> (UnitResult, LintContext) {
        let parse = YAMLParser.parse(unit, limits: limits)
        let context = LintContext([parse], schemas: catalog, fixes: fixes ?? computesFixes, rendersFixes: keepsFixes)
        // A node reached through several aliases or merge keys is reported once.
        // Told apart by string-table ids: hashing the code's and path's Strings was a tenth of
        // the instructions of a finding.
        struct Seen: Hashable {
            let code: Int32, path: Int32, offset: Int, line: Int
        }
        var seen = Set<Seen>()
        // BF005 is the exception: Helm refuses each path through the node, and its message names it.
        // Gathered in one pass (a flatMap and a filter copied every finding twice).
        var findings: [Finding] = []
        let schemaCode = ValuesSchemaRule.description.ids.code
        for rule in rules {
            for f in rule.check(context) {
                let code = f.ruleIDs?.code ?? StringTable.shared.id(f.code)
                guard seen.insert(Seen(code: code, path: code == schemaCode ? f.pathID : 0, offset: f.range.start.offset, line: f.range.start.line)).inserted else { continue }
                findings.append(f)
            }
        }
        let fragment = context.clusterFragment
        let directives = Suppressions.directives(parses: context.parses, objects: context.objects, resolve: { RuleRegistry.rule(named: $0)?.description.code })
        return (UnitResult(file: unit.name, findings: findings, fragment: fragment, directives: directives), context)
    }
}

/// The state of one run: findings and suppressions per file, and the cluster facts.
///
/// Findings are kept compact (`CompactFinding`: ids into the string table, no Strings of their
/// own, fixes only when the run wants them): a stream of old releases has tens of thousands.
final class Session: @unchecked Sendable {
    let linter: Linter
    let model = ClusterModel()
    private var records = ChunkedFindings()
    private var fixes: [Fix] = []
    private var directives: [Suppressions.Directive] = []
    /// Notes for the findings of some files (see `UnitResult.note`).
    private var notes: [ExactString: String] = [:]
    /// The first (in report order) finding of each group, whole (there are few groups): a
    /// group's other findings are never reported, so they are not kept (a stream of old
    /// releases has one per object). `seq`: the place its group took in the run.
    private var grouped: [(finding: Finding, seq: Int32)] = []
    private var groupFirst: [GroupKey: Int] = [:]
    /// A group's findings are those of one code with one group (hashed as the two Strings, not
    /// joined into a third for each finding).
    private struct GroupKey: Hashable {
        let code: String
        /// By its bytes: a group names its file, and two names that differ only in Unicode
        /// normalisation are two files.
        let group: ExactString
    }
    private var seq: Int32 = 0

    init(linter: Linter) {
        self.linter = linter
    }

    /// Lets go of the session on another thread: freeing every object's facts took the one
    /// thread at work between the linting and the report a tenth of that time.
    func release() {
        DispatchQueue.global(qos: .utility).async { [self] in withExtendedLifetime(self) {} }
    }

    private func nextSeq() -> Int32 {
        defer { seq += 1 }
        return seq
    }

    private func record(_ f: Finding, seq: Int32) -> CompactFinding {
        var fix: Int32 = -1
        if linter.keepsFixes, let made = f.fix {
            fix = Int32(fixes.count)
            fixes.append(made)
        }
        return CompactFinding(f, fix: fix, seq: seq)
    }

    func add(_ finding: Finding) {
        guard let group = finding.group else {
            records.append(record(finding, seq: nextSeq()))
            return
        }
        let key = GroupKey(code: finding.code, group: ExactString(group))
        if let i = groupFirst[key] {
            if Finding.order(finding, grouped[i].finding) { grouped[i].finding = finding }
        } else {
            groupFirst[key] = grouped.count
            grouped.append((finding, nextSeq()))
        }
    }

    /// Findings so far (before duplicates and suppressions are taken out).
    var count: Int { records.count + grouped.count }

    func absorb(_ results: [Linter.UnitResult]) {
        for r in results {
            var whole = 0, at = 0
            for var f in r.compact {
                while whole < r.wholeAt.count, r.wholeAt[whole] == at {
                    add(r.findings[whole])
                    whole += 1
                    at += 1
                }
                f.seq = nextSeq()
                records.append(f)
                at += 1
            }
            for f in r.findings[whole...] { add(f) }
            directives += r.directives
            if let note = r.note { notes[ExactString(r.file)] = note }
            model.add(r.fragment)
        }
    }

    func finish() -> [Finding] {
        Array(finishList())
    }

    /// The findings to report, in report order: file, start, code (then the order they came in).
    func finishList() -> FindingList {
        // The release table counts fixable findings in decoded release records.
        model.fixes = linter.computesFixes || !notes.isEmpty
        model.rendersFixes = linter.keepsFixes
        var all = records
        records = ChunkedFindings()
        if linter.keepsFixes {
            for (f, seq) in grouped { all.append(record(f, seq: seq)) }
        } else {
            // Made compact on every core: a stream of old releases has a group per release.
            let grouped = grouped
            for f in concurrentMap(count: grouped.count, block: 256, { CompactFinding(grouped[$0].finding, fix: -1, seq: grouped[$0].seq) }) { all.append(f) }
        }
        grouped = []
        model.prepareForRules()
        if linter.keepsFixes {
            // A rule's findings at a time: each holds its fix until recorded compact.
            for rule in linter.rules {
                for f in rule.check(model) { all.append(record(f, seq: nextSeq())) }
            }
        } else {
            // The cross-document rules run at once, each finding made compact where it is
            // found (no fix is kept): after the linting this was the run's one thread at work.
            let rules = linter.rules, model = model
            let made = concurrentMap(count: rules.count) { rules[$0].check(model).map { CompactFinding($0, fix: -1, seq: 0) } }
            for var f in made.joined() {
                f.seq = nextSeq()
                all.append(f)
            }
        }
        // What is kept is a list of indices into `all`, in report order (written over `order`
        // as it is read): a second array of findings was a tenth of the peak of 80,000.
        var kept = Self.order(all)
        // One finding per group (the chart label every object of a release carries), and the
        // same finding twice (two workloads meeting one policy's gap) once. The same finding
        // has the same file, start and code, so its copies are neighbours in report order:
        // only the messages at the current place are remembered.
        var groups = Set<Int32>()
        // Nearly always one or two: a list, not a hashed set.
        var messagesHere: [Int32] = []
        var count = 0
        var previous: CompactFinding?
        for n in kept.indices {
            let i = kept[n]
            let f = all[Int(i)]
            if let p = previous, p.file == f.file, p.range.start == f.range.start, p.code == f.code {} else { messagesHere.removeAll(keepingCapacity: true) }
            previous = f
            guard !messagesHere.contains(f.message) else { continue }
            messagesHere.append(f.message)
            if f.groupKey >= 0, !groups.insert(f.groupKey).inserted { continue }
            kept[count] = i
            count += 1
        }
        kept.removeLast(kept.count - count)
        var sorted = kept.count
        let table = StringTable.shared
        if !directives.isEmpty {
            var suppressions = Suppressions(directives: directives)
            var names: [Int32: String] = [:]
            func string(_ id: Int32) -> String {
                if let known = names[id] { return known }
                let made = table[id]
                names[id] = made
                return made
            }
            kept = kept.filter { i in
                let f = all[Int(i)]
                return !suppressions.suppresses(file: string(f.file), code: string(f.code), start: f.range.start)
            }
            sorted = kept.count
            let ran = Set(linter.rules.map(\.description.code))
            if ran.contains(UnusedSuppressionRule.description.code) {
                for f in UnusedSuppressionRule.findings(suppressions.directives, ran: ran) {
                    kept.append(Int32(all.count))
                    all.append(record(f, seq: 0))
                }
            }
        }
        if !notes.isEmpty {
            // Every finding in a decoded release record's file, cross-document and
            // unused-suppression ones included, names the record (same file, same note: the
            // duplicates found above are found the same).
            var noteFor: [Int32: String] = [:]
            for (file, note) in notes { noteFor[table.id(file.string)] = note }
            var noted: [Int64: Int32] = [:]
            for i in kept.map(Int.init) {
                guard let note = noteFor[all[i].file] else { continue }
                let message = Int64(all[i].file) << 32 | Int64(all[i].message)
                if let id = noted[message] {
                    all[i].message = id
                } else {
                    let id = table.id(table[all[i].message] + " " + note)
                    noted[message] = id
                    all[i].message = id
                }
            }
        }
        if !linter.severityOverrides.isEmpty {
            var overrides: [Int32: Severity?] = [:]
            for i in kept.map(Int.init) {
                let code = all[i].code
                if overrides[code] == nil { overrides[code] = .some(linter.severityOverrides[table[code]]) }
                if let severity = overrides[code] ?? nil { all[i].severity = severity }
            }
        }
        // Unused-suppression findings came last: a stable sort of the list as it stands.
        if kept.count > sorted {
            var listed = kept.map { all[Int($0)] }
            for n in listed.indices { listed[n].seq = Int32(n) }
            kept = Self.order(listed).map { kept[Int($0)] }
        }
        return FindingList(compact: all, order: kept, fixes: fixes)
    }

    /// The indices of `all` in `Finding.order`, ties by `seq`, sorted on integer keys: files
    /// and codes ranked once by their strings, never a String compared per pair.
    static func order<C: RandomAccessCollection>(_ all: C) -> [Int32] where C.Element == CompactFinding, C.Index == Int {
        let table = StringTable.shared
        func ranks(_ ids: Set<Int32>) -> [Int32: Int32] {
            // Names that are canonically equal but written otherwise (`é` and `e` + U+0301) are
            // two files: their bytes order them, or the order would change from run to run.
            let named = ids.map { ($0, table[$0]) }.sorted { String.stableOrder($0.1, $1.1) }
            var out: [Int32: Int32] = [:]
            for (rank, (id, _)) in named.enumerated() { out[id] = Int32(rank) }
            return out
        }
        // Neighbours nearly always share their file, and often their code: each is hashed
        // only when it differs from the last one's.
        var files = Set<Int32>(), codes = Set<Int32>()
        var lastFile: Int32 = -1, lastCode: Int32 = -1
        for f in all {
            if f.file != lastFile { files.insert(f.file); lastFile = f.file }
            if f.code != lastCode { codes.insert(f.code); lastCode = f.code }
        }
        let fileRank = ranks(files), codeRank = ranks(codes)
        typealias Key = (file: Int32, line: Int32, column: Int32, offset: Int32, code: Int32, seq: Int32, index: Int32)
        var keys: [Key] = []
        keys.reserveCapacity(all.count)
        lastFile = -1
        lastCode = -1
        var file: Int32 = 0, code: Int32 = 0
        for (i, f) in all.enumerated() {
            if f.file != lastFile { (lastFile, file) = (f.file, fileRank[f.file]!) }
            if f.code != lastCode { (lastCode, code) = (f.code, codeRank[f.code]!) }
            let start = f.range.start
            keys.append((file, Int32(start.line), Int32(start.column), Int32(start.offset), code, f.seq, Int32(i)))
        }
        let less: @Sendable (Key, Key) -> Bool = { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            if a.offset != b.offset { return a.offset < b.offset }
            if a.code != b.code { return a.code < b.code }
            return a.seq < b.seq
        }
        guard keys.count >= 8192, System.processorCount > 1 else {
            keys.sort(by: less)
            return keys.map(\.index)
        }
        // Two halves sorted at once, in place, then merged (the left one first on a tie, as a
        // stable sort keeps them): this ran alone on one core between the linting and the report.
        let mid = keys.count / 2
        return keys.withUnsafeMutableBufferPointer { buffer in
            let halves = SendablePointer(buffer)
            DispatchQueue.concurrentPerform(iterations: 2) { h in
                let all = halves.buffer
                var half = UnsafeMutableBufferPointer(rebasing: h == 0 ? all[..<mid] : all[mid...])
                half.sort(by: less)
            }
            var out: [Int32] = []
            out.reserveCapacity(buffer.count)
            var i = 0, j = mid
            while i < mid, j < buffer.count {
                if less(buffer[j], buffer[i]) {
                    out.append(buffer[j].index)
                    j += 1
                } else {
                    out.append(buffer[i].index)
                    i += 1
                }
            }
            for k in buffer[i..<mid] { out.append(k.index) }
            for k in buffer[j...] { out.append(k.index) }
            return out
        }
    }

    /// A buffer whose halves two threads sort, each its own.
    private struct SendablePointer<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
        init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    }
}

/// How far a run is: inputs started, documents read, findings so far.
public struct LintProgress: Sendable {
    public var files = 0
    public var documents = 0
    public var findings = 0
}

/// `transform` of each index of `0..<count`, worked out on every core a block of `block`
/// indices at a time (one task per index costs more than a cheap transform), in index order.
func concurrentMap<T>(count: Int, block: Int = 1, _ transform: @Sendable (Int) -> T) -> [T] {
    let blocks = (count + block - 1) / block
    let slots = ResultSlots<[T]>(count: blocks)
    DispatchQueue.concurrentPerform(iterations: blocks) { b in
        slots.set(b, (b * block..<min(count, b * block + block)).map(transform))
    }
    return slots.values.flatMap { $0 }
}

/// Write-once slots filled from concurrent iterations, each index by exactly one writer.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = Lock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// Slots that start filled, for values handed back and forth (`take`, then `set`).
    init(count: Int, repeating value: T) { storage = Array(repeating: value, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.withLock { storage[i] = value }
    }

    /// The slot's value, leaving the slot empty (so the caller holds the only copy).
    func take(_ i: Int) -> T {
        lock.withLock {
            defer { storage[i] = nil }
            return storage[i]!
        }
    }

    var values: [T] { lock.withLock { storage.map { $0! } } }
}
