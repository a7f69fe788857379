/// Every rule, in catalogue order. `rules`, `explain` and the README table are made from this list.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        YAMLSyntaxRule(),
        DuplicateKeyRule(),
        UnreadableRule(),
        UnusedSuppressionRule(),
        ValuesSchemaRule(),
        StatefulSetGRPCPortRule(),
        HeadlessServiceGRPCPortRule(),
        NetworkPolicyGRPCPortRule(),
        GossipPortRule(),
        GRPCPortMismatchRule(),
        RollingUpdateRule(),
        HeadlessServiceWiringRule(),
        ChartVersionRule(),
        ChartVersionRangeRule(),
        AllowedKeysRenamedRule(),
        EmptyListDeniesAllRule(),
        WildcardMixedRule(),
        DuplicateEntriesRule(),
        VirtualKeyNoProviderConfigsRule(),
        BudgetRenamedRule(),
        DeploymentsRemovedRule(),
        CompatPluginRestructuredRule(),
        DirectKeysRemovedRule(),
        LegacyVersionShimRule(),
        ProviderKeysInProviderPayloadRule(),
        SCIMTeamClaimRule(),
    ]

    public static func rule(named codeOrName: String) -> (any Rule)? {
        all.first { $0.description.code.caseInsensitiveCompare(codeOrName) || $0.description.name == codeOrName }
    }
}

extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
