import BifrostLint
import YAMLSource
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `lint --cluster`: what is running, read with the real `kubectl` (so its kubeconfig handling,
/// `KUBECONFIG` included, its authentication plugins and its proxy settings all apply): the
/// Helm release records, then the live objects of the namespaces that run a Bifrost release.
struct ClusterFetcher {
    var namespace: String?
    var allNamespaces = false
    var context: String?
    var kubeconfig: String?

    /// The kinds whose live objects the cluster rules read.
    static let objectKinds = "statefulsets,deployments,services,networkpolicies,configmaps"

    static func findKubectl() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The flags every call carries: which cluster and credentials.
    var connection: [String] {
        (kubeconfig.map { ["--kubeconfig", $0] } ?? []) + (context.map { ["--context", $0] } ?? [])
    }

    /// Where records are looked for: every namespace, one, or the context's own (kubectl's default).
    var scope: [String] {
        if allNamespaces { return ["--all-namespaces"] }
        return namespace.map { ["--namespace", $0] } ?? []
    }

    /// The inputs to lint: the release records (Secrets and configmap-driver ConfigMaps), and
    /// for each namespace with a deployed Bifrost release its live workloads, Services,
    /// NetworkPolicies, ConfigMaps and Secrets (not the release records again).
    func fetch() throws -> [InputFile] {
        guard let kubectl = Self.findKubectl() else {
            throw InputError(description: "--cluster needs kubectl on PATH (https://kubernetes.io/docs/tasks/tools/)")
        }
        func get(_ arguments: [String], name: String) throws -> InputFile {
            let full = connection + ["get"] + arguments + ["--output", "json"]
            let result: (status: Int32, output: [UInt8], errors: [UInt8])
            do {
                result = try System.run(kubectl, full)
            } catch {
                throw InputError(description: "--cluster: \(error)")
            }
            guard result.status == 0 else {
                throw InputError(description: "--cluster: kubectl \(full.joined(separator: " ")) failed: \(Self.lastLine(result.errors) ?? "exit status \(result.status)")")
            }
            return InputFile(name: name, bytes: result.output)
        }
        let where_ = allNamespaces ? "all namespaces" : namespace.map { "namespace \($0)" } ?? "current namespace"
        let records = [
            try get(["secrets", "--selector", "owner=helm"] + scope, name: "cluster (\(where_)): Helm release Secrets"),
            try get(["configmaps", "--selector", "owner=helm"] + scope, name: "cluster (\(where_)): Helm release ConfigMaps"),
        ]
        var namespaces = Set<String>()
        for input in records {
            guard case .source(let source, _) = try input.load() else { continue }
            for release in ReleaseRecord.deployedReleases(in: source) { namespaces.insert(release.namespace) }
        }
        var live: [InputFile] = []
        for ns in namespaces.sorted() {
            live.append(try get([Self.objectKinds, "--selector", "owner!=helm", "--namespace", ns], name: "cluster \(ns): live objects"))
            live.append(try get(["secrets", "--field-selector", "type!=helm.sh/release.v1", "--namespace", ns], name: "cluster \(ns): live Secrets"))
        }
        return records + live
    }

    /// kubectl's error: its last non-empty line (`error: context "x" does not exist`, `Error from
    /// server (Forbidden): …`, `Unable to connect to the server: …`).
    static func lastLine(_ errors: [UInt8]) -> String? {
        String(decoding: errors, as: UTF8.self).split(separator: "\n").map { line in
            String(line.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }.last { !$0.isEmpty }
    }
}
