import Testing
@testable import BifrostLint

/// Several renderings of one release in one run (a GitOps repository with staging/ and prod/):
/// neither may change the other's findings; one release split over files is still matched.
@Suite("Renderings do not talk to each other")
struct RenderingScopeTests {
    static func statefulSet(gossip: Bool) -> String {
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: gw-bifrost, namespace: llm}
        spec:
          serviceName: gw-bifrost-headless
          template:
            metadata: {labels: {app.kubernetes.io/name: bifrost}}
            spec:
              containers:
                - name: bifrost
                  image: docker.io/maximhq/bifrost:v1.5.0
                  ports:
                    - {name: http, containerPort: 8080}
        \(gossip ? "            - {name: gossip, containerPort: 7946}\n            - {name: gossip-udp, containerPort: 7946, protocol: UDP}\n            - {name: grpc, containerPort: 10102}\n" : "")
        """
    }

    static func configMap(cluster: Bool) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw-bifrost-config, namespace: llm}\ndata:\n  config.json: '{\"cluster_config\": {\"enabled\": \(cluster), \"gossip\": {\"port\": 7946}}}'\n"
    }

    static let headless = "apiVersion: v1\nkind: Service\nmetadata: {name: gw-bifrost-headless, namespace: llm}\nspec:\n  clusterIP: None\n  selector: {app.kubernetes.io/name: bifrost}\n  ports:\n    - {name: http, port: 8080}\n"

    func lint(_ files: [(String, String)]) -> [String] {
        Linter().lint(files.map { SourceFile(name: $0.0, text: $0.1) }).map { "\($0.file) \($0.code)" }.sorted()
    }

    @Test func twoRenderingsLintAsTheyDoAlone() {
        // staging: one gateway, no cluster; prod: clustered, its headless Service lacks the ports.
        let staging = ("staging/release.yaml", [Self.statefulSet(gossip: false), Self.configMap(cluster: false), Self.headless].joined(separator: "---\n"))
        let prod = ("prod/release.yaml", [Self.statefulSet(gossip: true), Self.configMap(cluster: true), Self.headless].joined(separator: "---\n"))
        let alone = lint([staging]) + lint([prod])
        #expect(lint([staging]).isEmpty)
        #expect(!lint([prod]).isEmpty)
        #expect(lint([staging, prod]) == alone.sorted())
        #expect(lint([prod, staging]) == alone.sorted())
    }

    /// Two renderings whose names differ only in how `é` is written (precomposed, or `e` and a
    /// combining accent) are two files, which a Linux file system keeps apart: String `==` takes
    /// them as one.
    @Test(arguments: ["", "envs/"])
    func renderingsNamedTheSameInAnotherNormalFormStayApart(_ directory: String) {
        let staging = (directory + "caf\u{E9}.yaml", [Self.statefulSet(gossip: false), Self.configMap(cluster: false), Self.headless].joined(separator: "---\n"))
        let prod = (directory + "cafe\u{301}.yaml", [Self.statefulSet(gossip: true), Self.configMap(cluster: true), Self.headless].joined(separator: "---\n"))
        let alone = (lint([staging]) + lint([prod])).sorted()
        #expect(lint([staging]).isEmpty)
        #expect(lint([staging, prod]) == alone)
        #expect(lint([prod, staging]) == alone)
    }

    @Test func oneReleaseSplitOverFilesIsStillMatched() {
        // helm template --output-dir: one file per template, no object defined twice.
        let files = [
            ("out/gw/templates/stateful.yaml", Self.statefulSet(gossip: true)),
            ("out/gw/templates/configmap.yaml", Self.configMap(cluster: true)),
            ("out/gw/templates/service-headless.yaml", Self.headless),
        ]
        #expect(lint(files).contains("out/gw/templates/service-headless.yaml BF102"))
    }

    @Test func splitRenderingsInTwoDirectoriesStayApart() {
        // staging split over files, prod split over files: staging's StatefulSet must not meet
        // prod's Service although those two files share no object.
        let files = [
            ("staging/templates/stateful.yaml", Self.statefulSet(gossip: false)),
            ("staging/templates/configmap.yaml", Self.configMap(cluster: false)),
            ("staging/templates/service-headless.yaml", Self.headless),
            ("prod/templates/stateful.yaml", Self.statefulSet(gossip: true)),
            ("prod/templates/configmap.yaml", Self.configMap(cluster: true)),
            ("prod/templates/service-headless.yaml", Self.headless),
        ]
        let found = lint(files)
        #expect(!found.contains { $0.hasPrefix("staging/") }, "\(found)")
        #expect(found.contains("prod/templates/service-headless.yaml BF102"), "\(found)")
    }
}
