import YAMLSource

public struct ServicePort: Sendable {
    public let port: Int?
    public let targetPort: PortRef?
    public let name: String?
    public let proto: String
    public let node: Node
}

public struct KubeService: Sendable {
    public let object: KubeObject
    public let isHeadless: Bool
    /// nil when the Service has no selector (endpoints managed by hand).
    public let selector: LabelSelector?
    public let ports: [ServicePort]

    init?(_ object: KubeObject) {
        guard object.kind == "Service" else { return nil }
        self.object = object
        let spec = object.spec
        isHeadless = spec?["clusterIP"]?.string == "None"
        selector = spec?["selector"].flatMap { $0.isMapping ? LabelSelector(map: $0) : nil }
        ports = spec?["ports"]?.items.map { p in
            ServicePort(port: p["port"]?.int.map(Int.init), targetPort: PortRef(p["targetPort"]), name: p["name"]?.string, proto: protocolOf(p), node: p)
        } ?? []
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

    var portsAnchor: Node {
        object.spec?.pair("ports")?.key ?? object.node.pair("spec")?.key ?? object.anchorNode
    }
}
