import YAMLSource

/// Everything a run loaded, read once into typed facts that every rule shares.
public final class LintContext: Sendable {
    /// Every parse of the run, embedded config.json texts included.
    public let parses: [ParseResult]
    public let objects: [KubeObject]
    public let workloads: [Workload]
    public let services: [KubeService]
    public let policies: [NetworkPolicy]
    public let configs: [BifrostConfig]
    public let chartReferences: [ChartReference]
    /// Provider create/update bodies for the REST API.
    let providerPayloads: [ProviderPayload]

    public init(_ files: [ParseResult]) {
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
        var seenReleases = Set<String>()
        self.chartReferences = charts.filter { ref in
            guard let key = ref.releaseKey else { return true }
            return seenReleases.insert(key).inserted
        }
        workloads = objects.compactMap(Workload.init)
        services = objects.compactMap(KubeService.init)
        policies = objects.compactMap(NetworkPolicy.init)
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The configuration that governs a workload: a config.json shipped in its namespace first,
    /// then a values file or config.json of the same run.
    public func config(for workload: Workload) -> BifrostConfig? {
        configs.first { c in
            if case .embedded(let object) = c.origin { return object.sharesNamespace(with: workload.object.namespace) }
            return false
        } ?? configs.first(where: \.isValues) ?? configs.first
    }

    public func grpcPort(for workload: Workload) -> Int {
        config(for: workload)?.grpcPort ?? BifrostConfig.defaultGRPCPort
    }

    public func gossipPort(for workload: Workload) -> Int {
        config(for: workload)?.gossipPort ?? BifrostConfig.defaultGossipPort
    }

    /// Bifrost workloads that run as a cluster: they expose the gossip port, or their config
    /// enables clustering. A single gateway without peers needs no cluster ports.
    public var clusteredWorkloads: [Workload] {
        workloads.filter { w in
            let gossip = gossipPort(for: w)
            let exposesGossip = w.bifrost.ports.contains { ($0.name?.hasPrefix("gossip") ?? false) || $0.number == gossip }
            return exposesGossip || config(for: w)?.clusterEnabled == true
        }
    }

    /// Headless Services that peers of a workload use: the one its `serviceName` names, and any
    /// other headless Service selecting its pods.
    public func headlessServices(for workload: Workload) -> [KubeService] {
        let serviceName = workload.object.spec?["serviceName"]?.string
        return services.filter { s in
            s.isHeadless && s.object.sharesNamespace(with: workload.object.namespace) && (s.object.name == serviceName || s.selects(workload))
        }
    }

    public func policies(selecting workload: Workload) -> [NetworkPolicy] {
        policies.filter { $0.selects(workload) }
    }
}
