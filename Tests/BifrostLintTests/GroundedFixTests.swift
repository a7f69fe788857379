import Foundation
import Testing
@testable import BifrostLint

/// Fixes that must write what Bifrost's config.schema.json and the real chart accept and carry:
/// each case is the whole file before and after `--fix` (with `unsafe`, `--unsafe-fixes`).
struct FixCase: CustomStringConvertible, Sendable {
    let description: String
    let file: String
    let before: String
    let after: String
    var unsafe = false
}

@Suite("Fixes grounded in the real schema and chart")
struct GroundedFixTests {
    static let cases: [FixCase] = [
        FixCase(description: "BF308 flat under client moves into client.compat (values)", file: "values.yaml",
                before: "bifrost:\n  client:\n    enableLogging: true\n    enableLitellmFallbacks: true   # v1.3\n    initialPoolSize: 300\n",
                after: "bifrost:\n  client:\n    enableLogging: true\n    compat:\n      convertTextToChat: true   # v1.3\n    initialPoolSize: 300\n"),
        FixCase(description: "BF308 joins an existing compat block", file: "values.yaml",
                before: "bifrost:\n  client:\n    enableLitellmFallbacks: false\n    compat:\n      shouldDropParams: true\n",
                after: "bifrost:\n  client:\n    compat:\n      shouldDropParams: true\n      convertTextToChat: false\n"),
        FixCase(description: "BF308 in pretty-printed config.json", file: "config.json",
                before: "{\n  \"client\": {\n    \"enable_logging\": true,\n    \"enable_litellm_fallbacks\": true\n  }\n}\n",
                after: "{\n  \"client\": {\n    \"enable_logging\": true,\n    \"compat\": {\n      \"convert_text_to_chat\": true\n    }\n  }\n}\n"),
        FixCase(description: "BF308 under compat is renamed in place", file: "config.json",
                before: "{\"client\": {\"compat\": {\"enable_litellm_fallbacks\": true}}}\n",
                after: "{\"client\": {\"compat\": {\"convert_text_to_chat\": true}}}\n"),
        FixCase(description: "BF307 keeps the comments of the moved map", file: "values.yaml",
                before: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          azure_key_config:\n            endpoint: https://e.example.com\n            deployments:\n              # production deployments\n              gpt-4o: prod-4o   # east\n              gpt-4o-mini: prod-mini\n            api_version: \"2024-10-21\"\n",
                after: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          aliases:\n            # production deployments\n            gpt-4o: prod-4o   # east\n            gpt-4o-mini: prod-mini\n          azure_key_config:\n            endpoint: https://e.example.com\n            api_version: \"2024-10-21\"\n"),
        FixCase(description: "BF307 appends to block aliases with their comments", file: "values.yaml",
                before: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          aliases:\n            o1: prod-o1\n          azure_key_config:\n            endpoint: https://e.example.com\n            deployments: {gpt-4o: prod-4o}\n            api_version: \"2024-10-21\"\n",
                after: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          aliases:\n            o1: prod-o1\n            gpt-4o: prod-4o\n          azure_key_config:\n            endpoint: https://e.example.com\n            api_version: \"2024-10-21\"\n"),
        FixCase(description: "BF309 removes the client block it would empty", file: "values.yaml",
                before: "bifrost:\n  logLevel: info\n  client:\n    allowDirectKeys: true\n  port: 8080\n",
                after: "bifrost:\n  logLevel: info\n  port: 8080\n"),
        FixCase(description: "BF309 keeps the comment lines of a block it removes", file: "values.yaml",
                before: "bifrost:\n  client:\n    # keep me\n    allowDirectKeys: true # about the key\n    # and me\n  logLevel: info\n",
                after: "bifrost:\n    # keep me\n    # and me\n  logLevel: info\n"),
        FixCase(description: "BF307 carries the comment after deployments: to aliases:", file: "values.yaml",
                before: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          azure_key_config:\n            endpoint: e\n            deployments:   # legacy\n              gpt-4o: prod\n",
                after: "bifrost:\n  providers:\n    azure:\n      keys:\n        - name: az\n          weight: 1\n          models: [\"*\"]\n          aliases:  # legacy\n            gpt-4o: prod\n          azure_key_config:\n            endpoint: e\n"),
        FixCase(description: "BF309 keeps a client with other settings", file: "values.yaml",
                before: "bifrost:\n  client:\n    allowDirectKeys: true\n    initialPoolSize: 500\n",
                after: "bifrost:\n  client:\n    initialPoolSize: 500\n"),
        FixCase(description: "BF302 omitted lists are written out (unsafe)", file: "values.yaml",
                before: "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs:\n          - provider: openai   # main\n            weight: 1\n          - {provider: anthropic, allowed_models: [\"*\"]}\n",
                after: "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs:\n          - provider: openai   # main\n            weight: 1\n            allowed_models: [\"*\"]\n            key_ids: [\"*\"]\n          - {provider: anthropic, allowed_models: [\"*\"], key_ids: [\"*\"]}\n",
                unsafe: true),
        FixCase(description: "BF302 omitted models and tools in config.json (unsafe)", file: "config.json",
                before: "{\n  \"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"value\": \"env.K\"}]}},\n  \"mcp\": {\n    \"client_configs\": [\n      {\n        \"name\": \"gh\",\n        \"connection_type\": \"stdio\"\n      }\n    ]\n  }\n}\n",
                after: "{\n  \"providers\": {\"openai\": {\"keys\": [{\"name\": \"k\", \"value\": \"env.K\", \"models\": [\"*\"]}]}},\n  \"mcp\": {\n    \"client_configs\": [\n      {\n        \"name\": \"gh\",\n        \"connection_type\": \"stdio\",\n        \"tools_to_execute\": [\"*\"]\n      }\n    ]\n  }\n}\n",
                unsafe: true),
        FixCase(description: "BF306 budgets move to governance.budgets, several in one run", file: "values.yaml",
                before: "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-a\n        name: a\n        budget:   # monthly cap\n          max_limit: 500   # dollars\n          reset_duration: 1M\n        provider_configs:\n          - id: 3\n            provider: openai\n            allowed_models: [\"*\"]\n            key_ids: [\"*\"]\n            budget: {max_limit: 5, reset_duration: 1d}\n      - id: vk-b\n        name: b\n        budgets:\n          - {max_limit: 1, reset_duration: 1d}\n          - {max_limit: 20, reset_duration: 1M}\n        provider_configs: [{provider: anthropic, allowed_models: [\"*\"], key_ids: [\"*\"]}]\n",
                after: "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-a\n        name: a\n        provider_configs:\n          - id: 3\n            provider: openai\n            allowed_models: [\"*\"]\n            key_ids: [\"*\"]\n      - id: vk-b\n        name: b\n        provider_configs: [{provider: anthropic, allowed_models: [\"*\"], key_ids: [\"*\"]}]\n    budgets:\n      - id: \"vk-a-budget\"  # monthly cap\n        max_limit: 500  # dollars\n        reset_duration: 1M\n        virtual_key_id: \"vk-a\"\n      - id: \"provider-config-3-budget\"\n        max_limit: 5\n        reset_duration: 1d\n        provider_config_id: 3\n      - id: \"vk-b-budget-1\"\n        max_limit: 1\n        reset_duration: 1d\n        virtual_key_id: \"vk-b\"\n      - id: \"vk-b-budget-2\"\n        max_limit: 20\n        reset_duration: 1M\n        virtual_key_id: \"vk-b\"\n"),
        FixCase(description: "BF306 appends to an existing flow budgets list in a ConfigMap's config.json", file: "configmap.yaml",
                before: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw-config}\ndata:\n  config.json: |\n    {\"governance\": {\n      \"budgets\": [{\"id\": \"team\", \"max_limit\": 1000, \"reset_duration\": \"1M\", \"team_id\": \"t\"}],\n      \"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", \"budget\": {\"max_limit\": 10, \"reset_duration\": \"1d\"}, \"provider_configs\": [{\"provider\": \"openai\", \"allowed_models\": [\"*\"], \"key_ids\": [\"*\"]}]}]\n    }}\n",
                after: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw-config}\ndata:\n  config.json: |\n    {\"governance\": {\n      \"budgets\": [{\"id\": \"team\", \"max_limit\": 1000, \"reset_duration\": \"1M\", \"team_id\": \"t\"}, {\"id\": \"v-budget\", \"max_limit\": 10, \"reset_duration\": \"1d\", \"virtual_key_id\": \"v\"}],\n      \"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", \"provider_configs\": [{\"provider\": \"openai\", \"allowed_models\": [\"*\"], \"key_ids\": [\"*\"]}]}]\n    }}\n"),
        FixCase(description: "BF302 inserts lines inside a ConfigMap's literal block (unsafe)", file: "configmap.yaml",
                before: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw-config}\ndata:\n  config.json: |\n    {\n      \"providers\": {\n        \"openai\": {\n          \"keys\": [\n            {\n              \"name\": \"k\",\n              \"value\": \"env.K\"\n            }\n          ]\n        }\n      }\n    }\n",
                after: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw-config}\ndata:\n  config.json: |\n    {\n      \"providers\": {\n        \"openai\": {\n          \"keys\": [\n            {\n              \"name\": \"k\",\n              \"value\": \"env.K\",\n              \"models\": [\"*\"]\n            }\n          ]\n        }\n      }\n    }\n",
                unsafe: true),
    ]

    @Test(arguments: cases)
    func fixWritesWhatTheSchemaTakes(_ c: FixCase) {
        // Each file keeps its own line ending, CR alone included.
        for br in ["\n", "\r\n", "\r"] {
            let crlf = br.debugDescription
            let conv = { (s: String) in s.replacingAll("\n", br) }
            let result = Fixer(linter: Linter(), unsafe: c.unsafe).fix([SourceFile(name: c.file, text: conv(c.before))])[0]
            #expect(result.refusal == nil, "\(c): \(result.refusal ?? "")")
            #expect(String(decoding: result.fixed, as: UTF8.self) == conv(c.after), "\(c) crlf=\(crlf)")
            // Idempotent.
            let again = Fixer(linter: Linter(), unsafe: c.unsafe).fix([SourceFile(name: c.file, bytes: result.fixed)])[0]
            #expect(!again.changed, "\(c) crlf=\(crlf): a second --fix changed it")
        }
    }

    /// A budget shared by an anchor or merged into another key belongs to more than one owner.
    @Test func sharedBudgetsAreReportedNotMoved() {
        let anchored = "bifrost:\n  governance:\n    virtualKeys:\n      - &base\n        id: vk-a\n        name: a\n        budget: {max_limit: 1, reset_duration: 1d}\n      - <<: *base\n        id: vk-b\n"
        let alias = "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-a\n        name: a\n        budget: &b {max_limit: 5, reset_duration: 1d}\n      - id: vk-b\n        name: b\n        budget: *b\n"
        for text in [anchored, alias] {
            let findings = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF306" }
            #expect(!findings.isEmpty)
            #expect(findings.allSatisfy { $0.fix == nil })
            #expect(!Fixer(linter: Linter(), unsafe: true).fix([SourceFile(name: "values.yaml", text: text)])[0].changed)
        }
    }

    @Test func providerConfigWithoutIdGetsNoBudgetFix() {
        let text = "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs:\n          - {provider: openai, allowed_models: [\"*\"], key_ids: [\"*\"], budget: {max_limit: 5, reset_duration: 1d}}\n"
        let f = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF306" }
        #expect(f.count == 1 && f[0].fix == nil && f[0].message.contains("integer `id` first"))
    }
}

/// A rule whose fix always breaks the file, to prove one bad fix does not cost the others.
struct BreakingTestRule: Rule {
    static let description = RuleDescription(code: "BF999", name: "breaks-the-file", severity: .warning, summary: "test only", rationale: "test only", remediation: "test only", triggering: [], nonTriggering: [])

    func check(_ context: LintContext) -> [Finding] {
        context.configs.compactMap { config in
            guard let port = config.root.pair("port") else { return nil }
            let edit = TextEdit(range: port.key.range.start.offset..<port.key.range.start.offset, replacement: "[: ")
            return Finding(rule: Self.description, node: port.key, message: "breaks", fix: Fix(edits: [edit], scopes: [port.key.path]))
        }
    }
}

@Suite("A refused fix costs only itself")
struct RefusedFixTests {
    @Test func theOtherFixesAreAppliedAndTheRefusalIsSaid() {
        let text = "bifrost:\n  port: 8080\n  client:\n    allowDirectKeys: true\n    initialPoolSize: 500\n"
        let linter = Linter(rules: RuleRegistry.all + [BreakingTestRule()])
        let result = Fixer(linter: linter, unsafe: false).fix([SourceFile(name: "values.yaml", text: text)])[0]
        #expect(result.refusal == nil)
        #expect(String(decoding: result.fixed, as: UTF8.self) == "bifrost:\n  port: 8080\n  client:\n    initialPoolSize: 500\n")
        #expect(result.refusedFixes.count == 1 && result.refusedFixes[0].hasPrefix("BF999 at 2:3: the fixed text would not parse"), "\(result.refusedFixes)")
    }

    /// `[]` → `["*"]` on an anchored list keeps the anchor its aliases need.
    @Test func unsafeAllowAllKeepsTheAnchor() {
        let text = "bifrost:\n  providers:\n    openai:\n      keys:\n        - {name: a, weight: 1, models: &none []}\n        - {name: b, weight: 1, models: *none}\n"
        let result = Fixer(linter: Linter(), unsafe: true).fix([SourceFile(name: "values.yaml", text: text)])[0]
        #expect(result.refusal == nil && result.refusedFixes.isEmpty)
        #expect(String(decoding: result.fixed, as: UTF8.self) == text.replacingAll("&none []", "&none [\"*\"]"))
    }
}

/// Fixes over anchors, aliases and merge keys (issue 17 item 1): each either keeps every user
/// of a shared node right or is not offered; nothing crashes (an alias's node is the anchored
/// one, so its range is not where the alias is written).
@Suite("Fixes over anchors and aliases")
struct AnchoredFixTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/seeds")

    @Test(arguments: ["anchors-values.yaml", "anchors-config.json"])
    func sharedNodesAreLeftAloneAndTheRestIsFixed(_ seed: String) throws {
        let bytes = Array(try Data(contentsOf: Self.seeds.appendingPathComponent(seed)))
        let name = seed.hasSuffix(".json") ? "config.json" : "values.yaml"
        let result = Fixer(linter: Linter(), unsafe: true).fix([SourceFile(name: name, bytes: bytes)])[0]
        // The only refusals: edits that would reach, through an alias, a place of another kind
        // (the seed's `other: *client`).
        #expect(result.refusal == nil && result.refusedFixes.allSatisfy { $0.contains("which they do not own") }, "\(result.refusal ?? "") \(result.refusedFixes)")
        #expect(result.changed)
        let fixed = SourceFile(name: name, bytes: result.fixed)
        #expect(YAMLParser.parse(fixed).error == nil)
        #expect(!Fixer(linter: Linter(), unsafe: true).fix([fixed])[0].changed)
        // What is left is shared: a deployments map or budget with other users.
        let left = Linter().lint([fixed]).filter { $0.fix != nil }
        #expect(left.count == result.refusedFixes.count, "\(left.map { "\($0.code) \($0.range.start)" })")
    }

    /// A budget whose fields come through a merge key belongs to the merged mapping too; one
    /// merged from an empty mapping, or written with a quoted, spaced key, does not.
    @Test func aBudgetWithMergedFieldsIsSharedAndASpacedKeyIsPlain() {
        let text = """
        bifrost:
          governance:
            virtualKeys:
              - id: m
                name: m
                budget:
                  <<: {max_limit: 5}
                  reset_duration: 1d
              - id: q
                name: q
                "budget"   :   {max_limit: 5, reset_duration: 1d}
              - id: x
                name: x
                ? budget
                : {max_limit: 5, reset_duration: 1d}

        """
        let findings = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF306" }
        #expect(findings.map(\.range.start.line) == [6, 11, 14])
        #expect(findings[0].fix == nil && findings[0].message.contains("shared through an anchor or alias"))
        #expect(findings[1].fix != nil)
        // An explicit key (`? budget`) is not a plain pair: the fix does not rewrite it.
        #expect(findings[2].fix == nil)
    }

    @Test func anAliasedDeploymentsMapIsNotMoved() {
        let text = "bifrost:\n  providers:\n    azure:\n      keys:\n        - {name: a, weight: 1, models: [\"*\"], azure_key_config: {endpoint: e, deployments: &d {m: x}}}\n        - {name: b, weight: 1, models: [\"*\"], azure_key_config: {endpoint: f, deployments: *d}}\n"
        let findings = Linter().lint([SourceFile(name: "values.yaml", text: text)]).filter { $0.code == "BF307" }
        #expect(findings.count == 2 && findings.allSatisfy { $0.fix == nil })
    }
}

/// Inputs a hostile black-box run found to crash, corrupt or mislead the fixer.
@Suite("Fixer regressions from the hostile run")
struct HostileFixRegressionTests {
    func fix(_ text: String, _ name: String = "values.yaml", unsafe: Bool = false) -> Fixer.FileResult {
        Fixer(linter: Linter(), unsafe: unsafe).fix([SourceFile(name: name, text: text)])[0]
    }

    @Test func explicitKeysNeitherCrashNorGetRewrittenWrongly() {
        // `? budget` crashed plain lint (a range past the line's end); `? flag` became a map key.
        let budget = "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-1\n        name: vk-1\n        ? budget\n        : max_limit: 5\n          reset_duration: 1d\n"
        #expect(Linter().lint([SourceFile(name: "values.yaml", text: budget)]).contains { $0.code == "BF306" })
        let flag = "bifrost:\n  client:\n    ? enableLitellmFallbacks\n    : true\n"
        let r = fix(flag)
        #expect(!r.changed || YAMLParser.parse(SourceFile(name: "values.yaml", bytes: r.fixed)).documents.first?.root?["bifrost"]?["client"]?["compat"]?["convertTextToChat"]?.bool == true)
    }

    @Test func aBlockWithAnIndentationIndicatorIsNotEditedLineByLine() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gw}\ndata:\n  config.json: |2\n      {\n        \"client\": {\"enable_litellm_fallbacks\": true}\n      }\n"
        let r = fix(text, "configmap.yaml")
        #expect(!r.changed)
        #expect(Linter().lint([SourceFile(name: "configmap.yaml", text: text)]).contains { $0.code == "BF308" })
    }

    @Test func anAnchoredListIsNotOpenedWhereItMeansSomethingElse() {
        // `allowedOrigins: *none` must not become ["*"] (every origin) with the whitelist.
        let text = "bifrost:\n  governance:\n    virtualKeys:\n      - id: vk-1\n        name: vk-1\n        provider_configs:\n          - provider: openai\n            key_ids: [\"*\"]\n            allowed_models: &none []\n  client:\n    allowedOrigins: *none\n"
        let r = fix(text, unsafe: true)
        #expect(!r.changed)
        #expect(r.refusedFixes.count == 1 && r.refusedFixes[0].contains("bifrost.client.allowedOrigins"), "\(r.refusedFixes)")
    }

    @Test func budgetsAreMovedOnlyWhenCompleteAndWithUniqueIds() {
        // An explicit id equal to the one made for another key; a budget without reset_duration;
        // an anchor inside a field; an id with a quote.
        let text = """
        bifrost:
          governance:
            virtualKeys:
              - id: a
                name: a
                budget: {max_limit: 5, reset_duration: 1d}
              - id: b
                name: b
                budget: {id: a-budget, max_limit: 6, reset_duration: 1d}
              - id: c
                name: c
                budget: {max_limit: 7}
              - id: d
                name: d
                budget: {max_limit: &lim 8, reset_duration: 1d}
              - id: 'e"q'
                name: e
                budget: {max_limit: 9, reset_duration: 1d}

        """
        let r = fix(text)
        let fixed = String(decoding: r.fixed, as: UTF8.self)
        let root = YAMLParser.parse(SourceFile(name: "values.yaml", bytes: r.fixed)).documents.first?.root
        let ids = root?["bifrost"]?["governance"]?["budgets"]?.items.compactMap { $0["id"]?.string } ?? []
        #expect(Set(ids).count == ids.count, "\(ids)")
        #expect(ids.contains("e\"q-budget"), "\(ids)")
        #expect(fixed.contains("budget: {max_limit: 7}") && fixed.contains("budget: {max_limit: &lim 8, reset_duration: 1d}"))
        let left = Linter().lint([SourceFile(name: "values.yaml", bytes: r.fixed)]).filter { $0.code == "BF306" }
        // a: its id would be b's; c: incomplete; d: an anchor inside. Each says why.
        #expect(left.count == 3 && left.allSatisfy { $0.fix == nil })
        #expect(left.contains { $0.message.contains("positive max_limit and a reset_duration") })
        #expect(left.contains { $0.message.contains("shared through an anchor") })
        #expect(left.contains { $0.message.contains("would be taken") })
    }

    @Test func aCommentInsideRemovedFlowTextIsNotLost() {
        let text = "bifrost:\n  governance:\n    virtualKeys: [\n      {id: vk-1, name: vk-1,\n       budget: {max_limit: 5, reset_duration: 1d},   # c\n       provider_configs: [{provider: openai, key_ids: [a], allowed_models: [\"*\"]}]}\n    ]\n"
        let r = fix(text)
        #expect(!r.changed || String(decoding: r.fixed, as: UTF8.self).contains("# c"))
    }

    @Test func aConflictingSuccessorIsLeftToTheUser() {
        let text = "bifrost:\n  client:\n    enableLitellmFallbacks: true\n    compat:\n      convertTextToChat: false\n"
        #expect(!fix(text).changed)
        let f = Linter().lint([SourceFile(name: "values.yaml", text: text)]).first { $0.code == "BF308" }
        #expect(f?.fix == nil && f?.message.contains("already set to false") == true)
    }
}
