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

    /// The schemas for a run over these inputs; inputs held in memory are read before the disk.
    public func schemaCatalog(inputNames: [String], inMemory: [SourceFile] = []) -> SchemaCatalog {
        let byName = Dictionary(inMemory.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return SchemaCatalog.build(inputNames: inputNames, chart: chartDirectory, configSchema: configSchemaPath) { path in
            byName[path].map(\.bytes) ?? SchemaCatalog.diskReader(path)
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
        lint(units: inputs.lazy.map { input in
            if let unread = input.skipped() { return .unread(unread) }
            return .stream(input.reader())
        }, names: inputs.map(\.name))
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
        let session = Session(linter: self)
        let catalog = self.catalog ?? schemaCatalog(inputNames: names)
        var inFlight: InFlight?
        func submit(_ batch: [SourceFile]) {
            let next = InFlight()
            DispatchQueue.global().async(group: next.group) { next.results = self.process(batch, catalog) }
            if let previous = inFlight { session.absorb(previous.wait()) }
            inFlight = next
        }
        for unit in units {
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
        return session.finish()
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
        /// Added to the message of every finding in this file (a decoded release record names
        /// the record), cross-document ones included.
        var note: String? = nil
    }

    func process(_ units: [SourceFile], _ catalog: SchemaCatalog? = nil) -> [UnitResult] {
        if units.count == 1 { return process(units[0], catalog) }
        let slots = ResultSlots<[UnitResult]>(count: units.count)
        DispatchQueue.concurrentPerform(iterations: units.count) { i in
            slots.set(i, process(units[i], catalog))
        }
        return slots.values.flatMap { $0 }
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
                    var decoded = processOne(source, catalog).0
                    decoded.note = note
                    results.append(decoded)
                }
            }
        }
        return results
    }

    func processOne(_ unit: SourceFile, _ catalog: SchemaCatalog? = nil) -> (UnitResult, LintContext) {
        let parse = YAMLParser.parse(unit, limits: limits)
        let context = LintContext([parse], schemas: catalog)
        // A node reached through several aliases or merge keys is reported once.
        var seen = Set<String>()
        // BF005 is the exception: Helm refuses each path through the node, and its message names it.
        let findings = rules.flatMap { $0.check(context) }.filter { f in
            seen.insert("\(f.code)|\(f.range.start.offset)|\(f.range.start.line)" + (f.code == ValuesSchemaRule.description.code ? "|\(f.path)" : "")).inserted
        }
        let directives = Suppressions.directives(parses: context.parses, objects: context.objects, resolve: { RuleRegistry.rule(named: $0)?.description.code })
        return (UnitResult(file: unit.name, findings: findings, fragment: context.clusterFragment, directives: directives), context)
    }
}

/// The state of one run: findings and suppressions per file, and the cluster facts.
final class Session: @unchecked Sendable {
    let linter: Linter
    let model = ClusterModel()
    private var findings: [Finding] = []
    private var directives: [Suppressions.Directive] = []
    /// Notes for the findings of some files (see `UnitResult.note`).
    private var notes: [String: String] = [:]
    /// Where the first (in report order) finding of each group is in `findings`: a group's
    /// other findings are never reported, so they are not kept (a stream of old releases has
    /// one per object).
    private var groupFirst: [String: Int] = [:]

    init(linter: Linter) {
        self.linter = linter
    }

    func add(_ finding: Finding) {
        guard let group = finding.group else {
            findings.append(finding)
            return
        }
        let key = "\(finding.code)|\(group)"
        if let i = groupFirst[key] {
            if Finding.order(finding, findings[i]) { findings[i] = finding }
        } else {
            groupFirst[key] = findings.count
            findings.append(finding)
        }
    }

    func absorb(_ results: [Linter.UnitResult]) {
        for r in results {
            for f in r.findings { add(f) }
            directives += r.directives
            if let note = r.note { notes[r.file] = note }
            model.add(r.fragment)
        }
    }

    func finish() -> [Finding] {
        let all = (findings + linter.rules.flatMap { $0.check(model) }).sorted(by: Finding.order)
        // One finding per group (the chart label every object of a release carries).
        var groups = Set<String>()
        // The same finding twice (two workloads meeting one policy's gap) is reported once.
        var same = Set<Sameness>()
        let grouped = all.filter { f in
            guard same.insert(Sameness(code: f.code, file: f.file, offset: f.range.start.offset, line: f.range.start.line, message: f.message)).inserted else { return false }
            guard let g = f.group else { return true }
            return groups.insert("\(f.code)|\(g)").inserted
        }
        var suppressions = Suppressions(directives: directives)
        var kept = suppressions.filter(grouped)
        let ran = Set(linter.rules.map(\.description.code))
        if ran.contains(UnusedSuppressionRule.description.code) {
            kept += UnusedSuppressionRule.findings(suppressions.directives, ran: ran)
        }
        return kept.map { f in
            let f = notes[f.file].map(f.noting) ?? f
            guard let severity = linter.severityOverrides[f.code], severity != f.severity else { return f }
            return f.with(severity: severity)
        }.sorted(by: Finding.order)
    }
}

/// What makes two findings the same one: code, place and words (no string is made for it).
struct Sameness: Hashable {
    let code: String
    let file: String
    let offset: Int
    let line: Int
    let message: String
}

/// Write-once slots filled from concurrent iterations, each index by exactly one writer.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = Lock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.withLock { storage[i] = value }
    }

    var values: [T] { lock.withLock { storage.map { $0! } } }
}
