import BifrostLint
import Foundation

/// Builds Helm release records the way Helm's storage drivers write them: the release as JSON
/// (Go sorts map keys), gzip (zlib), base64; a Secret adds its own base64 layer in `data`.
enum ReleaseRecords {
    /// User values in the real chart's shape (bifrost-2.1.14 values.yaml: `bifrost.client`,
    /// `bifrost.providers`, `bifrost.governance.virtualKeys`, `bifrost.cluster`) with what the
    /// v1.5.0 upgrade breaks: `allowDirectKeys`, `allowed_keys`, an empty `models`.
    static var config: [String: Any] { [
        "image": ["repository": "docker.io/maximhq/bifrost", "tag": "v1.3.55"],
        "replicaCount": 3,
        "bifrost": [
            "client": ["allowDirectKeys": true, "enableLogging": true],
            "providers": [
                "openai": ["keys": [["name": "openai-prod", "value": "env.OPENAI_API_KEY", "weight": 1, "models": [] as [String]]]],
            ],
            "governance": [
                "budgets": [] as [Any],
                "virtualKeys": [[
                    "id": "vk-search", "name": "Search team", "is_active": true,
                    "provider_configs": [["provider": "openai", "weight": 1, "allowed_keys": ["openai-prod"], "allowed_models": ["gpt-4o"]]],
                ]],
            ],
            "cluster": ["enabled": true, "gossip": ["port": 7946], "grpc": ["port": 10102]],
        ],
    ] }

    static var manifest: String {
        (try? String(contentsOf: CLI.repoRoot.appendingPathComponent("charts-fixtures/pre-2.1.14/rendered/release.yaml"), encoding: .utf8)) ?? ""
    }

    static func releaseJSON(name: String = "gw", namespace: String = "llm", revision: Int, status: String,
                            chart: String = "bifrost", chartVersion: String = "2.1.9", config: [String: Any]? = nil, manifest: String? = nil) -> [UInt8] {
        let release: [String: Any] = [
            "name": name, "namespace": namespace, "version": revision,
            "info": ["status": status, "description": "Upgrade complete"],
            "chart": ["metadata": ["name": chart, "version": chartVersion, "appVersion": "v1.3.55", "apiVersion": "v2"]],
            "config": config ?? Self.config,
            "manifest": manifest ?? Self.manifest,
        ]
        return Array(try! JSONSerialization.data(withJSONObject: release, options: [.sortedKeys]))
    }

    /// Helm's encoding of a release: gzip (unless `gzip` is false, as old Helm wrote), base64.
    static func encode(_ json: [UInt8], gzip: Bool = true) -> String {
        Data(gzip ? Gzip.compress(json) : json).base64EncodedString()
    }

    /// A record as `kubectl get -o yaml` prints it, indented by `indent` (for a List's items).
    /// `payload` is what Helm stores (base64 text); the Secret driver base64-encodes it again.
    static func object(driver: String = "Secret", name: String = "gw", namespace: String = "llm", revision: Int, status: String, payload: String, indent: Int = 0) -> String {
        let data = driver == "Secret" ? Data(payload.utf8).base64EncodedString() : payload
        let lines = [
            "apiVersion: v1",
            "kind: \(driver)",
            "metadata:",
            "  name: sh.helm.release.v1.\(name).v\(revision)",
            "  namespace: \(namespace)",
            "  labels:",
            "    owner: helm",
            "    name: \(name)",
            "    status: \(status)",
            "    version: \"\(revision)\"",
        ] + (driver == "Secret" ? ["type: helm.sh/release.v1"] : []) + [
            "data:",
            "  release: \(data)",
        ]
        let pad = String(repeating: " ", count: indent)
        return lines.enumerated().map { i, l in (i == 0 && indent > 0 ? String(pad.dropLast(2)) + "- " : pad) + l }.joined(separator: "\n") + "\n"
    }

    /// A record of a revision, encoded.
    static func record(driver: String = "Secret", name: String = "gw", namespace: String = "llm", revision: Int, status: String,
                       chartVersion: String = "2.1.9", gzip: Bool = true, indent: Int = 0, chart: String = "bifrost") -> String {
        object(driver: driver, name: name, namespace: namespace, revision: revision, status: status,
               payload: encode(releaseJSON(name: name, namespace: namespace, revision: revision, status: status, chart: chart, chartVersion: chartVersion), gzip: gzip),
               indent: indent)
    }

    /// `kubectl get secrets -A -l owner=helm -o yaml`.
    static func list(_ items: [String]) -> String {
        "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n" + items.joined()
    }
}
