/// The cross-document facts of a whole run: Bifrost workloads, Services, NetworkPolicies and the
/// ports of every Bifrost config. Built up one document at a time and indexed by name and
/// selector labels, so relating a workload to its Services and policies does not scan every
/// object of the run.
public final class ClusterModel: @unchecked Sendable {
    public private(set) var workloads: [Workload] = []
    public private(set) var services: [KubeService] = []
    public private(set) var policies: [NetworkPolicy] = []
    public private(set) var configs: [ClusterConfig] = []

    /// Services and policies by one `key=value` of their selector's matchLabels (the first key in
    /// order): a workload can only match a selector whose every entry it carries, so looking up
    /// its own labels finds every candidate, and only a few. Selectors without matchLabels are
    /// kept aside and always considered.
    private var servicesByLabel: [Label: Bucket] = [:]
    private var servicesUnindexed: [Int] = []
    private var policiesByLabel: [Label: Bucket] = [:]
    private var policiesUnindexed: [Int] = []
    private var servicesByName: [String: Bucket] = [:]

    /// Where `config(for:)` looks, so a workload finds its config without reading every config
    /// of the run (one per release when each release has a namespace of its own).
    private var firstEmbeddedConfig: Int?
    private var firstEmbeddedWithoutNamespace: Int?
    private var firstEmbeddedByNamespace: [String: Int] = [:]
    private var firstValuesConfig: Int?
    private var firstStandaloneConfig: Int?

    /// One `key=value`; both strings are the shared copies the objects hold.
    struct Label: Hashable {
        let key: String
        let value: String
    }

    /// The objects under one index key, in the order they were read. Most keys name one object,
    /// which is kept without an array of its own.
    struct Bucket {
        private var first: Int32
        private var rest: [Int32] = []

        init(_ i: Int) { first = Int32(i) }

        mutating func append(_ i: Int) { rest.append(Int32(i)) }

        var all: [Int] { [Int(first)] + rest.map(Int.init) }
    }

    public init() {}

    func add(_ fragment: ClusterFragment) {
        workloads += fragment.workloads
        for s in fragment.services {
            let i = services.count
            services.append(s)
            if let selector = s.selector, let (k, v) = selector.matchLabels.pairs.first {
                Self.add(i, under: Label(key: k, value: v), to: &servicesByLabel)
            } else {
                servicesUnindexed.append(i)
            }
            if let name = s.object.name { Self.add(i, under: name, to: &servicesByName) }
        }
        for p in fragment.policies {
            let i = policies.count
            policies.append(p)
            if let (k, v) = p.podSelector.matchLabels.pairs.first {
                Self.add(i, under: Label(key: k, value: v), to: &policiesByLabel)
            } else {
                policiesUnindexed.append(i)
            }
        }
        for c in fragment.configs {
            let i = configs.count
            configs.append(c)
            if c.isEmbedded {
                if firstEmbeddedConfig == nil { firstEmbeddedConfig = i }
                if let ns = c.namespace {
                    if firstEmbeddedByNamespace[ns] == nil { firstEmbeddedByNamespace[ns] = i }
                } else if firstEmbeddedWithoutNamespace == nil {
                    firstEmbeddedWithoutNamespace = i
                }
            } else if firstStandaloneConfig == nil {
                firstStandaloneConfig = i
            }
            if c.isValues, firstValuesConfig == nil { firstValuesConfig = i }
        }
    }

    private static func add<K: Hashable>(_ i: Int, under key: K, to index: inout [K: Bucket]) {
        if index[key] == nil { index[key] = Bucket(i) } else { index[key]!.append(i) }
    }

    /// Objects indexed under any of the pod's labels.
    static func candidates(for labels: Labels, in index: [Label: Bucket]) -> [Int] {
        labels.pairs.flatMap { k, v in index[Label(key: k, value: v)]?.all ?? [] }
    }

    /// The Services of a name a workload's namespace can see, in the order they were read.
    func services(named name: String, near w: Workload) -> [KubeService] {
        (servicesByName[name]?.all ?? []).map { services[$0] }.filter { $0.object.sharesNamespace(with: w.object.namespace) }
    }

    /// The configuration that governs a workload: a config.json shipped in its namespace first,
    /// then a values file or config.json of the same run.
    public func config(for w: Workload) -> ClusterConfig? {
        // The first embedded config whose namespace is unset or the workload's (any, when the
        // workload's is unset), as `sharesNamespace` reads them.
        let embedded: Int?
        if let ns = w.object.namespace {
            embedded = [firstEmbeddedWithoutNamespace, firstEmbeddedByNamespace[ns]].compactMap { $0 }.min()
        } else {
            embedded = firstEmbeddedConfig
        }
        guard let i = embedded ?? firstValuesConfig ?? firstStandaloneConfig else { return nil }
        return configs[i]
    }

    public func grpcPort(for w: Workload) -> Int { config(for: w)?.grpcPort ?? 10102 }
    public func gossipPort(for w: Workload) -> Int { config(for: w)?.gossipPort ?? 10101 }

    /// Bifrost workloads that run as a cluster: they expose the gossip port, or their config
    /// enables clustering. A single gateway without peers needs no cluster ports.
    public private(set) lazy var clusteredWorkloads: [Workload] = workloads.filter { w in
        let gossip = gossipPort(for: w)
        let exposesGossip = w.bifrost.ports.contains { ($0.name?.hasPrefix("gossip") ?? false) || $0.number == gossip }
        return exposesGossip || config(for: w)?.clusterEnabled == true
    }

    /// Clustered workloads that no selector, port name or config lookup tells apart: the same
    /// namespace, pod labels and ports. A Service or policy that selects one selects them all and
    /// admits the same traffic for each, so rules ask once a group: releases rendered from one
    /// chart into one namespace stay linear, however many there are.
    public private(set) lazy var peerGroups: [[Workload]] = {
        var index: [String: Int] = [:]
        var groups: [[Workload]] = []
        for w in clusteredWorkloads {
            let key = w.peerKey
            if let i = index[key] { groups[i].append(w) } else { index[key] = groups.count; groups.append([w]) }
        }
        return groups
    }()

    private var selectedCache: [String: (services: [KubeService], policies: [NetworkPolicy])] = [:]

    /// The headless Services and the policies whose selectors pick a group's pods, in the order
    /// they were read; worked out once per group.
    private func selected(_ w: Workload) -> (services: [KubeService], policies: [NetworkPolicy]) {
        let key = w.peerKey
        if let cached = selectedCache[key] { return cached }
        let serviceCandidates = Set(Self.candidates(for: w.podLabels, in: servicesByLabel)).union(servicesUnindexed)
        let services = serviceCandidates.sorted().map { self.services[$0] }.filter { $0.isHeadless && $0.selects(w) }
        let policyCandidates = Set(Self.candidates(for: w.podLabels, in: policiesByLabel)).union(policiesUnindexed)
        let policies = policyCandidates.sorted().map { self.policies[$0] }.filter { $0.selects(w) }
        selectedCache[key] = (services, policies)
        return (services, policies)
    }

    /// Headless Services that peers of a group use: those selecting its pods, shared by the
    /// group, and for each workload the one its `serviceName` names when that is another.
    public func headlessServices(of group: [Workload]) -> (shared: [KubeService], own: [(Workload, KubeService)]) {
        let shared = selected(group[0]).services
        var own: [(Workload, KubeService)] = []
        for w in group {
            guard let name = w.serviceName?.value else { continue }
            for s in services(named: name, near: w) where s.isHeadless && !shared.contains(where: { $0 === s }) {
                own.append((w, s))
            }
        }
        return (shared, own)
    }

    public func policies(selecting w: Workload) -> [NetworkPolicy] {
        selected(w).policies
    }
}

/// What one document (or file) adds to the cluster model.
struct ClusterFragment: Sendable {
    var workloads: [Workload] = []
    var services: [KubeService] = []
    var policies: [NetworkPolicy] = []
    var configs: [ClusterConfig] = []
}
