import YAMLSource

/// Everything a run loaded, read once into typed facts that every rule shares.
public final class LintContext: Sendable {
    /// Every parse of the run, embedded config.json texts included.
    public let parses: [ParseResult]
    public let objects: [KubeObject]
    public let configs: [BifrostConfig]
    public let chartReferences: [ChartReference]
    /// Provider create/update bodies for the REST API.
    let providerPayloads: [ProviderPayload]
    /// The chart and config schemas of the run (BF005), when it has any.
    public let schemas: SchemaCatalog?
    /// Whether rules make the edits of their fixes (`Linter.computesFixes`). Off, a finding
    /// whose message does not depend on its fix has none, and is not `fixable`.
    public let fixes: Bool
    /// Whether the fixes' text is wanted (`Linter.keepsFixes`): a report that only says which
    /// findings are fixable needs to know that a fix can be made, not its text.
    public let rendersFixes: Bool

    public init(_ files: [ParseResult], schemas: SchemaCatalog? = nil, fixes: Bool = true, rendersFixes: Bool = true) {
        self.schemas = schemas
        self.fixes = fixes
        self.rendersFixes = fixes && rendersFixes
        var parses: [ParseResult] = []
        var objects: [KubeObject] = []
        var configs: [BifrostConfig] = []
        var charts: [ChartReference] = []
        var payloads: [ProviderPayload] = []
        for file in files {
            parses.append(file)
            let name = LintContext.baseName(file.source.name)
            for document in file.documents {
                guard let root = document.root, root.isMapping else { continue }
                var docObjects: [KubeObject] = []
                if let object = KubeObject(root) {
                    if object.kind.hasSuffix("List"), let items = root["items"] {
                        docObjects = items.items.compactMap(KubeObject.init)
                    } else {
                        docObjects = [object]
                    }
                } else if name.lowercased().hasSuffix(".json"), BifrostConfig.looksLikeConfig(root, namedConfigJSON: name == "config.json") {
                    configs.append(BifrostConfig(origin: .configJSON, root: root, chartValues: nil))
                } else if let values = BifrostConfig.fromValues(root) {
                    configs.append(values)
                } else if let payload = ProviderPayload(root, fileName: name) {
                    payloads.append(payload)
                }
                for object in docObjects {
                    for (config, parse) in BifrostConfig.embedded(in: object) {
                        parses.append(parse)
                        if let config { configs.append(config) }
                    }
                }
                objects += docObjects
                charts += ChartReference.find(fileName: name, root: root, objects: docObjects)
            }
        }
        self.parses = parses
        self.objects = objects
        self.configs = configs
        self.providerPayloads = payloads
        self.chartReferences = charts
    }

    /// The compact facts the cluster rules need from these documents.
    var clusterFragment: ClusterFragment {
        ClusterFragment(workloads: objects.compactMap(Workload.init),
                        services: objects.compactMap(KubeService.init),
                        policies: objects.compactMap(NetworkPolicy.init),
                        configs: configs.map(ClusterConfig.init))
    }

    static func baseName(_ path: String) -> String {
        // Found on bytes: a backward Character search cost 6,000 instructions a document.
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return path }
        return String(path[path.index(after: slash)...])
    }
}
