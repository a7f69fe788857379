import BifrostCompose
import BifrostLint
import Foundation
import Testing

/// `lint --cluster` against a fake `kubectl` placed first on PATH: it records its arguments (and
/// KUBECONFIG) and prints canned lists for the calls it expects, or kubectl's own error.
@Suite("lint --cluster")
struct ClusterModeTests {
    static let script = """
    #!/bin/sh
    echo "KUBECONFIG=${KUBECONFIG:-} $*" >> "$FAKE_KUBECTL_DIR/calls.log"
    case "$*" in
      *"--context nope"*) echo 'error: context "nope" does not exist' >&2; exit 1 ;;
      *"--context forbidden"*)
        echo 'I1128 10:00:00.000000 1 request.go:0] a line of noise first' >&2
        echo 'Error from server (Forbidden): secrets is forbidden: User "dev" cannot list resource "secrets" in API group "" in the namespace "llm"' >&2
        exit 1 ;;
      *"get secrets --selector owner=helm"*) cat "$FAKE_KUBECTL_DIR/secrets.json" ;;
      *"get configmaps --selector owner=helm"*) cat "$FAKE_KUBECTL_DIR/configmaps.json" ;;
      *"get statefulsets,deployments,services,networkpolicies,configmaps --selector owner!=helm --namespace llm"*) cat "$FAKE_KUBECTL_DIR/live.json" ;;
      *"get secrets --field-selector type!=helm.sh/release.v1 --namespace llm"*) echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
      *) echo "error: the fake kubectl did not expect: $*" >&2; exit 1 ;;
    esac
    """

    /// A directory with the fake kubectl and its canned answers: the records of gw (revision 6
    /// superseded, 7 deployed) as `kubectl get secrets -o json` prints them, no ConfigMap
    /// records, and the live objects of namespace llm (the pre-2.1.14 rendering).
    static func fakeCluster() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let kubectl = dir.appendingPathComponent("kubectl")
        try script.write(to: kubectl, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kubectl.path)
        func secret(_ revision: Int, _ status: String) -> [String: Any] {
            let payload = ReleaseRecords.encode(ReleaseRecords.releaseJSON(revision: revision, status: status))
            return ["apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                    "metadata": ["name": "sh.helm.release.v1.gw.v\(revision)", "namespace": "llm",
                                 "labels": ["owner": "helm", "name": "gw", "status": status, "version": "\(revision)"]],
                    "data": ["release": Data(payload.utf8).base64EncodedString()]]
        }
        try write(["apiVersion": "v1", "kind": "List", "items": [secret(6, "superseded"), secret(7, "deployed")]], to: dir.appendingPathComponent("secrets.json"))
        try write(["apiVersion": "v1", "kind": "List", "items": [] as [Any]], to: dir.appendingPathComponent("configmaps.json"))
        let live = try ReleaseRecords.manifest.components(separatedBy: "\n---\n").compactMap { doc -> Any? in
            let map = try Value.load(SourceFile(name: "doc", bytes: Array(doc.utf8)))
            return map.isEmpty ? nil : json(.map(map))
        }
        try write(["apiVersion": "v1", "kind": "List", "items": live], to: dir.appendingPathComponent("live.json"))
        return dir
    }

    static func write(_ object: Any, to url: URL) throws {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    static func json(_ value: Value) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .float(let d): return d
        case .string(let s): return s
        case .list(let items): return items.map(json)
        case .map(let map): return Dictionary(uniqueKeysWithValues: map.entries.map { ($0.0, json($0.1)) })
        }
    }

    static func run(_ arguments: [String], in dir: URL, path: String? = nil, environment: [String: String] = [:]) throws -> CLI.Result {
        var env = environment
        env["PATH"] = path ?? "\(dir.path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"
        env["FAKE_KUBECTL_DIR"] = dir.path
        return try CLI.run(["lint", "--cluster"] + arguments, environment: env)
    }

    static func calls(_ dir: URL) -> [String] {
        ((try? String(contentsOf: dir.appendingPathComponent("calls.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func lintsTheDeployedReleaseAndTheLiveObjectsOfItsNamespace() throws {
        let dir = try Self.fakeCluster()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.run(["-n", "llm", "--context", "prod", "--kubeconfig", "/tmp/kc.yaml", "-o", "json"], in: dir,
                             environment: ["KUBECONFIG": "/etc/kube/a.yaml:/etc/kube/b.yaml"])
        #expect(r.status == 1, "\(r.stderr)")
        let report = try JSONDecoder().decode(ReleaseRecordTests.Report.self, from: Data(r.stdout.utf8))
        let files = Set(report.findings.map(\.file))
        #expect(files == ["release llm/gw rev 7: chart", "release llm/gw rev 7: values", "cluster llm: live objects"])
        #expect(report.findings.contains { $0.file == "release llm/gw rev 7: chart" && $0.code == "BF201" })
        #expect(report.findings.contains { $0.file == "release llm/gw rev 7: values" && $0.code == "BF301" })
        // What runs: the live StatefulSet lacks 10102/TCP.
        #expect(report.findings.contains { $0.file == "cluster llm: live objects" && $0.code == "BF101" })
        #expect(r.stderr.contains("skipped 1 Bifrost release record not deployed (llm/gw rev 6 superseded)"))
        // The release's row counts the findings of its decoded chart and values.
        let rows = try #require(try JSONDecoder().decode(ReleaseRecordTests.ReportWithReleases.self, from: Data(r.stdout.utf8)).releases)
        #expect(rows.map { "\($0.namespace)/\($0.release) \($0.revision) \($0.chartVersion ?? "")" } == ["llm/gw 7 2.1.9"])
        #expect(rows.first.map { $0.errors + $0.warnings + $0.infos } == report.findings.filter { $0.file.hasPrefix("release llm/gw rev 7: ") }.count)
        let connection = "--kubeconfig /tmp/kc.yaml --context prod"
        #expect(Self.calls(dir) == [
            "KUBECONFIG=/etc/kube/a.yaml:/etc/kube/b.yaml \(connection) get secrets --selector owner=helm --namespace llm --output json",
            "KUBECONFIG=/etc/kube/a.yaml:/etc/kube/b.yaml \(connection) get configmaps --selector owner=helm --namespace llm --output json",
            "KUBECONFIG=/etc/kube/a.yaml:/etc/kube/b.yaml \(connection) get statefulsets,deployments,services,networkpolicies,configmaps --selector owner!=helm --namespace llm --output json",
            "KUBECONFIG=/etc/kube/a.yaml:/etc/kube/b.yaml \(connection) get secrets --field-selector type!=helm.sh/release.v1 --namespace llm --output json",
        ])
    }

    @Test func allNamespacesAndTheDefaultContext() throws {
        let dir = try Self.fakeCluster()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.run(["-A", "-q"], in: dir)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("release llm/gw rev 7: values:"))
        let calls = Self.calls(dir)
        #expect(calls.first == "KUBECONFIG= get secrets --selector owner=helm --all-namespaces --output json")
        #expect(calls.count == 4)
    }

    @Test func kubectlErrorsAreOneLineAndExitTwo() throws {
        let dir = try Self.fakeCluster()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noContext = try Self.run(["--context", "nope"], in: dir)
        #expect(noContext.status == 2)
        #expect(noContext.stdout.isEmpty)
        #expect(noContext.stderr == "kubectl-bifrost: --cluster: kubectl --context nope get secrets --selector owner=helm --output json failed: error: context \"nope\" does not exist\n")

        let forbidden = try Self.run(["--context", "forbidden", "-n", "llm"], in: dir)
        #expect(forbidden.status == 2)
        #expect(forbidden.stderr.split(separator: "\n").count == 1)
        #expect(forbidden.stderr.contains("failed: Error from server (Forbidden): secrets is forbidden"))

        let empty = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let missing = try Self.run([], in: dir, path: empty.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--cluster needs kubectl on PATH"))
    }

    @Test func clusterOptionsNeedCluster() throws {
        let r = try CLI.run(["lint", "-n", "llm", "values.yaml"])
        #expect(r.status != 0 && r.status != 1)
        #expect(r.stderr.contains("only apply with --cluster"))
        let fix = try CLI.run(["lint", "--cluster", "--fix"])
        #expect(fix.stderr.contains("--fix does not write to a cluster"))
    }
}
