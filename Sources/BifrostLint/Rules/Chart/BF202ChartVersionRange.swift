import YAMLSource

public struct ChartVersionRangeRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF202", name: "chart-version-range", severity: .warning,
        summary: "A chart version range still admits Bifrost charts below 2.1.14.",
        rationale: """
        A range such as `~2.1.0`, `>=2.0.0` or `2.1.x` resolves to the newest match today, but a \
        lock refresh against a mirror, a cache, or a pinned repository index can still pick a chart \
        without the gRPC cluster port. Ranges are read with Helm's (Masterminds) syntax: `~`, `^`, \
        comparisons, wildcards, hyphen ranges and `||`.
        """,
        remediation: "Raise the lower bound: `>=2.1.14 <3.0.0`, `~2.1.14` or `^2.1.14`.",
        triggering: [
            Example("apiVersion: v2\nname: gateway\nversion: 0.1.0\ndependencies:\n  - name: bifrost\n    version: ↓\"~2.1.0\"\n", file: "Chart.yaml"),
            Example("apiVersion: v2\nname: gateway\nversion: 0.1.0\ndependencies:\n  - name: bifrost\n    version: ↓\">=2.0.0\"\n", file: "Chart.yaml"),
            Example("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: bifrost}\nspec:\n  chart:\n    spec:\n      chart: bifrost\n      version: ↓2.1.x\n"),
        ],
        nonTriggering: [
            Example("apiVersion: v2\nname: gateway\nversion: 0.1.0\ndependencies:\n  - name: bifrost\n    version: \"~2.1.14\"\n", file: "Chart.yaml"),
            Example("apiVersion: v2\nname: gateway\nversion: 0.1.0\ndependencies:\n  - name: bifrost\n    version: \">=2.1.14 <3.0.0\"\n", file: "Chart.yaml"),
            Example("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: bifrost}\nspec:\n  chart:\n    spec:\n      chart: bifrost\n      version: \"^2.2\"\n"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.chartReferences.compactMap { ref in
            guard !ref.isResolved, ChartVersionPolicy.verdict(ref.text) == .rangeAdmitsBelow else { return nil }
            return finding(ref.node, "version range '\(ref.text)' of \(ref.site) still admits Bifrost charts below 2.1.14; raise its lower bound to 2.1.14")
        }
    }
}
