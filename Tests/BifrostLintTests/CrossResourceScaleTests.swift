import Testing
@testable import BifrostLint

/// Releases that share selector labels in one namespace: each Service, policy and workload gets
/// one finding per problem, naming the others, never one per pair (issue 17, item 9).
@Suite("Cross-resource findings stay linear")
struct CrossResourceScaleTests {
    static func releases(_ n: Int) -> String {
        (0..<n).map { i in
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: gw\(i), namespace: llm}
            spec:
              serviceName: gw\(i)-headless
              template:
                metadata: {labels: {app.kubernetes.io/name: bifrost}}
                spec:
                  containers:
                    - name: bifrost
                      image: docker.io/maximhq/bifrost:v1.5.0
                      ports:
                        - {name: http, containerPort: 8080}
                        - {name: gossip, containerPort: 10101}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: gw\(i)-headless, namespace: llm}
            spec:
              clusterIP: None
              selector: {app.kubernetes.io/name: bifrost}
              ports:
                - {name: http, port: 8080}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: gw\(i)-np, namespace: llm}
            spec:
              podSelector: {matchLabels: {app.kubernetes.io/name: bifrost}}
              policyTypes: [Ingress]
              ingress:
                - ports: [{port: 8080}]

            """
        }.joined(separator: "---\n")
    }

    @Test func oneFindingPerObjectAndProblem() {
        let n = 40
        let findings = Linter().lint([SourceFile(name: "releases.yaml", text: Self.releases(n))])
        let count = { (code: String) in findings.filter { $0.code == code }.count }
        #expect(count("BF101") == n)
        // Each headless Service serves all 40 workloads: one finding each, not 40.
        #expect(count("BF102") == n)
        #expect(findings.first { $0.code == "BF102" }?.message.contains("and \(n - 1) other Bifrost workloads") == true)
        // Container gaps per workload, Service gaps per Service; the policy gap is said once.
        #expect(count("BF104") <= 2 * n + n)
        #expect(findings.count < 6 * n, "\(findings.count) findings for \(n) releases")
    }
}
