import Testing
@testable import BifrostLint

/// Deterministic generator, so a failing seed can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bool() -> Bool { int(2) == 0 }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}

/// Random Bifrost values files in many styles, with the migrations `--fix` knows.
struct ValuesGenerator {
    var rng: SplitMix
    let unit: Int

    init(seed: UInt64) {
        rng = SplitMix(state: seed)
        unit = [2, 3, 4].randomElement(using: &rng)!
    }

    func pad(_ level: Int) -> String { String(repeating: " ", count: level * unit) }

    mutating func scalar(_ s: String) -> String {
        switch rng.int(3) {
        case 0: return s
        case 1: return "'\(s)'"
        default: return "\"\(s)\""
        }
    }

    mutating func comment() -> String { rng.int(3) == 0 ? "  # note \(rng.int(100))" : "" }

    mutating func generate() -> String {
        var out = "# generated\nbifrost:\n"
        out += pad(1) + "client:\n"
        var clientLines = [pad(2) + "enableLogging: \(rng.bool())\(comment())"]
        if rng.bool() { clientLines.append(pad(2) + "allowDirectKeys: \(rng.bool())\(comment())") }
        if rng.bool() { clientLines.append(pad(2) + "enableLitellmFallbacks: \(rng.bool())\(comment())") }
        clientLines.shuffle(using: &rng)
        out += clientLines.joined(separator: "\n") + "\n"
        out += pad(1) + "providers:\n" + pad(2) + "azure:\n" + pad(3) + "keys:\n"
        for k in 0..<(1 + rng.int(2)) {
            out += pad(4) + "- name: \(scalar("az-\(k)"))\n"
            out += pad(4) + "  weight: \(1 + rng.int(5))\n"
            if rng.bool() { out += pad(4) + "  aliases: {m\(k)x: d\(k)x}\n" }
            out += pad(4) + "  azure_key_config:\n"
            out += pad(4) + "  " + pad(1) + "endpoint: \(scalar("https://e\(k).example.com"))\n"
            if rng.bool() {
                if rng.bool() {
                    out += pad(4) + "  " + pad(1) + "deployments: {m\(k): \(scalar("d\(k)"))}\n"
                } else {
                    out += pad(4) + "  " + pad(1) + "deployments:\n"
                    out += pad(4) + "  " + pad(2) + "m\(k): \(scalar("d\(k)"))\(comment())\n"
                }
            }
        }
        out += pad(1) + "governance:\n" + pad(2) + "virtualKeys:\n"
        for v in 0..<(1 + rng.int(3)) {
            out += pad(2) + "- id: \(scalar("vk-\(v)"))\n"
            let inner = pad(2) + "  "
            if rng.bool() {
                out += inner + "provider_configs: [{provider: azure, \(rng.bool() ? "allowed_keys" : "key_ids"): [az-0], weight: 1}]\n"
            } else {
                out += inner + "provider_configs:\n"
                out += inner + "- provider: azure\(comment())\n"
                // Only a provider config with an integer id can own a budget in governance.budgets.
                if rng.bool() { out += inner + "  id: \(v + 1)\n" }
                out += inner + "  \(rng.bool() ? "allowed_keys" : "key_ids"): [\(scalar("az-0"))]\n"
                if rng.bool() { out += inner + "  budget: {max_limit: \(1 + rng.int(100)), reset_duration: 1d}\n" }
            }
            switch rng.int(3) {
            case 0: out += inner + "budget: {max_limit: \(1 + rng.int(1000)), reset_duration: 1M}\n"
            case 1: out += inner + "budget:\n" + inner + pad(1) + "max_limit: \(1 + rng.int(1000))\(comment())\n" + inner + pad(1) + "reset_duration: 1d\n"
            default: break
            }
        }
        return out
    }
}

@Suite("--fix properties")
struct FixPropertyTests {
    static let migrated: Set<String> = ["allowDirectKeys", "enableLitellmFallbacks", "convertTextToChat", "convertChatToResponses", "shouldDropParams",
                                        "allowed_keys", "key_ids", "budget", "budgets", "deployments", "aliases"]

    @Test(arguments: 0..<200)
    func fixesChangeOnlyWhatTheyMigrate(seed: Int) throws {
        var generator = ValuesGenerator(seed: UInt64(seed))
        let text = generator.generate()
        let source = SourceFile(name: "values.yaml", text: text)
        let before = YAMLParser.parse(source)
        try #require(before.error == nil, "generator wrote invalid YAML for seed \(seed):\n\(text)")

        let result = Fixer(linter: Linter(), unsafe: false).fix([source])[0]
        #expect(result.refusal == nil, "seed \(seed): \(result.refusal ?? "")\n\(text)")
        let fixable = Linter().lint([source]).filter { $0.fix?.applicability == .safe }
        #expect((result.applied > 0) == !fixable.isEmpty, "seed \(seed): \(fixable.count) fixable, \(result.applied) applied")
        let fixed = SourceFile(name: "values.yaml", bytes: result.fixed)
        let after = YAMLParser.parse(fixed)
        #expect(after.error == nil)

        // Every leaf not under a migrated key keeps its path and value.
        let old = Leaves.of(before.documents.first?.root), new = Leaves.of(after.documents.first?.root)
        for (path, value) in old where !path.components.contains(where: { if case .key(let k) = $0 { return Self.migrated.contains(k) } else { return false } }) {
            #expect(new[path] == value, "seed \(seed): \(path) was \(value), now \(new[path] ?? "gone")")
        }
        // Migrated values are carried over: each deployment becomes an alias, each budget a list item.
        let idless = Linter().lint([fixed]).filter { $0.code == "BF306" && $0.fix == nil }
        #expect(idless.allSatisfy { $0.message.contains("integer `id` first") })
        let remaining = Linter().lint([fixed]).filter { ["BF301", "BF306", "BF307", "BF308", "BF309"].contains($0.code) && !idless.map(\.range.start.offset).contains($0.range.start.offset) }
        #expect(remaining.isEmpty, "seed \(seed): \(remaining.map { "\($0.code) \($0.range.start)" })\n\(String(decoding: result.fixed, as: UTF8.self))")
        // Idempotent.
        #expect(!Fixer(linter: Linter(), unsafe: false).fix([fixed])[0].changed)
    }
}
