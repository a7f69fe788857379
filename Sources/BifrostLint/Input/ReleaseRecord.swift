#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BifrostCompose
import YAMLSource

/// A Helm release record: what `helm install` and `helm upgrade` store for each revision, a
/// Secret of type `helm.sh/release.v1` (the default storage driver) or a ConfigMap labelled
/// `owner: helm` (the configmap driver). `data.release` holds the release as JSON, gzip-compressed
/// (older records: not compressed) and base64-encoded; a Secret's `data` adds its own base64 layer.
///
/// A record of a Bifrost release is linted as three named virtual files whose text is decoded
/// from it: the chart (`chart.metadata`, for BF201), the user values (`config`, written as YAML,
/// what `helm upgrade -f` takes) and the rendered manifest.
public struct ReleaseRecord: Sendable {
    /// `Secret` or `ConfigMap`.
    public let kind: String
    /// The record's own name (`sh.helm.release.v1.gw.v7`) and namespace.
    public let objectName: String
    public let objectNamespace: String?
    /// Where the record is: its file and the line of its name.
    public let file: String
    public let line: Int

    /// Where the record is, for messages: "Secret llm/sh.helm.release.v1.gw.v7 (secrets.yaml:12)".
    public var origin: String {
        "\(kind) \(objectNamespace.map { "\($0)/" } ?? "")\(objectName) (\(file):\(line))"
    }

    /// Whether a Kubernetes object is a release record: a Secret of Helm's type, or a Secret or
    /// ConfigMap labelled `owner: helm` with a `data.release`.
    static func isRecord(_ object: KubeObject) -> Bool {
        guard object.apiVersion == "v1", object.kind == "Secret" || object.kind == "ConfigMap",
              object.node["data"]?["release"] != nil else { return false }
        if object.kind == "Secret", object.node["type"]?.string == "helm.sh/release.v1" { return true }
        return object.label("owner") == "helm"
    }

    /// A record decoded.
    public struct Release: Sendable {
        public let record: ReleaseRecord
        public let name: String
        public let namespace: String
        public let revision: Int
        public let status: String
        public let chartName: String?
        public let chartVersion: String?
        public let appVersion: String?
        /// The user values written as YAML (`{}` for none).
        public let values: String
        public let manifest: String

        public var isBifrost: Bool { ChartReference.isBifrostChart(chartName) }
        public var isDeployed: Bool { status == "deployed" }

        /// `llm/gw rev 7`.
        public var label: String { "\(namespace)/\(name) rev \(revision)" }

        public var valuesName: String { "release \(label): values" }
        public var manifestName: String { "release \(label): manifest" }
        public var chartFileName: String { "release \(label)\(ReleaseRecord.chartSuffix)" }

        /// The chart as a Chart.yaml-like text, the place BF201 reports.
        var chartText: String {
            var text = ""
            for (key, value) in [("name", chartName), ("version", chartVersion), ("appVersion", appVersion)] {
                if let value { text += "\(key): \(Emitter.quoted(value))\n" }
            }
            return text.isEmpty ? "{}\n" : text
        }

        /// The virtual files to lint: chart, values, manifest.
        public var sources: [SourceFile] {
            [SourceFile(name: chartFileName, bytes: Array(chartText.utf8)),
             SourceFile(name: valuesName, bytes: Array(values.utf8)),
             SourceFile(name: manifestName, bytes: Array(manifest.utf8))]
        }
    }

    /// The suffix that names a record's chart file (ChartReference reads its `version`).
    static let chartSuffix = ": chart"

    /// Why a record could not be read: a BF003 finding at `node` naming the record.
    public struct Problem: Error {
        public let message: String
        let loc: Loc
    }

    /// Decodes a release record; `limit` bounds the decompressed JSON.
    static func decode(_ object: KubeObject, limit: Int) -> Result<Release, Problem> {
        let anchor = object.anchorNode
        let record = ReleaseRecord(kind: object.kind, objectName: object.name ?? "(unnamed)", objectNamespace: object.namespace,
                                   file: Loc(anchor).file, line: Loc(anchor).range.start.line)
        let data = object.node["data"]?["release"]
        let loc = Loc(data ?? anchor)
        func problem(_ why: String) -> Result<Release, Problem> {
            .failure(Problem(message: "Helm release record \(object.kind) '\(record.objectName)'\(object.namespace.map { " in namespace \($0)" } ?? ""): \(why); not read", loc: loc))
        }
        guard let text = data?.string else { return problem("data.release is not a string") }
        var encoded = Array(text.utf8)
        if object.kind == "Secret" {
            // The Secret's own base64 layer (`data` values are base64 in the API).
            guard let outer = base64(encoded) else { return problem("data.release is not base64 (the Secret's data layer)") }
            encoded = outer
        }
        guard let inner = base64(encoded) else { return problem("the release is not base64 (Helm's encoding, inside \(object.kind == "Secret" ? "the Secret's base64" : "data.release"))") }
        var json = inner
        if Gzip.isGzip(inner) {
            switch Gzip.decompress(inner, limit: limit) {
            case .success(let bytes): json = bytes
            case .failure(let failure): return problem("the release \(failure)")
            }
        } else if inner.count > limit {
            return problem("the release is larger than \(limit) bytes")
        }
        let parse = YAMLParser.parse(SourceFile(name: "\(record.objectName): release", bytes: json))
        guard parse.error == nil, let root = parse.documents.first?.root, root.isMapping,
              json.first(where: { !$0.isJSONSpace }) == UInt8(ascii: "{") else {
            return problem("the release is not JSON\(Gzip.isGzip(inner) ? " after gzip" : "") (neither gzip nor a JSON object)")
        }
        guard let name = root["name"]?.string, let revision = root["version"]?.int else {
            return problem("the release JSON has no name or version")
        }
        let metadata = root["chart"]?["metadata"]
        let values: String
        if let config = root["config"], config.isMapping, !config.pairs.isEmpty {
            // The `config` object alone, read as Helm reads a values file, written as YAML.
            let slice = Array(json[config.startOffset..<config.endOffset])
            guard let map = try? Value.load(SourceFile(name: "config", bytes: slice)) else {
                return problem("the release's config is not a values mapping")
            }
            values = Emitter().emit(map)
        } else {
            values = "{}\n"
        }
        return .success(Release(record: record, name: name, namespace: root["namespace"]?.string ?? object.namespace ?? "default",
                                revision: Int(revision), status: root["info"]?["status"]?.string ?? object.label("status") ?? "unknown",
                                chartName: metadata?["name"]?.string, chartVersion: metadata?["version"]?.value?.description,
                                appVersion: metadata?["appVersion"]?.value?.description,
                                values: values, manifest: root["manifest"]?.string ?? ""))
    }

    /// Standard base64 (padding optional, whitespace ignored); nil when it is not.
    static func base64(_ bytes: [UInt8]) -> [UInt8]? {
        var compact = bytes.filter { !$0.isJSONSpace }
        guard !compact.isEmpty else { return nil }
        while compact.count % 4 != 0 { compact.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(compact)) else { return nil }
        return Array(data)
    }

    /// The values files of the deployed Bifrost releases recorded in a source: what `--diff`
    /// shows the fixes of (release records themselves are never rewritten).
    public static func deployedValues(in source: SourceFile, limits: ParseLimits = ParseLimits(), maxReleaseBytes: Int = Linter.defaultMaxReleaseBytes) -> [SourceFile] {
        deployedReleases(in: source, limits: limits, maxReleaseBytes: maxReleaseBytes).map { release in
            SourceFile(name: release.valuesName, bytes: Array(release.values.utf8))
        }
    }

    /// The deployed Bifrost releases recorded in a source (records that cannot be read left out).
    public static func deployedReleases(in source: SourceFile, limits: ParseLimits = ParseLimits(), maxReleaseBytes: Int = Linter.defaultMaxReleaseBytes) -> [Release] {
        let context = LintContext([YAMLParser.parse(source, limits: limits)])
        return context.objects.filter(isRecord).compactMap { object in
            guard case .success(let release) = decode(object, limit: maxReleaseBytes), release.isBifrost, release.isDeployed else { return nil }
            return release
        }
    }
}

/// One deployed Bifrost release in a report: where it runs, its chart version, and how many
/// findings its decoded chart, values and manifest have.
public struct ReleaseSummary: Sendable, Hashable {
    public let namespace: String
    public let release: String
    public let revision: Int
    public let chartVersion: String?
    /// The record it was read from ("Secret llm/sh.helm.release.v1.gw.v7 (secrets.yaml:12)").
    public let origin: String
    public let errors: Int
    public let warnings: Int
    public let infos: Int
    public let fixable: Int

    public init(namespace: String, release: String, revision: Int, chartVersion: String?, origin: String,
                errors: Int, warnings: Int, infos: Int, fixable: Int) {
        self.namespace = namespace
        self.release = release
        self.revision = revision
        self.chartVersion = chartVersion
        self.origin = origin
        self.errors = errors
        self.warnings = warnings
        self.infos = infos
        self.fixable = fixable
    }
}

/// What a run did with each release record, for the command's summary.
public final class ReleaseLog: @unchecked Sendable {
    public struct Entry: Sendable, Hashable {
        public let namespace: String
        public let name: String
        public let revision: Int
        public let label: String
        public let status: String
        public let chartVersion: String?
        public let linted: Bool
        public let origin: String

        // The origin names a file: by its bytes (`é` and `e` + U+0301 name two files).
        public static func == (a: Entry, b: Entry) -> Bool {
            (a.namespace, a.name, a.revision, a.label, a.status) == (b.namespace, b.name, b.revision, b.label, b.status)
                && a.chartVersion == b.chartVersion && a.linted == b.linted && a.origin.sameBytes(as: b.origin)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(label)
            hasher.combine(revision)
            hasher.combine(ExactString(origin))
        }
    }

    private let lock = Lock()
    private var storage: [Entry] = []

    public init() {}

    func add(_ entry: Entry) {
        lock.withLock { storage.append(entry) }
    }

    /// Every Bifrost release record seen, in a stable order.
    public var entries: [Entry] {
        // A run that lints more than once (--fix, --diff) notes a record each time.
        // By label, then origin; spellings canonically equal but written otherwise by their bytes.
        Array(Set(lock.withLock { storage })).sorted {
            $0.label.sameBytes(as: $1.label) ? String.stableOrder($0.origin, $1.origin) : String.stableOrder($0.label, $1.label)
        }
    }

    /// The deployed releases linted, each once (a record read from two inputs is one release),
    /// with the counts of the findings in its decoded chart, values and manifest.
    public func summaries<C: Collection>(of findings: C) -> [ReleaseSummary] where C.Element == Finding {
        var seen = Set<String>()
        let linted = entries.filter { $0.linted && seen.insert($0.label).inserted }
        guard !linted.isEmpty else { return [] }
        // One pass over the findings (a report may hold tens of thousands, made one at a time).
        let prefixes = linted.map { "release \($0.label): " }
        var counts = Array(repeating: (errors: 0, warnings: 0, infos: 0, fixable: 0), count: linted.count)
        for f in findings {
            let file = f.file
            guard file.hasPrefix("release "), let i = prefixes.firstIndex(where: { file.hasPrefix($0) }) else { continue }
            switch f.severity {
            case .error: counts[i].errors += 1
            case .warning: counts[i].warnings += 1
            case .info: counts[i].infos += 1
            }
            if f.fixable { counts[i].fixable += 1 }
        }
        return linted.enumerated().map { i, entry in
            ReleaseSummary(namespace: entry.namespace, release: entry.name, revision: entry.revision,
                           chartVersion: entry.chartVersion, origin: entry.origin,
                           errors: counts[i].errors, warnings: counts[i].warnings, infos: counts[i].infos, fixable: counts[i].fixable)
        }
    }

    /// The records not linted because their revision is not the deployed one, as one line.
    public var skippedSummary: String? {
        let skipped = entries.filter { !$0.linted }
        guard !skipped.isEmpty else { return nil }
        let shown = skipped.prefix(5).map { "\($0.label) \($0.status)" }.joined(separator: ", ")
        let more = skipped.count > 5 ? " and \(skipped.count - 5) more" : ""
        return "skipped \(skipped.count) Bifrost release record\(skipped.count == 1 ? "" : "s") not deployed (\(shown)\(more)); only the deployed revision is linted"
    }
}

extension UInt8 {
    var isJSONSpace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
