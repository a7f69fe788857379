/// The cross-document facts of a whole run: Bifrost workloads, Services, NetworkPolicies and the
/// ports of every Bifrost config. Built up one document at a time and indexed by name and
/// selector labels, so relating a workload to its Services and policies does not scan every
/// object of the run.
public final class ClusterModel: @unchecked Sendable {
    public private(set) var workloads: [Workload] = []
    public private(set) var services: [KubeService] = []
    public private(set) var policies: [NetworkPolicy] = []
    public private(set) var configs: [ClusterConfig] = []
    /// Whether the cluster rules make their fixes (`Linter.computesFixes`); their messages do
    /// not depend on them.
    public var fixes = true
    /// Whether those fixes are written out (`Linter.keepsFixes`), or only known to be possible.
    public var rendersFixes = true

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
    /// Every embedded config by namespace ("" for none), and the values files and config.json
    /// files, for runs with several renderings.
    private var embeddedByNamespace: [String: [Int]] = [:]
    private var looseConfigs: [Int] = []

    /// One `key=value`; both strings are the shared copies the objects hold.
    struct Label: Hashable {
        let key: String
        let value: String
    }

    /// The objects under one index key, in the order they were read. Most keys name one object,
    /// which is kept without an array of its own.
    struct Bucket {
        /// -1 until the first object comes.
        private var first: Int32 = -1
        private var rest: [Int32] = []

        /// Added where the bucket is kept: the key is hashed once (Labels are two Strings, and
        /// the facts of a stream are absorbed on the one reading thread).
        mutating func append(_ i: Int) {
            if first < 0 { first = Int32(i) } else { rest.append(Int32(i)) }
        }

        var all: [Int] { [Int(first)] + rest.map(Int.init) }
    }

    /// Renderings: two files that define the same object (kind, namespace, name) are alternative
    /// renderings of it, one per environment, and must not see each other's objects. Files that
    /// collide with none are one release split over files and see everything, as before.
    /// Where each object was first defined, by a hash of its identity (a run keeps one entry per
    /// object, so no strings), to the file's string-table id.
    private var fileOfObject: [Int: Int32] = [:]
    /// By the files' string-table ids, which tell names apart by their bytes: `é` precomposed
    /// and `e` with a combining accent are two files on Linux, and one String.
    private var collisions: Set<FilePair> = []
    private var collidingFiles: Set<Int32> = []

    struct FilePair: Hashable {
        let a: Int32
        let b: Int32
        init(_ x: Int32, _ y: Int32) { (a, b) = x < y ? (x, y) : (y, x) }
    }

    private func record(_ kind: String, _ namespace: String?, _ name: String?, in file: String) {
        var hasher = Hasher()
        hasher.combine(kind)
        hasher.combine(namespace)
        hasher.combine(name)
        let key = hasher.finalize()
        let id = StringTable.shared.fileID(file)
        guard let firstID = fileOfObject[key] else { fileOfObject[key] = id; return }
        guard firstID != id, collisions.insert(FilePair(firstID, id)).inserted else { return }
        collidingFiles.insert(firstID)
        collidingFiles.insert(id)
    }

    /// Whether objects of one file may relate to those of another: the same file; two files that
    /// define no object in common and are not both alternative renderings from different
    /// directories (prod/gw.yaml must not meet staging/svc.yaml although they share no name).
    public func sameRendering(_ f: String, _ g: String) -> Bool {
        if collidingFiles.isEmpty || f.sameBytes(as: g) { return true }
        let a = StringTable.shared.fileID(f), b = StringTable.shared.fileID(g)
        if collisions.contains(FilePair(a, b)) { return false }
        return !(collidingFiles.contains(a) && collidingFiles.contains(b)) || Self.directory(f).sameBytes(as: Self.directory(g))
    }

    static func directory(_ file: String) -> String {
        file.utf8.lastIndex(of: 0x2F).map { String(file[..<$0]) } ?? ""
    }

    public init() {}

    func add(_ fragment: ClusterFragment) {
        for w in fragment.workloads { record(w.object.kind, w.object.namespace, w.object.name, in: w.object.file) }
        for s in fragment.services { record("Service", s.object.namespace, s.object.name, in: s.object.file) }
        for p in fragment.policies { record("NetworkPolicy", p.object.namespace, p.object.name, in: p.object.file) }
        for c in fragment.configs { if let object = c.object { record(object.kind, c.namespace, object.name, in: c.file) } }
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
            if c.isEmbedded {
                embeddedByNamespace[c.namespace ?? "", default: []].append(i)
            } else {
                looseConfigs.append(i)
            }
        }
    }

    private static func add<K: Hashable>(_ i: Int, under key: K, to index: inout [K: Bucket]) {
        index[key, default: Bucket()].append(i)
    }

    /// Objects indexed under any of the pod's labels.
    static func candidates(for labels: Labels, in index: [Label: Bucket]) -> [Int] {
        labels.pairs.flatMap { k, v in index[Label(key: k, value: v)]?.all ?? [] }
    }

    /// The Services of a name a workload's namespace can see, in the order they were read.
    func services(named name: String, near w: Workload) -> [KubeService] {
        (servicesByName[name]?.all ?? []).map { services[$0] }.filter {
            $0.object.sharesNamespace(with: w.object.namespace) && sameRendering(w.object.file, $0.object.file)
        }
    }

    /// The configuration that governs a workload: a config.json shipped in its namespace first
    /// (of its own rendering), then a values file or config.json of the same run, the one in the
    /// workload's directory or the nearest above it first.
    public func config(for w: Workload) -> ClusterConfig? {
        if let i = configOf[ObjectIdentifier(w)] { return i < 0 ? nil : configs[i] }
        return findConfig(for: w).map { configs[$0] }
    }

    private func findConfig(for w: Workload) -> Int? {
        if collidingFiles.isEmpty {
            // The common case, one rendering: the first embedded config whose namespace is unset
            // or the workload's (any, when the workload's is unset), as `sharesNamespace` reads them.
            let embedded: Int?
            if let ns = w.object.namespace {
                embedded = [firstEmbeddedWithoutNamespace, firstEmbeddedByNamespace[ns]].compactMap { $0 }.min()
            } else {
                embedded = firstEmbeddedConfig
            }
            if let i = embedded { return i }
        } else {
            let candidates = w.object.namespace.map { (embeddedByNamespace[$0] ?? []) + (embeddedByNamespace[""] ?? []) }
                ?? embeddedByNamespace.values.flatMap { $0 }
            if let i = candidates.sorted().first(where: { sameRendering(w.object.file, configs[$0].file) }) { return i }
        }
        // A values file or config.json belongs to the renderings in its directory and below.
        let dir = Self.directory(w.object.file)
        let nearest = looseConfigs.filter { dir.isWithin(directory: Self.directory(configs[$0].file)) }
            .max { Self.directory(configs[$0].file).utf8.count < Self.directory(configs[$1].file).utf8.count }
        if let nearest { return nearest }
        return firstValuesConfig ?? firstStandaloneConfig
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
        let workloads = clusteredWorkloads
        // The keys (every label and port of every workload, as text) are made on every core.
        let keys = concurrentMap(count: workloads.count, block: 512) { groupKey(workloads[$0]) }
        for (w, key) in zip(workloads, keys) {
            if let i = index[key] {
                groups[i].append(w)
            } else {
                index[key] = groups.count
                groups.append([w])
                representativeKeys[ObjectIdentifier(w)] = key
            }
        }
        return groups
    }()

    private var selectedCache: [String: (services: [KubeService], policies: [NetworkPolicy])] = [:]
    /// The rules read the model on several threads (`prepareForRules`): the cache is
    /// the one thing they write.
    private let cacheLock = Lock()

    /// Makes what the model makes lazily, so the cluster rules can then run at once: after
    /// this they only read it (and the selection cache, under its lock). What every cluster
    /// rule asks of every peer group (the Services and policies selecting it, its headless
    /// Services, each workload's config) is worked out here once, on every core, and read
    /// without a lock or a String key after.
    func prepareForRules() {
        // Each workload's config first, on every core: picking the clustered workloads asks it
        // twice for each, and it was the longest stretch of this on one thread.
        let all = workloads
        let found = concurrentMap(count: all.count, block: 512) { findConfig(for: all[$0]) ?? -1 }
        configOf = Dictionary(uniqueKeysWithValues: zip(all.map { ObjectIdentifier($0) }, found))
        let groups = peerGroups
        var groupOf: [ObjectIdentifier: Int] = [:]
        for (g, group) in groups.enumerated() {
            for w in group { groupOf[ObjectIdentifier(w)] = g }
        }
        let made = concurrentMap(count: groups.count, block: 256) { g -> (selected: Selection, headless: Headless) in
            let selection = computeSelected(groups[g][0])
            return (selection, computeHeadless(groups[g], shared: selection.services))
        }
        selectedByGroup = made.map(\.selected)
        headlessByGroup = made.map(\.headless)
        groupOfWorkload = groupOf
    }

    typealias Selection = (services: [KubeService], policies: [NetworkPolicy])
    typealias Headless = (shared: [KubeService], own: [(Workload, KubeService)])
    /// Filled by `prepareForRules`: each clustered workload's peer group, what each
    /// group selects and is served by, and each workload's config (-1 for none).
    private var groupOfWorkload: [ObjectIdentifier: Int] = [:]
    private var selectedByGroup: [Selection] = []
    private var headlessByGroup: [Headless] = []
    private var configOf: [ObjectIdentifier: Int] = [:]

    /// The headless Services and the policies whose selectors pick a group's pods, in the order
    /// they were read; worked out once per group.
    /// A workload in an alternative rendering sees only its own rendering: its file joins the key.
    private func groupKey(_ w: Workload) -> String {
        guard !collidingFiles.isEmpty else { return w.peerKey }
        let file = StringTable.shared.fileID(w.object.file)
        return collidingFiles.contains(file) ? w.peerKey + "\u{2}" + String(file) : w.peerKey
    }

    /// The key of each group's first workload, the one the rules ask with: made once, not per question.
    private var representativeKeys: [ObjectIdentifier: String] = [:]

    private func selected(_ w: Workload) -> Selection {
        if let g = groupOfWorkload[ObjectIdentifier(w)] { return selectedByGroup[g] }
        let key = representativeKeys[ObjectIdentifier(w)] ?? groupKey(w)
        if let cached = cacheLock.withLock({ selectedCache[key] }) { return cached }
        let made = computeSelected(w)
        cacheLock.withLock { selectedCache[key] = made }
        return made
    }

    private func computeSelected(_ w: Workload) -> Selection {
        let file = w.object.file
        let serviceCandidates = Set(Self.candidates(for: w.podLabels, in: servicesByLabel)).union(servicesUnindexed)
        let services = serviceCandidates.sorted().map { self.services[$0] }.filter { $0.isHeadless && $0.selects(w) && sameRendering(file, $0.object.file) }
        let policyCandidates = Set(Self.candidates(for: w.podLabels, in: policiesByLabel)).union(policiesUnindexed)
        let policies = policyCandidates.sorted().map { self.policies[$0] }.filter { $0.selects(w) && sameRendering(file, $0.object.file) }
        return (services, policies)
    }

    /// Headless Services that peers of a group use: those selecting its pods, shared by the
    /// group, and for each workload the one its `serviceName` names when that is another.
    public func headlessServices(of group: [Workload]) -> (shared: [KubeService], own: [(Workload, KubeService)]) {
        if let g = groupOfWorkload[ObjectIdentifier(group[0])], peerGroups[g].count == group.count, peerGroups[g][0] === group[0] {
            return headlessByGroup[g]
        }
        return computeHeadless(group, shared: selected(group[0]).services)
    }

    private func computeHeadless(_ group: [Workload], shared: [KubeService]) -> Headless {
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
