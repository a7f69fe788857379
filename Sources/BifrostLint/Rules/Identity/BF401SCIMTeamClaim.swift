import YAMLSource

public struct SCIMTeamClaimRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF401", name: "scim-team-claim", severity: .warning,
        summary: "SCIM/SSO is configured without `teamIdsField`; team membership now comes only from token claims.",
        rationale: """
        Enterprise v1.4.0 removed the platform-wide group lookups against the IdP directory API \
        (Okta, Entra, Google, Keycloak, SailPoint, Zitadel). Teams are attached only from the group \
        claim already in the login token, named by `teamIdsField`. Without it set, users who got \
        their teams from the directory lookup lose them after the upgrade. Checked wherever SCIM is \
        enabled (`scim.enabled: true`, or a `provider` set) in values (`teamIdsField`) or config.json \
        (`team_ids_field`).
        """,
        remediation: "Set `teamIdsField` (usually `groups`) and make the IdP put those groups in the token; decode a login token to check.",
        triggering: [
            Example("bifrost:\n  scim:\n    enabled: true\n    provider: okta\n    ↓config:\n      issuerUrl: https://acme.okta.com/oauth2/default\n      clientId: bifrost\n", file: "values.yaml"),
            Example("bifrost:\n  scim:\n    enabled: true\n    provider: entra\n    ↓config:\n      tenantId: t\n      teamIdsField: \"\"\n", file: "values.yaml"),
            Example("{\"scim_config\": {\"enabled\": true, \"provider\": \"keycloak\", ↓\"config\": {\"realm\": \"bifrost\"}}}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("bifrost:\n  scim:\n    enabled: true\n    provider: okta\n    config:\n      issuerUrl: https://acme.okta.com/oauth2/default\n      teamIdsField: groups\n", file: "values.yaml"),
            Example("bifrost:\n  scim:\n    enabled: false\n    provider: \"\"\n    config: {}\n", file: "values.yaml"),
            Example("{\"scim_config\": {\"enabled\": true, \"provider\": \"google\", \"config\": {\"team_ids_field\": \"groups\"}}}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.configs.compactMap { config in
            guard let pair = config.root.pair(anyOf: ["scim", "scim_config", "scimConfig"]), pair.value.isMapping else { return nil }
            let scim = pair.value
            let provider = scim["provider"]?.string ?? ""
            let enabled = scim["enabled"]?.bool ?? !provider.isEmpty
            guard enabled else { return nil }
            let settings = scim["config"]
            let field = (settings ?? scim).pair(anyOf: ["teamIdsField", "team_ids_field"])?.value.string ?? ""
            guard field.isEmpty else { return nil }
            let anchor = scim.pair("config")?.key ?? pair.key
            let idp = provider.isEmpty ? "SCIM/SSO" : "SCIM/SSO (\(provider))"
            return finding(anchor, "\(idp) has no teamIdsField; v1.4.0 attaches teams only from token claims, so set it (e.g. groups) and put the groups in the token")
        }
    }
}
