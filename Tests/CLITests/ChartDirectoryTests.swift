import Foundation
import Testing

/// `-R` on a chart lints what users keep beside its values (values-examples/, ci/, subcharts'
/// values) and never its Go templates.
@Suite("A chart directory under -R")
struct ChartDirectoryTests {
    @Test func valuesExamplesAreReadTemplatesAreNot() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = [
            "gw/Chart.yaml": "apiVersion: v2\nname: gw\nversion: 0.1.0\n",
            "gw/values.yaml": "bifrost:\n  logLevel: info\n",
            "gw/values-examples/direct-keys.yaml": "bifrost:\n  client:\n    allowDirectKeys: true\n    initialPoolSize: 5\n",
            "gw/ci/prod-values.yaml": "bifrost:\n  client:\n    enableLitellmFallbacks: true\n",
            "gw/templates/deployment.yaml": "{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n",
        ]
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let r = try CLI.run(["lint", "-R", "gw"], in: dir)
        let found = CLI.findings(r.stdout)
        #expect(found.contains("gw/values-examples/direct-keys.yaml:3:5 BF309"), "\(found)")
        #expect(found.contains("gw/ci/prod-values.yaml:3:5 BF308"), "\(found)")
        #expect(!found.contains { $0.hasPrefix("gw/templates/") }, "\(found)")
        // Without -R, the chart's own files only, as before.
        #expect(CLI.findings(try CLI.run(["lint", "gw"], in: dir).stdout).isEmpty)
    }
}
