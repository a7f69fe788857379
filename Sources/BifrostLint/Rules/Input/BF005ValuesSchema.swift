import JSONSchema
import YAMLSource

public struct ValuesSchemaRule: Rule {
    public init() {}

    static let chart = ExampleFile("Chart.yaml", "apiVersion: v2\nname: gateway\nversion: 0.1.0\n")
    static let schema = ExampleFile("values.schema.json", """
        {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object",
         "properties": {
          "replicaCount": {"type": "integer", "minimum": 1},
          "storage": {"type": "object", "additionalProperties": false,
            "properties": {"mode": {"type": "string", "enum": ["sqlite", "postgres"], "description": "Where Bifrost keeps its data"},
                           "size": {"type": "string"}}},
          "keys": {"type": "array", "items": {"$ref": "#/$defs/key"}}},
         "$defs": {"key": {"type": "object", "required": ["name", "value"],
            "properties": {"name": {"type": "string", "description": "Name of the key"}, "value": {"type": "string"}}}}}

        """)
    static let defaults = ExampleFile("values.yaml", "replicaCount: 1\nstorage:\n  mode: sqlite\n  size: 10Gi\nkeys: []\n")

    public static let description = RuleDescription(
        code: "BF005", name: "values-schema", severity: .error,
        summary: "A values file (or config.json) breaks the chart's `values.schema.json` (or Bifrost's config schema) as Helm judges it.",
        rationale: """
        `helm install` and `helm template` validate the values against the chart's \
        `values.schema.json` and refuse the release, naming only a JSON path \
        (`at '/bifrost/governance/virtualKeys/2': missing property 'name'`). This rule runs the same \
        check at the exact line. It applies when the chart is known: a chart directory among the \
        inputs (its `Chart.yaml`, with `values.schema.json` and `values.yaml` beside it) or \
        `--chart DIR`. As Helm does, each values file is coalesced with the chart's `values.yaml` \
        first (a `null` deletes a default), so a file that relies on defaults is not reported; \
        what the defaults alone break is reported once, at the chart's `values.yaml`. YAML is read \
        as Helm reads it (`1.0` is a whole number, `yes` a boolean); `format` is not checked, as \
        Helm does not. A config.json is checked against `--config-schema FILE`, or the schema its \
        own `$schema` names when that is a local file. An additional property is reported at its \
        key, a missing required one at the mapping that lacks it, a wrong type or value at the value.
        """,
        remediation: "Change the value to what the schema describes (the message quotes the schema's description): rename or remove an unknown key, add the missing one, or fix the type or spelling.",
        triggering: [
            Example(files: [chart, schema, defaults, ExampleFile("values-prod.yaml", "replicaCount: 3\nstorage:\n  mode: ↓postgress\n")]),
            Example(files: [chart, schema, defaults, ExampleFile("values-prod.yaml", "storage:\n  ↓sizee: 20Gi\nkeys:\n  - name: a\n    value: b\n  - ↓name: c\n")]),
            Example(files: [chart, schema, defaults, ExampleFile("values-prod.yaml", "replicaCount: ↓\"3\"\nkeys:\n  - {name: a, value: ↓1}\n")]),
            // The chart's own defaults break its schema: reported once, at its values.yaml.
            Example(files: [chart, schema, ExampleFile("values.yaml", "replicaCount: ↓0\nstorage: {mode: sqlite}\n"), ExampleFile("values-prod.yaml", "storage: {mode: postgres}\n")]),
        ],
        nonTriggering: [
            // Relies on the defaults: nothing missing after coalescing.
            Example(files: [chart, schema, defaults, ExampleFile("values-prod.yaml", "replicaCount: 2\nstorage:\n  mode: postgres\n")]),
            // A null deletes the default; `1.0` is a whole number to Helm.
            Example(files: [chart, schema, defaults, ExampleFile("values-prod.yaml", "replicaCount: 1.0\nstorage:\n  size: null\nkeys:\n  - {name: a, value: b}\n")]),
            // No chart among the inputs: nothing to check against.
            Example("storage:\n  sizee: 20Gi\n", file: "values-prod.yaml"),
            // A chart without a values.schema.json.
            Example(files: [chart, defaults, ExampleFile("values-prod.yaml", "storage:\n  sizee: 20Gi\n")]),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        guard let catalog = context.schemas, let unit = context.parses.first else { return [] }
        // No chart, no config schema and no config.json naming one: nothing to check against
        // (the common run, asked once per document).
        if catalog.isEmpty, !context.configs.contains(where: { config in
            if case .configJSON = config.origin { return config.root["$schema"] != nil }
            return false
        }) {
            return []
        }
        var out: [Finding] = []
        let name = unit.source.name
        let base = LintContext.baseName(name)
        if !name.lowercased().hasSuffix(".json"), !Self.notValues.contains(base), !base.hasPrefix("helmfile"),
           let chart = catalog.chart(for: name) ?? catalog.charts.first(where: { $0.defaultsName.sameBytes(as: name) }),
           let document = unit.documents.first(where: { $0.root != nil }), let root = document.root, root.isMapping || root.isNull,
           KubeObject(root) == nil {
            out += checkValues(root, chart: chart, isDefaults: name.sameBytes(as: chart.defaultsName))
        }
        for config in context.configs {
            switch config.origin {
            case .values: continue
            case .configJSON, .embedded: break
            }
            var schema = catalog.configSchema
            var schemaName = catalog.configSchemaName ?? "the config schema"
            if schema == nil, case .configJSON = config.origin, let local = config.root["$schema"]?.string, let path = Self.localPath(local, besides: config.root.source.name) {
                schema = catalog.localSchema(path)
                schemaName = LintContext.baseName(path)
            }
            guard let schema else { continue }
            for v in schema.validate(Instance(config.root)) {
                guard let node = v.node else { continue }
                out.append(report(v, at: node, source: schemaName))
            }
        }
        return out
    }

    static let notValues: Set<String> = ["Chart.yaml", "Chart.lock", "values.schema.json", ".kubectl-bifrost.yaml", "requirements.yaml", "kustomization.yaml"]

    func checkValues(_ root: Node, chart: ChartSchema, isDefaults: Bool) -> [Finding] {
        let user = root.isNull ? Instance(.object([]), node: root) : Instance(root)
        if isDefaults {
            // The chart's own defaults, alone: what Helm refuses whatever the user gives.
            return chart.schema.validate(user).compactMap { v in v.node.map { report(v, at: $0, source: chart.schemaName, chart: chart) } }
        }
        let merged = chart.defaults.map { Self.coalesce(user, Instance($0)) } ?? user
        var out: [Finding] = []
        for v in chart.schema.validate(merged) where !chart.defaultViolations.contains(ChartSchema.key(v)) {
            // A value that came from the chart's defaults is reported at the nearest place the
            // user's file has on its path.
            let node: Node
            if let n = v.node, n.source === root.source {
                node = n
            } else {
                node = Self.deepest(root, along: v.path)
            }
            out.append(report(v, at: node, source: chart.schemaName, chart: chart))
        }
        return out
    }

    func report(_ v: Violation, at node: Node, source: String, chart: ChartSchema? = nil) -> Finding {
        let pointer = v.pointer.isEmpty ? "/" : v.pointer
        var message = "at '\(pointer)': \(v.message)"
        message += "; \(chart.map { "\($0.label)'s values.schema.json" } ?? LintContext.baseName(source)) refuses it"
        if let d = v.schemaDescription?.split(separator: "\n").first, !d.isEmpty {
            message += " (\(d.count > 160 ? d.prefix(157) + "…" : d))"
        }
        let loc = Loc(node)
        let path = YAMLPath(v.path.map { c -> YAMLPath.Component in
            switch c {
            case .key(let k): return .key(k)
            case .index(let i): return .index(i)
            }
        }).description
        return Finding(rule: Self.description, message: message, at: Loc(file: loc.file, range: loc.range, path: path, lineText: loc.lineText))
    }

    /// Helm's coalescing of values with chart defaults: mappings merge recursively, the user's
    /// value wins, and a user `null` deletes the default.
    static func coalesce(_ user: Instance, _ defaults: Instance) -> Instance {
        guard case .object(var members) = user.value, case .object(let base) = defaults.value else { return user }
        // Keys by their bytes, as Helm's Go strings.
        var index = [ExactString: Int](minimumCapacity: members.count)
        for (i, m) in members.enumerated() { index[ExactString(m.key)] = i }
        var deleted = Set<Int>()
        for d in base {
            if let i = index[ExactString(d.key)] {
                if members[i].value.isNull {
                    deleted.insert(i)
                } else if members[i].value.members != nil, d.value.members != nil {
                    members[i].value = coalesce(members[i].value, d.value)
                }
            } else {
                members.append(d)
            }
        }
        if !deleted.isEmpty { members = members.enumerated().filter { !deleted.contains($0.offset) }.map(\.element) }
        return Instance(.object(members), node: user.node)
    }

    /// The deepest node of the user's document along a path (the root when none of it is there).
    static func deepest(_ root: Node, along path: [PathComponent]) -> Node {
        var node = root
        for c in path {
            let next: Node?
            switch c {
            case .key(let k): next = node.pair(k).map(\.value)
            case .index(let i): next = node.item(i)
            }
            guard let next else { break }
            node = next
        }
        return node
    }

    /// A `$schema` that names a file on this machine, relative to the config's directory.
    static func localPath(_ value: String, besides file: String) -> String? {
        guard !value.contains("://") || value.hasPrefix("file://") else { return nil }
        var path = value.hasPrefix("file://") ? String(value.dropFirst(7)) : value
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        guard !path.isEmpty else { return nil }
        if path.hasPrefix("/") { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[..<slash]) + "/" + path
    }
}
