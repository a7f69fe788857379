import YAMLSource

public struct BudgetRenamedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF306", name: "budget-renamed", severity: .error,
        summary: "A budget written on a virtual key or provider config (`budget: {…}`, or the REST API's `budgets: […]`) must be listed under `governance.budgets` with its owner's id.",
        rationale: """
        OSS v1.5.0 (Breaking Change 6) inverted the budget association: "budgets now reference \
        their parent via `virtual_key_id` or `provider_config_id`", and virtual keys and provider \
        configs may have several. The REST API takes them as a `budgets` array on the owner, but \
        files do not: Bifrost's config.schema.json rejects `budget` and `budgets` on virtual keys \
        and provider configs, the chart's schema rejects them in provider configs, and the chart's \
        template copies only the virtual-key fields it knows into config.json, so a budget written \
        on the key silently disappears. In config.json and Helm values a budget is an entry of \
        `governance.budgets` (`id`, `max_limit`, `reset_duration`, optional `calendar_aligned`) \
        that names its owner.

        Before:  virtualKeys: [{id: vk-1, budget: {max_limit: 500, reset_duration: 1M}}]
        After:   budgets: [{id: vk-1-budget, max_limit: 500, reset_duration: 1M, virtual_key_id: vk-1}]
                 virtualKeys: [{id: vk-1}]
        """,
        remediation: """
        Move each budget to `governance.budgets` with an `id` and `virtual_key_id: <the key's id>` \
        (or `provider_config_id: <the provider config's integer id>`). `--fix` does it where the \
        owner has an id; a provider config without an integer `id` needs one first.
        """,
        fixable: true,
        triggering: [
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        ↓budget:\n          max_limit: 500\n          reset_duration: 1M\n        provider_configs: [{provider: openai, allowed_models: [\"*\"], key_ids: [\"*\"]}]\n", file: "values.yaml"),
            Example("bifrost:\n  governance:\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs:\n          - id: 7\n            provider: openai\n            allowed_models: [\"*\"]\n            key_ids: [\"*\"]\n            ↓budget: {max_limit: 50, reset_duration: 1d}\n", file: "values.yaml"),
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", ↓\"budget\": {\"max_limit\": 10, \"reset_duration\": \"1d\"}, \"provider_configs\": [{\"provider\": \"openai\", \"allowed_models\": [\"*\"], \"key_ids\": [\"*\"]}]}]}}\n", file: "config.json"),
            // A budget_id on the key: the budget names its owner now.
            Example("bifrost:\n  governance:\n    budgets:\n      - {id: b1, max_limit: 5, reset_duration: 1d}\n    virtualKeys:\n      - id: vk\n        name: vk\n        ↓budget_id: b1\n        provider_configs: [{provider: openai, allowed_models: [\"*\"], key_ids: [\"*\"]}]\n", file: "values.yaml"),
            // The REST API's shape, written into a file.
            Example("{\"governance\": {\"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", ↓\"budgets\": [{\"max_limit\": 10, \"reset_duration\": \"1d\"}], \"provider_configs\": [{\"provider\": \"openai\", \"allowed_models\": [\"*\"], \"key_ids\": [\"*\"]}]}]}}\n", file: "config.json"),
        ],
        nonTriggering: [
            Example("bifrost:\n  governance:\n    budgets:\n      - {id: vk-budget, max_limit: 500, reset_duration: 1M, virtual_key_id: vk}\n    virtualKeys:\n      - id: vk\n        name: vk\n        provider_configs: [{provider: openai, allowed_models: [\"*\"], key_ids: [\"*\"]}]\n", file: "values.yaml"),
            Example("{\"governance\": {\"budgets\": [{\"id\": \"b\", \"max_limit\": 5, \"reset_duration\": \"1h\", \"provider_config_id\": 7}], \"virtual_keys\": [{\"id\": \"v\", \"name\": \"v\", \"provider_configs\": [{\"id\": 7, \"provider\": \"openai\", \"allowed_models\": [\"*\"], \"key_ids\": [\"*\"]}]}]}}\n", file: "config.json"),
            // A team's or an access profile's budgets are theirs to hold.
            Example("{\"governance\": {\"teams\": [{\"id\": \"t\", \"budget\": {\"max_limit\": 1}}]}, \"access_profiles\": [{\"name\": \"p\", \"budgets\": [{\"max_limit\": 1}]}]}\n", file: "config.json"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        // One list filled in place: a dense stream has thousands of owners, and nested flatMaps
        // copied every finding once per level.
        var out: [Finding] = []
        for config in context.configs {
            for vk in config.virtualKeys {
                check(vk, of: vk, in: config, context, into: &out)
                for pc in config.providerConfigs(of: vk) { check(pc, of: vk, in: config, context, into: &out) }
            }
        }
        return out
    }

    private static let budgetKeys = ["budget", "budgets"]

    /// An owner's findings: its budgets, then its `budget_id`.
    private func check(_ owner: Node, of vk: Node, in config: BifrostConfig, _ context: LintContext, into out: inout [Finding]) {
        for name in Self.budgetKeys {
            guard let pair = owner.pair(name), pair.value.isMapping || pair.value.isSequence else { continue }
            let vkLabel = "virtual key \(BifrostConfig.label(vk, "?"))"
            let isVK = owner == vk
            let site = isVK ? vkLabel : "provider config \(BifrostConfig.label(owner, "?")) of \(vkLabel)"
            let ownerField = isVK ? "virtual_key_id" : "provider_config_id"
            // Whether it is fixable decides the message (and JSON's `fixable`); its text
            // only a run that applies or prints fixes.
            let fix = BudgetMove(pair: pair, owner: owner, isVirtualKey: isVK, config: config).fix(render: context.rendersFixes)
            // The reasons are looked for only when there is no fix.
            let hint = fix != nil ? ""
                : !isVK && owner["id"]?.int == nil ? " (give the provider config an integer `id` first)"
                : BudgetMove.isShared(pair, of: owner) ? " (it is shared through an anchor or alias: move it by hand for each owner)"
                : !(pair.value.isSequence ? pair.value.items : [pair.value]).allSatisfy(BudgetMove.isComplete) ? " (an entry there needs a positive max_limit and a reset_duration)"
                : " (move it by hand: the fix cannot write it here safely, e.g. its id would be taken)"
            out.append(finding(pair.key, "`\(name)` on \(site) is not read from files in v1.5.0: list it under governance.budgets with \(ownerField) set to its owner's id\(hint)", fix: fix))
        }
        out += budgetIDFinding(owner, vk: vk, config: config)
    }

    /// `budget_id` on a virtual key or provider config: v1.5.0 removed it (Breaking Change 6's
    /// table), config.schema.json rejects it, and the chart's template drops it from virtual keys.
    /// The budget names its owner instead; the fix writes that into the budget it points to when
    /// that budget is in the same file, owned by no one and pointed to from nowhere else.
    func budgetIDFinding(_ owner: Node, vk: Node, config: BifrostConfig) -> [Finding] {
        guard let pair = owner.pair("budget_id"), let target = pair.value.string else { return [] }
        let isVK = owner == vk
        let vkLabel = "virtual key \(BifrostConfig.label(vk, "?"))"
        let site = isVK ? vkLabel : "provider config \(BifrostConfig.label(owner, "?")) of \(vkLabel)"
        let ownerField = isVK ? "virtual_key_id" : "provider_config_id"
        let ownerValue: String? = isVK ? owner["id"]?.value.map { BudgetMove.quoted($0.description) } : owner["id"]?.int.map { String($0) }
        let budgets = BifrostConfig.list(config.governance, "budgets")
        let matches = budgets.filter { $0["id"]?.value?.description == target }
        let pointers = ([vk] + config.virtualKeys.flatMap { [$0] + config.providerConfigs(of: $0) })
            .filter { $0["budget_id"]?.value?.description == target }
        var fix: Fix?
        if let ownerValue, matches.count == 1, let budget = matches.first, budget.anchor == nil, owner.anchor == nil,
           Set(pointers.map(\.handle)).count == 1, pair.isPlain,
           !["virtual_key_id", "provider_config_id", "team_id", "customer_id", "model_config_id"].contains(where: { budget[$0] != nil }),
           let insertion = EditBuilder.insertPairs([(ownerField, .text(ownerValue))], into: budget),
           let removal = EditBuilder.remove(pair, from: owner) {
            fix = Fix(edits: removal + [insertion], scopes: [EditBuilder.scope(owner), EditBuilder.scope(budget)])
        }
        let hint = fix != nil ? "" : matches.isEmpty ? " (budget '\(target)' is not in this file)" : " (move the link by hand: the budget is shared or owned already)"
        return [finding(pair.key, "`budget_id` on \(site) was removed in v1.5.0: the budget '\(target)' names its owner with \(ownerField) instead\(hint)", fix: fix)]
    }
}

/// Moves the budgets written on an owner to `governance.budgets`, each naming the owner.
struct BudgetMove {
    let pair: Pair
    let owner: Node
    let isVirtualKey: Bool
    let config: BifrostConfig

    /// `render: false` makes every check of the fix and no text (its edits are empty).
    func fix(render: Bool = true) -> Fix? {
        // A budget shared through an anchor, or an owner merged into other keys, belongs to more
        // than one owner: moving it would take it from the others.
        guard let governance = config.governance, governance.isMapping, !Self.isShared(pair, of: owner) else { return nil }
        let ownerEntry: (String, Snippet)
        let stem: String
        if isVirtualKey {
            guard let id = owner["id"]?.value, id != .null else { return nil }
            ownerEntry = ("virtual_key_id", .text(render ? Self.quoted(id.description) : ""))
            stem = id.description
        } else {
            guard let id = owner["id"]?.int else { return nil }
            ownerEntry = ("provider_config_id", .text(String(id)))
            stem = "provider-config-\(id)"
        }
        let budgets = pair.value.isSequence ? pair.value.items : [pair.value]
        guard !budgets.isEmpty else { return nil }
        let list = governance["budgets"]
        // Comments travel with the fields they follow; they can only go where block style goes.
        let blockTarget = list.map { $0.isSequence && $0.collectionStyle == .block } ?? (governance.collectionStyle == .block)
        let src = pair.key.source
        func comment(after offset: Int, line: Int) -> String? { EditBuilder.trailingComment(src, after: offset, line: line) }
        // Ranges are worked out once each: every one is two searches of the line table.
        let keyLine = pair.key.start.line
        let lastLine = max(EditBuilder.lastContentLine(pair.value), keyLine)
        if lastLine > keyLine {
            for line in (keyLine + 1)...lastLine where src.lineBytes(line).drop(while: { $0 == 0x20 }).first == 0x23 {
                return nil  // a comment line of its own has no field to travel with
            }
        }
        // A comment after `budget:` goes with the first budget; one after a flow budget with it.
        let headComment = pair.value.start.line > keyLine
            ? comment(after: pair.key.endOffset + 1, line: keyLine) : nil
        // Ids already used, in governance.budgets and by budgets still written on their owners
        // (another finding may move those in the same run).
        let taken = config.takenBudgetIDs
        var items: [Snippet] = []
        for (i, budget) in budgets.enumerated() {
            guard budget.isMapping, budget.pairCount > 0, let style = budget.collectionStyle,
                  budget["virtual_key_id"] == nil, budget["provider_config_id"] == nil, budget["team_id"] == nil else { return nil }
            // The entries are made for a rendered fix; a checked one keeps only the first's text,
            // which decides below whether a comment can join it.
            var entries: [(key: String, value: Snippet)] = []
            var first: String?
            if budget["id"] == nil {
                let id = budgets.count == 1 ? "\(stem)-budget" : "\(stem)-budget-\(i + 1)"
                guard !taken.contains(id) else { return nil }
                // Quoting adds no '#', which is all a checked fix asks of this text below.
                first = render ? Self.quoted(id) : id
                if render { entries.append(("id", .text(first!))) }
            }
            // governance.budgets entries need a positive max_limit and a reset_duration (chart and
            // config schemas; the chart refuses to render a zero limit): anything less is the
            // user's to complete, not ours to move.
            guard Self.isComplete(budget) else { return nil }
            for n in 0..<budget.pairCount {
                guard let field = budget.pair(at: n) else { return nil }
                // Only one-line plain fields are carried over as written (an anchor would be
                // written twice, an alias's text is elsewhere).
                let valueRange = field.value.range
                guard field.isPlain, field.value.isScalar, valueRange.start.line == valueRange.end.line, field.key.isScalar else { return nil }
                var text = render || first == nil ? src.text(field.value.byteRange) : ""
                if let c = comment(after: field.value.endOffset, line: valueRange.end.line) {
                    guard blockTarget else { return nil }
                    text += "  " + c
                }
                if first == nil { first = text }
                if render, let key = field.key.scalarText { entries.append((key, .text(text))) }
            }
            let own = style == .flow ? comment(after: budget.endOffset, line: budget.range.end.line) : nil
            let notes = ((i == 0 ? [headComment] : []) + [own]).compactMap { $0 }
            if !notes.isEmpty {
                guard blockTarget, notes.count == 1, let text = first, !text.contains("#") else { return nil }
                if render { entries[0].value = .text(text + "  " + notes[0]) }
            }
            if render {
                entries.append(ownerEntry)
                items.append(.mapping(entries))
            } else {
                // A checked fix asks only how many items go in.
                items.append(Self.unrendered)
            }
        }
        guard let removal = EditBuilder.remove(pair, from: owner, keepComments: false) else { return nil }
        var edits = removal
        if let list, list.isSequence, list.itemCount == 0, list.collectionStyle == .flow, items.count > 1 {
            // Into `[]` the items go in one edit: appended one at a time they had no separator.
            guard let edit = EditBuilder.fillEmptyFlow(items, into: list, render: render) else { return nil }
            edits.append(edit)
        } else if let list, list.isSequence {
            for item in items {
                guard let edit = EditBuilder.appendItem(item, to: list, render: render) else { return nil }
                edits.append(edit)
            }
        } else {
            guard list == nil,
                  let edit = render ? EditBuilder.insertPairs([("budgets", .sequence(items))], into: governance) : config.checkedBudgetsInsertion(into: governance)
            else { return nil }
            edits.append(edit)
        }
        // Scopes are for the fixer, which only sees rendered fixes.
        return Fix(edits: edits, scopes: render ? [EditBuilder.scope(owner), EditBuilder.scope(governance).appending(key: "budgets")] : [])
    }

    /// What stands for an item of a fix that is checked, not written.
    static let unrendered = Snippet.text("")

    /// Whether the budgets on `owner` have other users: the owner is anchored (merged into other
    /// keys), or the budgets, an item or a field is an anchor or an alias. Moving them, or
    /// copying an anchor's text, would take them from the others or write the anchor twice.
    static func isShared(_ pair: Pair, of owner: Node) -> Bool {
        let value = pair.value
        guard owner.anchor == nil, value.anchor == nil, value.isWritten(in: owner) else { return true }
        // Walked by index: every budget of a dense stream is asked, and the lists made for it
        // were most of the cost.
        let count = value.isSequence ? value.itemCount : 1
        for i in 0..<count {
            guard let b = value.isSequence ? value.item(i) : value else { continue }
            if b.anchor != nil || !b.isWritten(in: value.isSequence ? value : owner) { return true }
            // Merged pairs are written in another mapping: `pairs` brings them in.
            if b.hasMergeKeys {
                if b.pairs.contains(where: { $0.value.anchor != nil || !$0.value.isWritten(in: b) }) { return true }
                continue
            }
            for n in 0..<b.pairCount {
                guard let field = b.pair(at: n) else { continue }
                if field.value.anchor != nil || !field.value.isWritten(in: b) { return true }
            }
        }
        return false
    }

    /// A positive max_limit and a reset_duration, as governance.budgets entries need.
    static func isComplete(_ budget: Node) -> Bool {
        let limit: Double? = switch budget["max_limit"]?.value {
        case .int(let i): Double(i)
        case .float(let f): f
        default: nil
        }
        return (limit ?? 0) > 0 && budget["reset_duration"]?.string != nil
    }

    static func quoted(_ s: String) -> String {
        // Ids rarely hold a quote or a backslash: quoted as they are, without walking characters.
        if !s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        for ch in s {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}

extension BifrostConfig {
    /// `budgets:` inserted into governance, checked and not written: what the edit does not
    /// depend on the budgets it would hold, and every owner of the config asks.
    func checkedBudgetsInsertion(into governance: Node) -> TextEdit? {
        if let known = cache.budgetsInsertion { return known }
        let made = EditBuilder.insertPairs([("budgets", .sequence([BudgetMove.unrendered]))], into: governance, render: false)
        cache.budgetsInsertion = .some(made)
        return made
    }

    /// Budget ids in use: in governance.budgets, and on budgets still written on virtual keys
    /// and provider configs (another finding may move those in the same run). Worked out once
    /// per config: each budget move asks.
    var takenBudgetIDs: Set<String> {
        if let known = cache.takenBudgetIDs { return known }
        var taken = Set<String>()
        func add(_ budget: Node) {
            if let id = budget["id"]?.value?.description { taken.insert(id) }
        }
        BifrostConfig.list(governance, "budgets").forEach(add)
        func addInline(_ owner: Node) {
            guard let value = owner["budget"] ?? owner["budgets"] else { return }
            if value.isSequence { value.items.forEach(add) } else { add(value) }
        }
        for vk in virtualKeys {
            addInline(vk)
            providerConfigs(of: vk).forEach(addInline)
        }
        cache.takenBudgetIDs = taken
        return taken
    }
}
