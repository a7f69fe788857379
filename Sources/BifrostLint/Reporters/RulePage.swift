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
            "  # \(file.name)\n" + indent(withoutMarkers(file.text), by: 4)
        }.joined(separator: "\n")
    }

    /// The text without its `↓` markers. SARIF carries every rule's page, so this runs for every
    /// rule of every SARIF report: done on bytes where a marker stands between ASCII (as all
    /// do), by Characters otherwise (a marker with a combining mark is another Character).
    static func withoutMarkers(_ text: String) -> String {
        let marker = Array(String(Example.marker).utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + marker.count <= bytes.count, bytes[i..<i + marker.count].elementsEqual(marker) {
                // ASCII on both sides: only then is the marker a Character of its own (a mark
                // after it, or a prepended character before it, would join it).
                guard i == 0 || bytes[i - 1] < 0x80, i + marker.count == bytes.count || bytes[i + marker.count] < 0x80 else {
                    return String(text.filter { $0 != Example.marker })
                }
                i += marker.count
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func indent(_ text: String, by n: Int = 2) -> String {
        let pad = String.spaces(n)
        // Lines split on bytes (a Character split walks grapheme clusters); a CR LF is one
        // Character, so a text with CR takes the Character way.
        var lines: [String]
        if text.utf8.contains(0x0D) {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        } else {
            lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + String(Substring($0)) }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
