/// The rule catalogue as a Markdown table (README) and as JSON (`rules -o json`).
public enum RuleTable {
    public static func markdown(_ rules: [any Rule] = RuleRegistry.all) -> String {
        var out = "| code | name | severity | fix | summary |\n|---|---|---|---|---|\n"
        for r in rules.map(\.description) {
            let summary = r.summary.replacingAll("|", "\\|")
            out += "| \(r.code) | \(r.name) | \(r.severity.rawValue) | \(r.fixable ? "yes" : "") | \(summary) |\n"
        }
        return out
    }

    public static func json(_ rules: [any Rule] = RuleRegistry.all) -> String {
        let items = rules.map(\.description).map { r in
            JSON.object([
                ("code", JSON.string(r.code)),
                ("name", JSON.string(r.name)),
                ("severity", JSON.string(r.severity.rawValue)),
                ("fixable", r.fixable ? "true" : "false"),
                ("summary", JSON.string(r.summary)),
                ("rationale", JSON.string(r.rationale)),
                ("remediation", JSON.string(r.remediation)),
            ])
        }
        return "[\n  " + items.joined(separator: ",\n  ") + "\n]\n"
    }

    public static func text(_ rules: [any Rule] = RuleRegistry.all) -> String {
        let width = (rules.map(\.description.name.count).max() ?? 0) + 2
        return rules.map(\.description).map { d in
            let name = d.name + String.spaces(max(1, width - d.name.count))
            let sev = d.severity.rawValue + String.spaces(max(1, 9 - d.severity.rawValue.count))
            return "\(d.code)  \(name)\(sev)\(d.summary)\n"
        }.joined()
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
