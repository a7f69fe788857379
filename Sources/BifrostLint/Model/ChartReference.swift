import YAMLSource

/// A place that pins or constrains the Bifrost chart version.
public struct ChartReference: Sendable {
    /// Where it was found, for messages: "Chart.yaml dependency", "HelmRelease 'gw'"…
    public let site: String
    /// The version or constraint scalar.
    public let node: Node
    public let text: String
    /// Lock files and `helm.sh/chart` labels record what was resolved; they cannot hold ranges.
    public let isResolved: Bool
    /// How the user changes it.
    public let remedy: String
    /// Whether the text is a source the user edits (a dependency pin, a GitOps release), so
    /// `--fix` may bump it; lock files and rendered labels are regenerated instead.
    public var editable = false
    /// References with the same key say the same thing (every object of one rendered release
    /// carries the label); rules report the first only.
    public var releaseKey: String? = nil
    /// The chart's own Chart.yaml: it is that version rather than pinning one.
    public var isOwnChart = false

    static func isBifrostChart(_ name: String?) -> Bool {
        guard let name else { return false }
        let last = name.split(separator: "/").last.map(String.init) ?? name
        return last == "bifrost"
    }

    static func find(fileName: String, root: Node, objects: [KubeObject]) -> [ChartReference] {
        var out: [ChartReference] = []
        func add(_ site: String, _ node: Node?, resolved: Bool, remedy: String, editable: Bool = true, own: Bool = false) {
            guard let node, let text = node.value?.description, !text.isEmpty else { return }
            out.append(ChartReference(site: site, node: node, text: text, isResolved: resolved, remedy: remedy, editable: editable, isOwnChart: own))
        }
        switch fileName {
        case "Chart.yaml":
            if isBifrostChart(root["name"]?.string) {
                add("chart 'bifrost' in Chart.yaml", root["version"], resolved: true, remedy: "use the Bifrost chart at version 2.1.14 or later", editable: false, own: true)
            }
            for dep in root["dependencies"]?.items ?? [] where isBifrostChart(dep["name"]?.string) {
                add("Chart.yaml dependency 'bifrost'", dep["version"], resolved: false, remedy: "set the dependency version to 2.1.14 (or \">=2.1.14\") and run `helm dependency update`")
            }
        case "Chart.lock":
            for dep in root["dependencies"]?.items ?? [] where isBifrostChart(dep["name"]?.string) {
                add("Chart.lock", dep["version"], resolved: true, remedy: "raise the version in Chart.yaml and run `helm dependency update` to regenerate Chart.lock", editable: false)
            }
        case _ where fileName.hasSuffix(ReleaseRecord.chartSuffix) && isBifrostChart(root["name"]?.string):
            // The chart of a deployed Helm release, decoded from its record.
            var release = Substring(root.source.name.dropLast(ReleaseRecord.chartSuffix.count))
            if release.hasPrefix("release ") { release = release.dropFirst("release ".count) }
            add("deployed Helm release \(release)", root["version"], resolved: true, remedy: "upgrade the release: helm upgrade RELEASE bifrost/bifrost --version 2.1.14 (or later) with its values", editable: false)
        default:
            if fileName.hasPrefix("helmfile") {
                for release in root["releases"]?.items ?? [] where isBifrostChart(release["chart"]?.string) {
                    add("helmfile release \(release["name"]?.string.map { "'\($0)'" } ?? "")", release["version"], resolved: false, remedy: "set the release version to 2.1.14 or later")
                }
            }
        }
        for object in objects {
            if let labelNode = object.node["metadata"]?["labels"]?["helm.sh/chart"], let label = labelNode.string, label.hasPrefix("bifrost-") {
                let version = String(label.dropFirst("bifrost-".count))
                // Every object of a release carries the label: a remembered verdict first, and words
                // only for a version a rule reports.
                if let verdict = ChartVersionPolicy.resolvedVerdict(version), verdict != .ok {
                    let instance = object.label("app.kubernetes.io/instance") ?? ""
                    out.append(ChartReference(site: "label helm.sh/chart on \(object.displayName)", node: labelNode, text: version, isResolved: true,
                                              remedy: "upgrade the release to chart 2.1.14 or later and render again",
                                              releaseKey: "\(labelNode.source.name)|\(object.namespace ?? "")|\(instance)|\(version)"))
                }
            }
            switch object.kind {
            case "HelmRelease" where object.apiVersion.hasPrefix("helm.toolkit.fluxcd.io/"):
                let spec = object.spec?["chart"]?["spec"]
                if isBifrostChart(spec?["chart"]?.string) {
                    add("HelmRelease \(object.name.map { "'\($0)'" } ?? "")", spec?["version"], resolved: false, remedy: "set spec.chart.spec.version to \">=2.1.14\" or a later pin")
                }
            case "Application" where object.apiVersion.hasPrefix("argoproj.io/"):
                let sources = (object.spec?["source"].map { [$0] } ?? []) + (object.spec?["sources"]?.items ?? [])
                for source in sources where isBifrostChart(source["chart"]?.string) {
                    add("Argo CD Application \(object.name.map { "'\($0)'" } ?? "")", source["targetRevision"], resolved: false, remedy: "set targetRevision to 2.1.14 or later")
                }
            default:
                break
            }
        }
        return out
    }
}
