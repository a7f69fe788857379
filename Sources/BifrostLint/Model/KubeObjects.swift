import YAMLSource

public struct ContainerPort: Sendable {
    public let number: Int?
    public let name: String?
    public let proto: String
    /// The `containerPort` value, or the item.
    public let loc: Loc
}

/// The facts the cluster rules need about a Bifrost container.
public struct Container: Sendable {
    public let name: String?
    public let image: String?
    public let ports: [ContainerPort]
    /// The `ports` key, else the container's name.
    public let portsAnchor: Loc
    let portList: PortListShape?

    init(_ node: Node) {
        name = node["name"]?.string
        // The same image runs in thousands of releases: one copy.
        image = node["image"]?.string.map(StringTable.shared.intern)
        ports = node["ports"]?.items.map { p in
            ContainerPort(number: p["containerPort"]?.int.map(Int.init), name: p["name"]?.string, proto: protocolOf(p), loc: Loc(p["containerPort"] ?? p))
        } ?? []
        portsAnchor = Loc(node.pair("ports")?.key ?? node["name"] ?? node)
        portList = node["ports"].flatMap { $0.isSequence ? PortListShape($0) : nil }
    }

    static func isBifrostImage(_ image: String?) -> Bool {
        guard let image else { return false }
        // The last path segment of the repository, without digest or tag; asked of every container.
        var name = Substring(image)
        if let at = name.utf8.firstIndex(of: 0x40) { name = name[..<at] }
        if let slash = name.utf8.lastIndex(of: 0x2F) { name = name[name.utf8.index(after: slash)...] }
        if let colon = name.utf8.firstIndex(of: 0x3A) { name = name[..<colon] }
        return name == "bifrost" || name.hasPrefix("bifrost-") || name.hasPrefix("bifrost_")
    }

    /// A container under another image that is still the gateway: the chart names it `bifrost`
    /// (`.Chart.Name`), and it mounts a `config.json` or sets Bifrost's `APP_DIR`.
    static func looksLikeGateway(_ node: Node) -> Bool {
        if node["name"]?.string == "bifrost" { return true }
        let mountsConfig = node["volumeMounts"]?.items.contains { $0["mountPath"]?.string?.hasSuffix("/config.json") == true } ?? false
        let setsAppDir = node["env"]?.items.contains { $0["name"]?.string == "APP_DIR" } ?? false
        return mountsConfig || setsAppDir
    }

    func exposes(_ port: Int, _ proto: String) -> Bool {
        ports.contains { $0.number == port && $0.proto == proto }
    }
}

/// What every cluster fact keeps of its Kubernetes object.
public struct ObjectIdentity: Sendable {
    public let kind: String
    public let name: String?
    public let namespace: String?
    /// metadata.name, else `kind`.
    public let anchor: Loc

    public var file: String { anchor.file }

    init(_ object: KubeObject) {
        kind = object.kind
        name = object.name
        namespace = object.namespace
        anchor = Loc(object.anchorNode)
    }

    public func sharesNamespace(with other: String?) -> Bool {
        namespace == nil || other == nil || namespace == other
    }

    var displayName: String { "\(kind) \(name.map { "'\($0)'" } ?? "(unnamed)")" }
}

/// A StatefulSet or Deployment running Bifrost.
public final class Workload: Sendable {
    public let object: ObjectIdentity
    public let podLabels: Labels
    /// Named ports of the pod's other containers (the Bifrost container's are in `bifrost`), for
    /// `targetPort: grpc` and NetworkPolicy port names.
    let otherNamedPorts: [(name: String, number: Int?, proto: String)]
    public let bifrost: Container
    public let serviceName: (value: String?, loc: Loc)?
    public let updateStrategyType: (value: String?, loc: Loc)?
    public let maxUnavailable: (value: ScalarValue?, loc: Loc)?
    public let replicas: Int

    init?(_ object: KubeObject) {
        guard object.kind == "StatefulSet" || object.kind == "Deployment",
              let podSpec = object.spec?["template"]?["spec"] else { return nil }
        let labels = Labels(object.spec?["template"]?["metadata"]?["labels"])
        let containerNodes = podSpec["containers"]?.items ?? []
        // The chart labels its bundled Postgres, Redis, Qdrant and Weaviate `app.kubernetes.io/name:
        // bifrost` too, so the label alone never makes a gateway: a mirrored image needs a
        // container that looks like one as well.
        let labelled = labels["app.kubernetes.io/name"] == "bifrost" || object.label("app.kubernetes.io/name") == "bifrost"
        guard let main = containerNodes.first(where: { Container.isBifrostImage($0["image"]?.string) })
                ?? (labelled ? containerNodes.first(where: Container.looksLikeGateway) : nil) else { return nil }
        self.object = ObjectIdentity(object)
        podLabels = labels
        otherNamedPorts = containerNodes.filter { $0 != main }.flatMap { c in
            (c["ports"]?.items ?? []).compactMap { p in p["name"]?.string.map { ($0, p["containerPort"]?.int.map(Int.init), protocolOf(p)) } }
        }
        bifrost = Container(main)
        let spec = object.spec
        serviceName = spec?["serviceName"].map { ($0.string, Loc($0)) }
        let strategy = spec?["updateStrategy"]
        updateStrategyType = strategy?["type"].map { ($0.string, Loc($0)) }
        maxUnavailable = strategy?["rollingUpdate"]?["maxUnavailable"].map { ($0.value, Loc($0)) }
        replicas = Int(spec?["replicas"]?.int ?? 1)
    }

    public var isStatefulSet: Bool { object.kind == "StatefulSet" }

    /// What selectors, port names and the config lookup see of the workload: equal keys, equal
    /// answers (see ClusterModel.peerGroups).
    var peerKey: String {
        // Its bytes first, one String at the end: appending a piece at a time grew the String
        // again and again, for every workload of a stream.
        var key: [UInt8] = []
        key.reserveCapacity(256)
        func add(_ s: String) { key.append(contentsOf: s.utf8) }
        func add(_ port: (name: String?, number: Int?, proto: String)) {
            key.append(0)
            add(port.name ?? "")
            key.append(0x2F)
            if let n = port.number { add(String(n)) }
            key.append(0x2F)
            add(port.proto)
        }
        add(object.namespace ?? "")
        for (k, v) in podLabels.pairs {
            key.append(0)
            add(k)
            key.append(0x3D)
            add(v)
        }
        key.append(1)
        for p in bifrost.ports { add((p.name, p.number, p.proto)) }
        key.append(1)
        for p in otherNamedPorts { add((p.name, p.number, p.proto)) }
        return String(decoding: key, as: UTF8.self)
    }

    /// "StatefulSet 'gw'", or "StatefulSet 'gw' and 799 other Bifrost workloads".
    static func describe(_ groups: [[Workload]]) -> String {
        guard let first = groups.first?.first else { return "no workload" }
        let others = groups.reduce(0) { $0 + $1.count } - 1
        return others == 0 ? first.object.displayName : "\(first.object.displayName) and \(others) other Bifrost workload\(others == 1 ? "" : "s")"
    }

    /// Resolves a named port (`targetPort: grpc`) against the pod's containers.
    func resolve(_ ref: PortRef, proto: String) -> Int? {
        switch ref {
        case .number(let n): return n
        case .name(let name):
            // Port names are unique within a pod, so which container is asked first does not matter.
            if let own = bifrost.ports.first(where: { $0.name == name && $0.proto == proto }) { return own.number }
            return otherNamedPorts.first { $0.name == name && $0.proto == proto }?.number
        }
    }
}

public struct ServicePort: Sendable {
    public let port: Int?
    public let targetPort: PortRef?
    public let name: String?
    public let proto: String
    /// The `targetPort` value, else `port`, else the item.
    public let loc: Loc
}

public final class KubeService: Sendable {
    public let object: ObjectIdentity
    public let isHeadless: Bool
    public let clusterIP: Loc?
    /// nil when the Service has no selector (endpoints managed by hand).
    public let selector: LabelSelector?
    public let selectorLoc: Loc?
    public let ports: [ServicePort]
    public let portsAnchor: Loc
    let portList: PortListShape?

    init?(_ object: KubeObject) {
        guard object.kind == "Service" else { return nil }
        self.object = ObjectIdentity(object)
        let spec = object.spec
        isHeadless = spec?["clusterIP"]?.string == "None"
        clusterIP = spec?["clusterIP"].map(Loc.init)
        selector = spec?["selector"].flatMap { $0.isMapping ? LabelSelector(map: $0) : nil }
        selectorLoc = spec?["selector"].map(Loc.init)
        ports = spec?["ports"]?.items.map { p in
            ServicePort(port: p["port"]?.int.map(Int.init), targetPort: PortRef(p["targetPort"]), name: p["name"]?.string, proto: protocolOf(p),
                        loc: Loc(p["targetPort"] ?? p["port"] ?? p))
        } ?? []
        portsAnchor = Loc(spec?.pair("ports")?.key ?? object.node.pair("spec")?.key ?? object.anchorNode)
        portList = spec?["ports"].flatMap { $0.isSequence ? PortListShape($0) : nil }
    }

    public func selects(_ workload: Workload) -> Bool {
        guard object.sharesNamespace(with: workload.object.namespace), let selector, !selector.isEmpty else { return false }
        return selector.matches(workload.podLabels)
    }

    /// Whether peers can reach `port`/`proto` of the workload's pods through this Service's DNS.
    /// A headless Service resolves to pod IPs, so the listed port or its target both count.
    func exposes(_ port: Int, _ proto: String, of workload: Workload) -> Bool {
        ports.contains { p in
            guard p.proto == proto else { return false }
            if p.port == port { return true }
            if let target = p.targetPort, workload.resolve(target, proto: proto) == port { return true }
            return false
        }
    }
}

/// Findings gathered per Kubernetes object (a Service, a policy) and one more key (a port, a
/// direction), in first-seen order, with every group of workloads that meets the same gap.
struct PerObject<Object: AnyObject, Key: Hashable> {
    struct Entry {
        let object: Object
        let key: Key
        /// Peer groups are shared arrays: adding one costs the same whatever its size.
        var groups: [[Workload]]

        var first: Workload { groups[0][0] }
        var described: String { Workload.describe(groups) }
    }

    private(set) var entries: [Entry] = []
    private var index: [Slot: Int] = [:]

    private struct Slot: Hashable {
        let object: ObjectIdentifier
        let key: Key
    }

    mutating func add(_ object: Object, _ key: Key, _ group: [Workload]) {
        let slot = Slot(object: ObjectIdentifier(object), key: key)
        if let i = index[slot] {
            entries[i].groups.append(group)
        } else {
            index[slot] = entries.count
            entries.append(Entry(object: object, key: key, groups: [group]))
        }
    }
}
