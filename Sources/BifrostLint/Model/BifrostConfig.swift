#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLSource

/// A Bifrost configuration wherever it lives: under `bifrost:` in Helm values (camelCase),
/// a `config.json` file, or a config.json embedded in a ConfigMap or Secret (snake_case).
public struct BifrostConfig: Sendable {
    public enum Origin: Sendable {
        case values
        case configJSON
        case embedded(KubeObject)
    }

    public let origin: Origin
    /// The mapping holding `providers`, `governance`, `client`… (`bifrost:` in values).
    public let root: Node
    /// Results several rules ask for, worked out once per config.
    let cache = ConfigCache()
    /// Chart-level settings (the values file's own root) for values files.
    public let chartValues: Node?

    public var namespace: String? {
        if case .embedded(let object) = origin { return object.namespace }
        return nil
    }

    public var isValues: Bool {
        if case .values = origin { return true }
        return false
    }

    /// `cluster` in values, `cluster_config` in config.json.
    public var cluster: Node? {
        isValues ? root["cluster"] : root["cluster_config"]
    }

    public var clusterEnabled: Bool { cluster?["enabled"]?.bool == true }

    public var grpcPortNode: Node? { cluster?["grpc"]?["port"] }
    public var gossipPortNode: Node? { cluster?["gossip"]?["port"] }
    /// The HTTP port only values set (`bifrost.port`); config.json leaves it to APP_PORT.
    public var httpPortNode: Node? { isValues ? root["port"] : nil }

    public static let defaultGRPCPort = 10102
    /// Bifrost's own default (enterprise clustering docs) for a config.json without a gossip port.
    public static let defaultGossipPort = 10101
    /// The chart's `bifrost.cluster.gossip.port` default (7946 in every chart 2.1.9–2.1.30): a
    /// values file that leaves it out renders 7946.
    public static let chartDefaultGossipPort = 7946
    public static let defaultHTTPPort = 8080

    public var grpcPort: Int { grpcPortNode?.int.map(Int.init) ?? Self.defaultGRPCPort }
    public var gossipPort: Int { gossipPortNode?.int.map(Int.init) ?? (isValues ? Self.chartDefaultGossipPort : Self.defaultGossipPort) }
    public var httpPort: Int { httpPortNode?.int.map(Int.init) ?? Self.defaultHTTPPort }

    /// Top-level keys of a Bifrost config.json.
    static let topLevelKeys: Set<String> = ["providers", "governance", "client", "cluster_config", "plugins", "config_store", "logs_store", "mcp", "vector_store", "auth_config", "encryption_key", "framework", "scim_config", "access_profiles", "guardrails_config"]
    /// Keys no other common JSON document has at its top level.
    static let distinctiveKeys: Set<String> = ["providers", "governance", "cluster_config", "scim_config", "config_store", "logs_store"]

    /// Whether a document is a Bifrost config.json. A file (or ConfigMap key) named `config.json`
    /// needs one Bifrost top-level key; any other JSON needs a distinctive one, or two.
    static func looksLikeConfig(_ node: Node, namedConfigJSON: Bool = false) -> Bool {
        guard node.isMapping else { return false }
        let keys = node.pairs.map(\.key.keyString)
        if let schema = node["$schema"]?.string, schema.contains("bifrost") { return true }
        let hits = keys.filter(topLevelKeys.contains)
        if namedConfigJSON { return !hits.isEmpty }
        return hits.contains(where: distinctiveKeys.contains) || hits.count >= 2
    }

    /// The Bifrost block of a values file; for an umbrella chart it is one level deeper.
    init(origin: Origin, root: Node, chartValues: Node?) {
        self.origin = origin
        self.root = root
        self.chartValues = chartValues
    }

    /// Keys of the chart's `bifrost:` block that tell it from another tool's `bifrost:` key.
    static let valuesKeys: Set<String> = ["providers", "governance", "client", "cluster", "plugins", "mcp", "accessProfiles", "scim", "encryptionKey", "port", "logLevel", "authConfig", "guardrails"]

    static func fromValues(_ root: Node) -> BifrostConfig? {
        guard let bifrost = root["bifrost"], bifrost.isMapping else {
            // An umbrella chart that aliases the dependency (`gateway:` for chart `bifrost`)
            // hands it its values under the alias: `gateway.bifrost.providers…`.
            for pair in root.pairs where pair.value.isMapping {
                if let inner = pair.value["bifrost"], inner.isMapping, inner.pairs.contains(where: { valuesKeys.contains($0.key.keyString) }) {
                    return BifrostConfig(origin: .values, root: inner, chartValues: pair.value)
                }
            }
            return nil
        }
        if let inner = bifrost["bifrost"], inner.isMapping {
            return BifrostConfig(origin: .values, root: inner, chartValues: bifrost)
        }
        return BifrostConfig(origin: .values, root: bifrost, chartValues: root)
    }

    /// Every config.json carried by a ConfigMap or Secret, parsed through the same YAML layer with
    /// positions mapped back to the manifest.
    static func embedded(in object: KubeObject) -> [(BifrostConfig?, ParseResult)] {
        var out: [(BifrostConfig?, ParseResult)] = []
        func add(_ key: Node, _ value: Node, base64: Bool) {
            guard key.keyString.hasSuffix(".json"), value.isScalar else { return }
            let outer = value.source
            let bytes: [UInt8]
            let origin: EmbeddedOrigin
            // The carrier's path is a fix's scope, which a run that keeps no fix never reads.
            let carrierPath = FixDetail.isOff ? YAMLPath.root : value.path
            if base64 {
                guard let text = value.scalarText else { return }
                let compact = text.filter { !$0.isWhitespace }
                guard let data = Data(base64Encoded: compact) else { return }
                bytes = Array(data)
                origin = EmbeddedOrigin(outer: outer, layout: .fixed(key.range), carrierPath: carrierPath)
            } else {
                // The text's bytes, copied once (libyaml's scalars are valid UTF-8).
                bytes = value.withText { Array($0) }
                origin = EmbeddedOrigin.literalBlock(outer: outer, scalar: value, carrierPath: carrierPath)
                    ?? EmbeddedOrigin(outer: outer, layout: .fixed(value.range), carrierPath: carrierPath)
            }
            let inner = SourceFile(name: outer.name, bytes: bytes, origin: origin)
            let parsed = YAMLParser.parse(inner)
            let named = key.keyString == "config.json"
            let config = parsed.documents.first?.root.flatMap { looksLikeConfig($0, namedConfigJSON: named) ? BifrostConfig(origin: .embedded(object), root: $0, chartValues: nil) : nil }
            out.append((config, parsed))
        }
        switch object.kind {
        case "ConfigMap":
            for p in object.node["data"]?.pairs ?? [] { add(p.key, p.value, base64: false) }
        case "Secret":
            for p in object.node["stringData"]?.pairs ?? [] { add(p.key, p.value, base64: false) }
            for p in object.node["data"]?.pairs ?? [] { add(p.key, p.value, base64: true) }
        default:
            break
        }
        return out
    }
}

/// Per-config memo: the whitelists and the pairs by key name, which several rules walk for.
final class ConfigCache: @unchecked Sendable {
    var virtualKeys: [Node]?
    var providers: [(key: Node, node: Node)]?
    var whitelists: [Whitelist]?
    var pairsByName: [String: [(pair: Pair, parent: Node)]]?
    var takenBudgetIDs: Set<String>?
    /// Whether `budgets:` can be inserted into governance, and where (a checked move's edit).
    var budgetsInsertion: TextEdit??
}
