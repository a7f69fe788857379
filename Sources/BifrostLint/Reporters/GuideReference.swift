/// Where each rule comes from in Bifrost's own documents, for `explain` and the coverage table.
/// "OSS" is the v1.5.0 migration guide (docs: migration-guides/v1.5.0), "Enterprise" the v1.4.0
/// one (enterprise/migration-guides/v1.4.0).
public enum GuideReference {
    public static let sections: [String: String] = [
        "BF101": "Enterprise v1.4.0, Breaking Change A (gRPC cluster transport port); enterprise clustering guide, \"Transports\"",
        "BF102": "Enterprise v1.4.0, Breaking Change A (headless Service must list 10102/TCP)",
        "BF103": "Enterprise v1.4.0, Breaking Change A (NetworkPolicies must admit 10102/TCP peer to peer)",
        "BF104": "Enterprise clustering guide, \"Transports\" and \"Required ports\" (gossip over TCP and UDP; the chart's default is 7946)",
        "BF105": "Enterprise clustering guide, \"gRPC transport\" (cluster_config.grpc.port, default 10102)",
        "BF106": "Enterprise v1.4.0, Breaking Change A (roll nodes one at a time while old and new coexist)",
        "BF107": "Enterprise clustering guide, Kubernetes discovery (the StatefulSet's headless Service)",
        "BF201": "Enterprise v1.4.0, Breaking Change A, \"Helm users: upgrade to Bifrost chart >= 2.1.14\"",
        "BF202": "Enterprise v1.4.0, Breaking Change A (chart >= 2.1.14)",
        "BF301": "OSS v1.5.0, Breaking Change 2; Enterprise v1.4.0, Breaking Change C",
        "BF302": "OSS v1.5.0, Breaking Changes 1 and 2, \"Complete Migration Checklist\"",
        "BF303": "OSS v1.5.0, Breaking Change 4, rule 1",
        "BF304": "OSS v1.5.0, Breaking Change 4, rule 2",
        "BF305": "OSS v1.5.0, Breaking Change 3",
        "BF306": "OSS v1.5.0, Breaking Change 6; config.schema.json governance.budgets",
        "BF307": "OSS v1.5.0, Breaking Change 10",
        "BF308": "OSS v1.5.0, Breaking Change 8",
        "BF309": "OSS v1.5.0, Breaking Change 14",
        "BF310": "OSS v1.5.0, \"Opting Out: version: 1 Compatibility Mode\"",
        "BF311": "OSS v1.5.0, Breaking Change 7",
        "BF401": "Enterprise v1.4.0, Breaking Change B",
    ]
}
