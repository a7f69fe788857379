import Foundation
import Testing
@testable import BifrostLint

/// Inputs the fuzzers once crashed on (charts-fixtures/fuzz-regressions): each must now lint,
/// stream and fix without a crash, and a fix must leave text that parses.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("charts-fixtures/fuzz-regressions")

    static let inputs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()

    @Test(arguments: inputs)
    func replays(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.dir.appendingPathComponent(name)))
        for as_ in ["values.yaml", "release.yaml", "config.json"] {
            let source = SourceFile(name: as_, bytes: bytes)
            _ = Linter().lint([source])
            _ = Linter().lint(streams: [DocumentReader(name: as_, bytes: bytes)])
            let fixed = Fixer(linter: Linter(), unsafe: true).fix([source])[0]
            if fixed.changed {
                #expect(YAMLParser.parse(SourceFile(name: as_, bytes: fixed.fixed)).error == nil)
            }
        }
    }

    @Test func thereAreRegressionsToReplay() {
        #expect(!Self.inputs.isEmpty)
    }
}
