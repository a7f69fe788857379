import YAMLSource

public struct ContainerPort: Sendable {
    public let number: Int?
    public let name: String?
    public let proto: String
    public let node: Node
}

public struct Container: Sendable {
    public let name: String?
    public let image: String?
    public let node: Node
    public let ports: [ContainerPort]

    init(_ node: Node) {
        self.node = node
        name = node["name"]?.string
        image = node["image"]?.string
        ports = node["ports"]?.items.map { p in
            ContainerPort(number: p["containerPort"]?.int.map(Int.init), name: p["name"]?.string, proto: protocolOf(p), node: p)
        } ?? []
    }

    /// `ghcr.io/acme/bifrost-enterprise:v1.4.0` and `maximhq/bifrost` are Bifrost; `bifrost-exporter` in another repo too,
    /// by design: the image's last path component is what names the product.
    public var isBifrostImage: Bool {
        guard let image else { return false }
        let withoutDigest = image.split(separator: "@").first.map(String.init) ?? image
        let last = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        let repo = last.split(separator: ":").first.map(String.init) ?? last
        return repo == "bifrost" || repo.hasPrefix("bifrost-") || repo.hasPrefix("bifrost_")
    }

    func exposes(_ port: Int, _ proto: String) -> Bool {
        ports.contains { $0.number == port && $0.proto == proto }
    }

    /// The node to point at when a port is missing: the `ports` key, else the container's name.
    var portsAnchor: Node {
        node.pair("ports")?.key ?? node["name"] ?? node
    }
}

/// A StatefulSet or Deployment running Bifrost.
public struct Workload: Sendable {
    public let object: KubeObject
    public let podLabels: [String: String]
    public let containers: [Container]
    public let bifrost: Container

    init?(_ object: KubeObject) {
        guard object.kind == "StatefulSet" || object.kind == "Deployment",
              let podSpec = object.spec?["template"]?["spec"] else { return nil }
        let labels = object.spec?["template"]?["metadata"]?["labels"]?.stringMap ?? [:]
        let containers = podSpec["containers"]?.items.map(Container.init) ?? []
        let labelled = labels["app.kubernetes.io/name"] == "bifrost" || object.labels["app.kubernetes.io/name"] == "bifrost"
        guard let main = containers.first(where: \.isBifrostImage)
                ?? (labelled ? containers.first(where: { $0.name == "bifrost" }) ?? containers.first : nil) else { return nil }
        self.object = object
        self.podLabels = labels
        self.containers = containers
        self.bifrost = main
    }

    public var isStatefulSet: Bool { object.kind == "StatefulSet" }

    /// Resolves a named port (`targetPort: grpc`) against the pod's containers.
    func resolve(_ ref: PortRef, proto: String) -> Int? {
        switch ref {
        case .number(let n): return n
        case .name(let name):
            for c in containers {
                if let p = c.ports.first(where: { $0.name == name && $0.proto == proto }) { return p.number }
            }
            return nil
        }
    }
}
