import Foundation
import Testing
@testable import BifrostLint

@Suite("Embedded config.json")
struct EmbeddedConfigTests {
    func lint(_ text: String) -> [Finding] {
        Linter().lint([SourceFile(name: "release.yaml", text: text)])
    }

    @Test func findingsInABlockScalarPointAtTheOuterLineAndColumn() {
        let text = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: bifrost-config}
        data:
          config.json: |
            {
              "client": {"allow_direct_keys": true}
            }

        """
        let f = lint(text).filter { $0.code == "BF309" }
        #expect(f.count == 1)
        #expect(f.first?.range.start.line == 7)
        #expect(f.first?.range.start.column == 18)
        #expect(f.first?.file == "release.yaml")
        let source = SourceFile(name: "x", text: text)
        if let start = f.first?.range.start.offset {
            #expect(source.text(start..<(start + 19)) == "\"allow_direct_keys\"")
        }
    }

    @Test func base64SecretDataPointsAtItsKey() {
        let json = #"{"client": {"allow_direct_keys": true}, "version": 1}"#
        let encoded = Data(json.utf8).base64EncodedString()
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: bifrost-config}\ndata:\n  config.json: \(encoded)\n"
        let f = lint(text)
        #expect(Set(f.map(\.code)) == ["BF309", "BF310"])
        for finding in f {
            #expect(finding.range.start.line == 5 && finding.range.start.column == 3)
        }
    }

    @Test func quotedScalarFallsBackToTheValue() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  config.json: '{\"client\": {\"allow_direct_keys\": true}}'\n"
        let f = lint(text).filter { $0.code == "BF309" }
        #expect(f.map(\.range.start.line) == [5])
        #expect(f.map(\.range.start.column) == [16])
    }

    @Test func syntaxErrorInsideTheEmbeddedJSONIsBF001AtItsOuterLine() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  config.json: |\n    {\"client\": {\"x\": [1,}}\n"
        let f = lint(text).filter { $0.code == "BF001" }
        #expect(f.count == 1)
        #expect(f.first?.range.start.line == 6)
    }

    @Test func nonBifrostJSONInAConfigMapIsIgnored() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: grafana}\ndata:\n  dashboard.json: |\n    {\"version\": 1, \"panels\": [], \"allow_direct_keys\": true}\n"
        #expect(lint(text).isEmpty)
    }
}

@Suite("Suppression comments")
struct SuppressionTests {
    func codes(_ text: String, file: String = "values.yaml") -> [String] {
        Linter().lint([SourceFile(name: file, text: text)]).map { "\($0.range.start.line) \($0.code)" }
    }

    @Test func aHashInsideABlockScalarIsNotADirective() {
        let text = "bifrost:\n  client:\n    note: |\n      # kubectl-bifrost: disable-file=BF309\n    allowDirectKeys: true\n"
        #expect(codes(text) == ["5 BF309"])
    }

    @Test func aHashInsideAMultiLineQuotedScalarIsNotADirective() {
        let text = "bifrost:\n  client:\n    note: 'first line\n      # kubectl-bifrost: disable-file=BF309'\n    allowDirectKeys: true\n"
        #expect(codes(text) == ["5 BF309"])
    }

    @Test func fileDirectiveAnywhereAndSeveralCodes() {
        let text = "bifrost:\n  client:\n    allowDirectKeys: true\n    enableLitellmFallbacks: true\n# kubectl-bifrost: disable-file=BF309, compat-plugin-restructured\n"
        #expect(codes(text).isEmpty)
    }

    @Test func ownLineDirectiveCoversOnlyTheNextLine() {
        let text = "bifrost:\n  client:\n    # kubectl-bifrost: disable=BF309\n    allowDirectKeys: true\n  other:\n    allowDirectKeys: true\n"
        #expect(codes(text) == ["6 BF309"])
    }
}
