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

    /// Rules whose code or name is close to `text` (a typo, a wrong digit), best first: for an
    /// "unknown rule" message to say what was probably meant.
    public static func nearMatches(_ text: String, limit: Int = 3) -> [String] {
        let query = text.lowercased()
        let descriptions = all.map(\.description)
        // A code (BF + digits): the closest codes, by spelling then by number, so even BF999
        // gets the nearest real ones.
        if query.hasPrefix("bf"), let number = Int(query.dropFirst(2)) {
            return descriptions.map { d -> (Int, Int, String) in
                let n = Int(d.code.dropFirst(2)) ?? 0
                return (editDistance(query, d.code.lowercased()), abs(n - number), "\(d.code) \(d.name)")
            }
            .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
            .prefix(limit).map(\.2)
        }
        var scored: [(Int, String)] = []
        for d in descriptions {
            var best = min(editDistance(query, d.code.lowercased()), editDistance(query, d.name))
            if !query.isEmpty && d.name.contains(query) { best = min(best, 1) }
            let allowed = max(2, min(4, query.count / 3))
            if best <= allowed { scored.append((best, "\(d.code) \(d.name)")) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
    }

    /// "unknown rule 'X'", with near matches when there are any.
    public static func unknownRuleMessage(_ text: String) -> String {
        let near = nearMatches(text)
        let hint = near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"
        return "unknown rule '\(text)'\(hint) (`kubectl bifrost rules` lists them)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    public static func rule(named codeOrName: String) -> (any Rule)? {
        all.first { $0.description.code.caseInsensitiveCompare(codeOrName) || $0.description.name == codeOrName }
    }
}

extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
