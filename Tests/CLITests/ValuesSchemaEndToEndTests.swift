import BifrostLint
import Foundation
import Testing

/// BF005 from the command line: a chart directory among the inputs, `--chart`, `--config-schema`
/// and a config.json's own `$schema`.
@Suite("kubectl-bifrost lint, values schema (BF005)")
struct ValuesSchemaEndToEndTests {
    static let schema = #"""
    {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "additionalProperties": false,
     "properties": {"replicaCount": {"type": "integer"}, "image": {"type": "object", "required": ["tag"], "properties": {"tag": {"type": "string"}}},
                    "mode": {"enum": ["a", "b"], "description": "Run mode"}}}
    """#

    func chart(in dir: URL) throws -> URL {
        let chart = dir.appendingPathComponent("gateway")
        try FileManager.default.createDirectory(at: chart, withIntermediateDirectories: true)
        try "apiVersion: v2\nname: gateway\nversion: 1.2.3\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try Self.schema.write(to: chart.appendingPathComponent("values.schema.json"), atomically: true, encoding: .utf8)
        try "replicaCount: 1\nimage:\n  tag: v1\nmode: a\n".write(to: chart.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        return chart
    }

    @Test func aChartDirectoryChecksItsValuesFiles() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = try chart(in: dir)
        try "replicaCount: two\nmode: c\nextra: 1\n".write(to: chart.appendingPathComponent("values-prod.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--enable", "BF005", chart.path])
        #expect(r.status == 1)
        let p = chart.path + "/values-prod.yaml"
        #expect(CLI.findings(r.stdout) == ["\(p):1:15 BF005", "\(p):2:7 BF005", "\(p):3:1 BF005"], "\(r.stdout)")
        #expect(r.stdout.contains("chart gateway 1.2.3's values.schema.json") && r.stdout.contains("(Run mode)"))
    }

    @Test func chartOptionAndNullDeletingADefault() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = try chart(in: dir)
        let values = dir.appendingPathComponent("prod.yaml")
        try "image: {tag: null}\n".write(to: values, atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--enable", "BF005", "-o", "json", "--chart", chart.path, values.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"path\":\"image\"") && r.stdout.contains("missing required property 'tag'"), "\(r.stdout)")
        try "replicaCount: 3.0\n".write(to: values, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["lint", "--enable", "BF005", "--chart", chart.path, values.path]).status == 0)
        let missing = try CLI.run(["lint", "--chart", dir.path, values.path])
        #expect(missing.status == 2 && missing.stderr.contains("no values.schema.json"))
    }

    @Test func configSchemaOptionAndLocalSchemaReference() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("config.schema.json")
        try #"{"type": "object", "properties": {"client": {"type": "object", "additionalProperties": false, "properties": {"drop_excess_requests": {"type": "boolean"}}}}}"#
            .write(to: schema, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config.json")
        try "{\n  \"client\": {\"drop_excess_requests\": \"yes\", \"unknown\": 1},\n  \"providers\": {}\n}\n".write(to: config, atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--enable", "BF005", "--config-schema", schema.path, config.path])
        #expect(CLI.findings(r.stdout) == ["\(config.path):2:38 BF005", "\(config.path):2:45 BF005"], "\(r.stdout)")
        try "{\n  \"$schema\": \"config.schema.json\",\n  \"client\": {\"unknown\": 1},\n  \"providers\": {}\n}\n".write(to: config, atomically: true, encoding: .utf8)
        let local = try CLI.run(["lint", "--enable", "BF005", config.path])
        #expect(CLI.findings(local.stdout) == ["\(config.path):3:14 BF005"], "\(local.stdout)")
    }
}
