import YAMLSource

public struct HeadlessServiceWiringRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "BF107", name: "headless-service-wiring", severity: .error,
        summary: "The Bifrost StatefulSet's `serviceName` names no headless Service in its namespace, or that Service does not select its pods.",
        rationale: """
        Peers reach each other (gossip and the v1.4.0 gRPC transport) through the per-pod DNS records \
        of the headless Service named by `serviceName`. If the name is wrong, the Service is not \
        headless (`clusterIP: None`), or its selector misses the pod labels, those records do not \
        exist and nodes cannot find their peers. Checked only when the run includes at least one \
        Service, so linting a lone StatefulSet file does not report Services kept elsewhere.
        """,
        remediation: "Point `serviceName` at a Service with `clusterIP: None` whose `selector` matches the pod template's labels.",
        triggering: [
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(serviceName: "↓bifrost-hl"),
                ExampleManifests.headlessService())),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(clusterIP: "↓10.0.0.12"))),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(selector: "↓{app.kubernetes.io/name: bifrost-v2}"))),
        ],
        nonTriggering: [
            Example(ExampleManifests.stream(ExampleManifests.statefulSet(), ExampleManifests.headlessService())),
            // No Service in the run: it may live in another file that was not given.
            Example(ExampleManifests.statefulSet()),
            Example(ExampleManifests.stream(
                ExampleManifests.statefulSet(),
                ExampleManifests.headlessService(selector: "{app.kubernetes.io/name: bifrost, app.kubernetes.io/component: server}"))),
        ]
    )

    public func check(_ model: ClusterModel) -> [Finding] {
        guard !model.services.isEmpty else { return [] }
        return model.clusteredWorkloads.filter(\.isStatefulSet).compactMap { w in
            let ns = w.object.namespace.map { " in namespace '\($0)'" } ?? ""
            guard let serviceName = w.serviceName, let name = serviceName.value else {
                return finding(w.object.anchor, "\(w.object.displayName) has no serviceName; its peers have no headless Service to find each other through")
            }
            guard let service = model.services(named: name, near: w).first else {
                return finding(serviceName.loc, "serviceName '\(name)' names no Service\(ns)")
            }
            if !service.isHeadless {
                return finding(service.clusterIP ?? service.object.anchor, "Service '\(name)' named by \(w.object.displayName) is not headless (clusterIP: None), so peers get no per-pod DNS records")
            }
            if !service.selects(w) {
                return finding(service.selectorLoc ?? service.object.anchor, "selector of Service '\(name)' does not match the pod labels of \(w.object.displayName)")
            }
            return nil
        }
    }
}
