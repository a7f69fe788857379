/// The `explain` page of a rule, made from its description so docs cannot drift from code.
public enum RulePage {
    public static func render(_ d: RuleDescription) -> String {
        var out = "\(d.code) \(d.name) (\(d.severity.rawValue)\(d.fixable ? ", fixable" : ""))\n\n"
        out += d.summary + "\n\n"
        out += "Why\n" + indent(d.rationale) + "\n"
        out += "How to fix\n" + indent(d.remediation) + "\n"
        if let source = GuideReference.sections[d.code] {
            out += "Source\n" + indent(source) + "\n"
        }
        if let bad = d.triggering.first {
            out += "\nExample (reported)\n" + render(bad)
        }
        if let good = d.nonTriggering.first {
            out += "\nExample (not reported)\n" + render(good)
        }
        return out
    }

    static func render(_ example: Example) -> String {
        example.files.map { file in
            "  # \(file.name)\n" + indent(String(file.text.filter { $0 != Example.marker }), by: 4)
        }.joined(separator: "\n")
    }

    static func indent(_ text: String, by n: Int = 2) -> String {
        let pad = String(repeating: " ", count: n)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
