import YAMLSource

public struct ChartVersionRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF201", name: "chart-version", severity: .error,
        summary: "The Bifrost Helm chart is pinned below 2.1.14.",
        rationale: """
        The Enterprise v1.4.0 upgrade guide ("Helm users") requires chart 2.1.14 or later. Charts up \
        to 2.1.9 render no 10102/TCP port on the StatefulSet or headless Service, so v1.4.0 nodes \
        cannot reach each other for counter sync. Charts 2.1.10–2.1.13 already render 10102, but \
        still offer `bifrost.client.allowDirectKeys`, which OSS v1.5.0 removed (2.1.14 is the first \
        chart whose schema drops it); they ship v1.5.0 prereleases. \
        Versions are compared as semver (a pre-release such as `2.1.14-rc.1` is below 2.1.14). \
        Checked: Chart.yaml dependencies, Chart.lock, `helm.sh/chart: bifrost-X` labels in rendered \
        manifests, Flux HelmRelease `spec.chart.spec.version`, Argo CD Application `targetRevision` \
        and helmfile releases. A range that admits no version at or above 2.1.14 (`~2.0.0`) is \
        reported here too; one that merely still admits older versions is BF202.
        """,
        remediation: "Set the version to 2.1.14 or later; after changing Chart.yaml run `helm dependency update` so Chart.lock follows. `--fix` bumps pins in Chart.yaml, HelmRelease, Argo CD Applications and helmfile releases to 2.1.14; Chart.lock and rendered labels are only reported.",
        fixable: true,
        triggering: [
            Example("apiVersion: v2\nname: gateway\nversion: 0.3.0\ndependencies:\n  - name: bifrost\n    version: ↓2.1.10\n    repository: https://maximhq.github.io/bifrost/helm-charts\n", file: "Chart.yaml"),
            Example("dependencies:\n- name: bifrost\n  repository: https://maximhq.github.io/bifrost/helm-charts\n  version: ↓2.1.14-rc.1\ndigest: sha256:0000\ngenerated: \"2026-01-01T00:00:00Z\"\n", file: "Chart.lock"),
            // Reported once per rendered release, not on every object that carries the label.
            Example("apiVersion: v1\nkind: Service\nmetadata:\n  name: bifrost\n  labels:\n    helm.sh/chart: ↓bifrost-2.0.3\nspec:\n  ports: [{port: 8080}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bifrost-config\n  labels: {helm.sh/chart: bifrost-2.0.3}\n"),
            Example("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: bifrost}\nspec:\n  chart:\n    spec:\n      chart: bifrost\n      version: ↓\"~2.0.0\"\n"),
            Example("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: bifrost}\nspec:\n  source:\n    repoURL: https://maximhq.github.io/bifrost/helm-charts\n    chart: bifrost\n    targetRevision: ↓2.1.13\n"),
            Example("releases:\n  - name: gateway\n    chart: bifrost/bifrost\n    version: ↓2.1.9\n", file: "helmfile.yaml"),
        ],
        nonTriggering: [
            Example("apiVersion: v2\nname: gateway\nversion: 0.3.0\ndependencies:\n  - name: bifrost\n    version: 2.1.14\n    repository: https://maximhq.github.io/bifrost/helm-charts\n  - name: postgresql\n    version: 1.0.0\n", file: "Chart.yaml"),
            Example("apiVersion: v1\nkind: Service\nmetadata:\n  name: bifrost\n  labels:\n    helm.sh/chart: bifrost-2.2.0\n"),
            Example("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: other}\nspec:\n  source:\n    chart: redis\n    targetRevision: 1.0.0\n"),
        ]
    )

    public func check(_ context: LintContext) -> [Finding] {
        context.chartReferences.compactMap { ref in
            guard ChartVersionPolicy.verdict(ref.text) == .below else { return nil }
            let what = ref.isOwnChart ? "this chart is Bifrost chart version \(ref.text)"
                : ref.site.hasPrefix("deployed Helm release") ? "\(ref.site) runs Bifrost chart \(ref.text)" : "\(ref.site) pins Bifrost chart \(ref.text)"
            return finding(ref.node, "\(what), below 2.1.14, the minimum the Enterprise v1.4.0 upgrade guide sets for the 10102/TCP cluster port and the OSS v1.5.0 config (2.1.14 drops `allowDirectKeys`); \(ref.remedy)",
                           fix: ref.editable && context.fixes ? ConfigFixes.replaceScalar(ref.node, with: ChartVersionPolicy.minimum.description) : nil,
                           group: ref.releaseKey)
        }
    }
}
