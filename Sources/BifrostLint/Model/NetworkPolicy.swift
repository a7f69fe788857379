import YAMLSource

/// A NetworkPolicy read the way Kubernetes reads it: no `ports` = every port, no `protocol` = TCP,
/// no peers = every peer, and `policyTypes` defaulted from the presence of `egress`.
public final class NetworkPolicy: Sendable {
    public enum Direction: String, Sendable {
        case ingress = "Ingress", egress = "Egress"
        var peerKey: String { self == .ingress ? "from" : "to" }
        var specKey: String { self == .ingress ? "ingress" : "egress" }
    }

    struct Peer: Sendable {
        var podSelector: LabelSelector?
        var namespaceSelector: LabelSelector?
        var cidr: String?
    }

    struct PolicyPort: Sendable {
        var proto: String
        var port: PortRef?
        var endPort: Int?
    }

    struct PolicyRule: Sendable {
        /// Empty = all peers.
        var peers: [Peer]
        /// Empty = all ports.
        var ports: [PolicyPort]
        /// The rule's `ports` list, for fixes that add to it.
        var portList: PortListShape?
    }

    /// One value per direction, stored inline (a policy is kept for the whole run).
    struct PerDirection<T: Sendable>: Sendable {
        var ingress: T
        var egress: T

        subscript(direction: Direction) -> T {
            get { direction == .ingress ? ingress : egress }
            set { if direction == .ingress { ingress = newValue } else { egress = newValue } }
        }
    }

    public let object: ObjectIdentity
    let podSelector: LabelSelector
    private let restricted: PerDirection<Bool>
    let rules: PerDirection<[PolicyRule]>
    /// Where to point when this policy blocks a direction: its rule list, its policyTypes entry, or its spec.
    private let anchors: PerDirection<Loc>

    func restricts(_ direction: Direction) -> Bool { restricted[direction] }

    init?(_ object: KubeObject) {
        guard object.kind == "NetworkPolicy", let spec = object.spec else { return nil }
        let identity = ObjectIdentity(object)
        self.object = identity
        podSelector = spec["podSelector"].map(LabelSelector.init(selector:)) ?? .everything
        if let types = spec["policyTypes"]?.items.compactMap({ $0.string }), !types.isEmpty {
            restricted = PerDirection(ingress: types.contains("Ingress"), egress: types.contains("Egress"))
        } else {
            restricted = PerDirection(ingress: true, egress: spec["egress"] != nil)
        }
        var rules = PerDirection<[PolicyRule]>(ingress: [], egress: [])
        var anchors = PerDirection(ingress: identity.anchor, egress: identity.anchor)
        for direction in [Direction.ingress, .egress] {
            rules[direction] = spec[direction.specKey]?.items.map { r in
                let peers = r[direction.peerKey]?.items.map { p in
                    Peer(podSelector: p["podSelector"].map(LabelSelector.init(selector:)),
                         namespaceSelector: p["namespaceSelector"].map(LabelSelector.init(selector:)),
                         cidr: p["ipBlock"]?["cidr"]?.string)
                } ?? []
                let ports = r["ports"]?.items.map { p in
                    PolicyPort(proto: protocolOf(p), port: PortRef(p["port"]), endPort: p["endPort"]?.int.map(Int.init))
                } ?? []
                return PolicyRule(peers: peers, ports: ports, portList: r["ports"].flatMap { $0.isSequence ? PortListShape($0) : nil })
            } ?? []
            let anchor = spec.pair(direction.specKey)?.key
                ?? spec["policyTypes"]?.items.first(where: { $0.string == direction.rawValue })
                ?? object.node.pair("spec")?.key ?? object.anchorNode
            anchors[direction] = Loc(anchor)
        }
        self.rules = rules
        self.anchors = anchors
    }

    public func selects(_ workload: Workload) -> Bool {
        object.sharesNamespace(with: workload.object.namespace) && podSelector.matches(workload.podLabels)
    }

    /// Whether this policy lets pods of `workload` talk to each other on `port`/`proto` in `direction`.
    func admitsPeerTraffic(_ direction: Direction, port: Int, proto: String, within workload: Workload) -> Bool {
        peerRule(direction, port: port, proto: proto, within: workload) != nil
    }

    /// The first rule that admits that traffic.
    func peerRule(_ direction: Direction, port: Int, proto: String, within workload: Workload) -> PolicyRule? {
        rules[direction].first { rule in
            let peerOK = rule.peers.isEmpty || rule.peers.contains { admits($0, workload) }
            let portOK = rule.ports.isEmpty || rule.ports.contains { p in
                guard p.proto == proto else { return false }
                guard let ref = p.port else { return true }
                guard let number = workload.resolve(ref, proto: proto) else { return false }
                return port >= number && port <= (p.endPort ?? number)
            }
            return peerOK && portOK
        }
    }

    private func admits(_ peer: Peer, _ workload: Workload) -> Bool {
        if let cidr = peer.cidr { return cidr == "0.0.0.0/0" || cidr == "::/0" }
        if let ns = peer.namespaceSelector {
            // Namespace labels are not in the manifests; only the well-known name label can rule one out.
            if let wanted = ns.matchLabels["kubernetes.io/metadata.name"], let actual = workload.object.namespace ?? object.namespace, wanted != actual {
                return false
            }
        } else if !object.sharesNamespace(with: workload.object.namespace) {
            return false
        }
        return (peer.podSelector ?? .everything).matches(workload.podLabels)
    }

    func anchor(_ direction: Direction) -> Loc {
        anchors[direction]
    }
}
