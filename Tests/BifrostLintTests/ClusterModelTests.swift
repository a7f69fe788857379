import Testing
@testable import BifrostLint

/// The compact facts the cluster rules relate across documents.
@Suite("Cluster model")
struct ClusterModelTests {
    static func model(_ text: String) -> ClusterModel {
        let parse = YAMLParser.parse(SourceFile(name: "m.yaml", bytes: Array(text.utf8)))
        let model = ClusterModel()
        model.add(LintContext([parse]).clusterFragment)
        return model
    }

    static let podWithSidecar = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: gw}
        spec:
          serviceName: gw-headless
          template:
            metadata:
              labels: {app.kubernetes.io/name: bifrost, app.kubernetes.io/instance: gw}
            spec:
              containers:
                - name: proxy
                  image: envoyproxy/envoy:v1.31
                  ports: [{name: metrics, containerPort: 9901}, {name: stats, containerPort: 9902, protocol: UDP}]
                - name: bifrost
                  image: maximhq/bifrost:v1.4.0
                  ports:
                    - {name: gossip, containerPort: 10101}
                    - {name: grpc, containerPort: 10102, protocol: TCP}

        """

    @Test func namedPortsResolveInEveryContainerOfThePod() throws {
        let w = try #require(Self.model(Self.podWithSidecar).workloads.first)
        #expect(w.bifrost.name == "bifrost")
        #expect(w.resolve(.name("grpc"), proto: "TCP") == 10102)
        #expect(w.resolve(.name("metrics"), proto: "TCP") == 9901)
        #expect(w.resolve(.name("stats"), proto: "UDP") == 9902)
        #expect(w.resolve(.name("stats"), proto: "TCP") == nil)
        #expect(w.resolve(.name("grpc"), proto: "UDP") == nil)
        #expect(w.resolve(.name("admin"), proto: "TCP") == nil)
        #expect(w.resolve(.number(8080), proto: "TCP") == 8080)
    }

    @Test func labelsAreSortedAndTheLastValueOfAKeyWins() throws {
        let parse = YAMLParser.parse(SourceFile(name: "l.yaml", bytes: Array("{tier: web, app: gw, replicas: 3, tier: api, empty: ~}".utf8)))
        let labels = Labels(parse.documents.first?.root)
        #expect(labels.pairs.map(\.key) == ["app", "empty", "replicas", "tier"])
        #expect(labels["tier"] == "api")
        #expect(labels["replicas"] == "3")
        #expect(labels["missing"] == nil)
        #expect(Labels(nil).isEmpty)
        // Equal sets read from different places compare equal (and are stored once).
        let again = YAMLParser.parse(SourceFile(name: "k.yaml", bytes: Array("{app: gw, tier: api, replicas: 3, empty: ~}".utf8)))
        #expect(Labels(again.documents.first?.root) == labels)
    }

    /// A label map read again is found by its written bytes; each key and value is counted in,
    /// so maps whose bytes run together stay apart.
    @Test func labelsReadAgainFromTheSameBytesAreTheSame() throws {
        func root(_ text: String) -> Node? { YAMLParser.parse(SourceFile(name: "l.yaml", bytes: Array(text.utf8))).documents.first?.root }
        let text = "{tier: web, app: gw, tier: api, \"x\": 'y'}"
        for labels in [Labels(root(text)), Labels(root(text))] {
            #expect(labels.pairs.map(\.key) == ["app", "tier", "x"])
            #expect(labels["tier"] == "api")
            #expect(labels["x"] == "y")
        }
        #expect(Labels(root("{app: gw, x: 'y', tier: api}")) == Labels(root(text)))
        // A plain y is true (YAML 1.1), as it always was.
        #expect(Labels(root("{x: y}"))["x"] == "true")
        let ab = Labels(root("{ab: c}")), a = Labels(root("{a: bc}"))
        #expect(ab["ab"] == "c")
        #expect(a["a"] == "bc")
        #expect(ab != a)
        // Merge keys are expanded, however often the map is read.
        for _ in 0..<2 {
            let merged = Labels(root("base: &b {app: gw}\nm: {<<: *b, tier: api}\n")?["m"])
            #expect(merged.pairs.map(\.key) == ["app", "tier"])
        }
    }

    @Test func everyObjectIndexedUnderTheSameLabelIsACandidate() throws {
        func service(_ name: String, _ selector: String) -> String {
            "apiVersion: v1\nkind: Service\nmetadata: {name: \(name)}\nspec:\n  clusterIP: None\n  selector: \(selector)\n  ports: [{name: gossip, port: 10101}]\n"
        }
        func policy(_ name: String, _ selector: String) -> String {
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: \(name)}\nspec:\n  podSelector: {matchLabels: \(selector)}\n  policyTypes: [Ingress]\n"
        }
        let model = Self.model([
            Self.podWithSidecar,
            service("gw-headless", "{app.kubernetes.io/instance: gw}"),
            service("other-headless", "{app.kubernetes.io/instance: other}"),
            service("gw-peers", "{app.kubernetes.io/instance: gw, app.kubernetes.io/name: bifrost}"),
            service("gw-unselected", "{app.kubernetes.io/instance: gw, tier: db}"),
            policy("a", "{app.kubernetes.io/instance: gw}"),
            policy("b", "{app.kubernetes.io/instance: gw}"),
            policy("c", "{app.kubernetes.io/name: bifrost}"),
            policy("d", "{app.kubernetes.io/instance: other}"),
        ].joined(separator: "---\n"))
        let w = try #require(model.workloads.first)
        let (shared, own) = model.headlessServices(of: [w])
        #expect((shared + own.map(\.1)).map { $0.object.name } == ["gw-headless", "gw-peers"])
        #expect(model.policies(selecting: w).map { $0.object.name } == ["a", "b", "c"])
        #expect(model.services(named: "gw-unselected", near: w).count == 1)
    }

    @Test func aWorkloadTakesTheConfigOfItsNamespaceFirst() throws {
        func configMap(_ ns: String?, port: Int) -> String {
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg\(port)\(ns.map { ", namespace: \($0)" } ?? "")}\n"
                + "data:\n  config.json: '{\"cluster_config\": {\"enabled\": true, \"grpc\": {\"port\": \(port)}}}'\n"
        }
        func workload(_ ns: String?) -> String {
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: gw\(ns.map { ", namespace: \($0)" } ?? "")}\n"
                + "spec:\n  template:\n    spec:\n      containers: [{name: bifrost, image: maximhq/bifrost:v1.4.0}]\n"
        }
        let values = "bifrost:\n  cluster:\n    grpc: {port: 13000}\n"
        let all = Self.model([workload("a"), workload("b"), workload(nil), configMap("a", port: 11000), configMap("c", port: 11500),
                              configMap(nil, port: 12000), configMap("b", port: 12500), values].joined(separator: "---\n"))
        #expect(all.workloads.map { all.grpcPort(for: $0) } == [11000, 12000, 11000])
        // No embedded config in reach: the values file, then nothing (the default port).
        let noEmbedded = Self.model([workload("a"), configMap("z", port: 11000), values].joined(separator: "---\n"))
        #expect(noEmbedded.workloads.map { noEmbedded.grpcPort(for: $0) } == [13000])
        let none = Self.model(workload("a"))
        #expect(none.workloads.map { none.grpcPort(for: $0) } == [10102])
    }

    @Test(arguments: [
        ("maximhq/bifrost:v1.4.0", true), ("bifrost", true), ("registry.local:5000/team/bifrost:1.4", true),
        ("ghcr.io/maximhq/bifrost@sha256:0123abcd", true), ("maximhq/bifrost-enterprise:v1.4.0", true), ("acme/bifrost_gw", true),
        ("maximhq/bifrostx:1", false), ("bifrost/envoy:v1.31", false), ("registry.local:5000/bifrost-proxy-cache/nginx:1", false), ("", false),
    ])
    func bifrostImagesAreKnownByTheirRepositoryName(_ image: String, _ expected: Bool) {
        #expect(Container.isBifrostImage(image) == expected)
    }
}
