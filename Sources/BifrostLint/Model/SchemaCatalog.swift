#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONSchema
import YAMLSource

/// A chart whose `values.schema.json` values files are checked against (BF005): its directory,
/// compiled schema and default values, and what its defaults alone break.
public final class ChartSchema: Sendable {
    /// The chart directory as inputs name it ("" for the working directory).
    public let directory: String
    public let label: String
    let schema: Schema
    let schemaName: String
    /// The chart's values.yaml, parsed (nil when it has none).
    let defaults: Node?
    let defaultsName: String
    /// Violations of the defaults alone ("pointer|keyword|message"): the chart's, not the user's.
    /// By bytes, as every name and key here: `é` and `e` + U+0301 are two keys, two files.
    let defaultViolations: Set<ExactString>
    /// Kept alive: `defaults` points into it.
    private let defaultsParse: ParseResult?

    init(directory: String, schema: Schema, schemaName: String, defaults: ParseResult?, defaultsName: String, label: String) {
        self.directory = directory
        self.schema = schema
        self.schemaName = schemaName
        self.defaultsParse = defaults
        self.defaults = defaults?.documents.first?.root
        self.defaultsName = defaultsName
        self.label = label
        let own = self.defaults.map { schema.validate(Instance($0)) } ?? schema.validate(Instance(.object([])))
        defaultViolations = Set(own.map(ChartSchema.key))
    }

    static func key(_ v: Violation) -> ExactString { ExactString("\(v.pointer)|\(v.keyword)|\(v.message)") }

    /// Whether an input of the run sits in this chart's directory (its templates and subcharts aside).
    func contains(_ name: String) -> Bool {
        guard let inside = directory.isEmpty ? name : name.droppingPrefix(directory + "/") else { return false }
        return !["templates/", "charts/", "/"].contains { inside.utf8.starts(with: $0.utf8) }
    }
}

/// The schemas a run checks values and config.json against (BF005): charts found among the
/// inputs (a `Chart.yaml` with a `values.schema.json` beside it), the chart given with
/// `--chart`, and Bifrost's config schema (`--config-schema`, or a config's own `$schema`
/// naming a local file).
public final class SchemaCatalog: @unchecked Sendable {
    public private(set) var charts: [ChartSchema] = []
    public private(set) var explicitChart: ChartSchema?
    public private(set) var configSchema: Schema?
    public private(set) var configSchemaName: String?
    /// Schemas that could not be read, with the reason (reported by the command).
    public private(set) var problems: [String] = []
    private let lock = Lock()
    private var localSchemas: [ExactString: Schema?] = [:]

    public init() {}

    /// Reads a file: an input of the run held in memory first, else the disk.
    public typealias Reader = (String) -> [UInt8]?

    public static func diskReader(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    /// The catalog for a run's inputs: every chart directory among them, the explicit chart
    /// and config schema.
    public static func build(inputNames: [String], chart: String? = nil, configSchema: String? = nil, read: Reader = diskReader) -> SchemaCatalog {
        let catalog = SchemaCatalog()
        var seen = Set<ExactString>()
        for name in inputNames where LintContext.baseName(name) == "Chart.yaml" {
            let dir = name.count > "Chart.yaml".count ? String(name.dropLast("/Chart.yaml".count)) : ""
            guard seen.insert(ExactString(dir)).inserted, let chart = catalog.loadChart(dir, read: read, required: false) else { continue }
            catalog.charts.append(chart)
        }
        if let chart {
            var dir = chart
            while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
            catalog.explicitChart = catalog.loadChart(dir, read: read, required: true)
        }
        if let configSchema {
            if let bytes = read(configSchema) {
                do {
                    catalog.configSchema = try Schema.compile(name: configSchema, bytes: bytes)
                    catalog.configSchemaName = LintContext.baseName(configSchema)
                } catch let error as Schema.CompileError {
                    catalog.problems.append("\(configSchema): \(error.description)")
                } catch {}
            } else {
                catalog.problems.append("\(configSchema): cannot be read")
            }
        }
        return catalog
    }

    /// Whether the run has anything to check.
    public var isEmpty: Bool { charts.isEmpty && explicitChart == nil && configSchema == nil }

    func loadChart(_ dir: String, read: Reader, required: Bool) -> ChartSchema? {
        func path(_ file: String) -> String { dir.isEmpty ? file : dir + "/" + file }
        guard let bytes = read(path("values.schema.json")) else {
            if required { problems.append("\(dir): no values.schema.json in the chart directory") }
            return nil
        }
        let schema: Schema
        do {
            schema = try Schema.compile(name: path("values.schema.json"), bytes: bytes)
        } catch {
            problems.append("\(path("values.schema.json")): \((error as? Schema.CompileError)?.description ?? "cannot be read")")
            return nil
        }
        let defaults = read(path("values.yaml")).map { YAMLParser.parse(SourceFile(name: path("values.yaml"), bytes: $0)) }
        var label = dir.isEmpty ? "the chart" : "chart \(dir)"
        if let chartBytes = read(path("Chart.yaml")), let root = YAMLParser.parse(SourceFile(name: path("Chart.yaml"), bytes: chartBytes)).documents.first?.root,
           let name = root["name"]?.string {
            label = "chart \(name)" + (root["version"].map { " \($0.scalarText ?? "")" } ?? "")
        }
        return ChartSchema(directory: dir, schema: schema, schemaName: path("values.schema.json"), defaults: defaults, defaultsName: path("values.yaml"), label: label)
    }

    /// The chart a values file belongs to: the chart directory it is in, else `--chart`.
    func chart(for name: String) -> ChartSchema? {
        charts.filter { $0.contains(name) }.max { $0.directory.utf8.count < $1.directory.utf8.count } ?? explicitChart
    }

    /// A schema a config.json names in `$schema` as a local file, compiled once per run.
    func localSchema(_ path: String) -> Schema? {
        lock.withLock {
            if let known = localSchemas[ExactString(path)] { return known }
            let schema = SchemaCatalog.diskReader(path).flatMap { try? Schema.compile(name: path, bytes: $0) }
            localSchemas[ExactString(path)] = schema
            return schema
        }
    }
}
