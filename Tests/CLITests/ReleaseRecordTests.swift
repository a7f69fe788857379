import BifrostLint
import Foundation
import Testing
import YAMLSource

/// Helm release records (Secrets of type helm.sh/release.v1, configmap-driver ConfigMaps) as
/// lint input: the deployed Bifrost revision is linted as its chart, values and manifest.
@Suite("Helm release records")
struct ReleaseRecordTests {
    struct JSONFinding: Decodable, Hashable {
        let code: String
        let file: String
        let line: Int
        let column: Int
        let message: String
    }

    struct Report: Decodable {
        let findings: [JSONFinding]
    }

    static func lintJSON(_ arguments: [String], stdin: String? = nil) throws -> (CLI.Result, [JSONFinding]) {
        let r = try CLI.run(["lint", "-o", "json"] + arguments, stdin: stdin)
        let report = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        return (r, report.findings)
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Findings of linting `text` as a file named `name` directly, as (code, line, column).
    static func direct(_ text: String, name: String) -> Set<[String]> {
        Set(Linter().lint([SourceFile(name: name, bytes: Array(text.utf8))]).map { [$0.code, String($0.range.start.line), String($0.range.start.column)] })
    }

    @Test func deployedRevisionInAListIsLintedAsChartValuesAndManifest() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = ReleaseRecords.list([
            ReleaseRecords.record(revision: 6, status: "superseded", indent: 2),
            ReleaseRecords.record(revision: 7, status: "deployed", indent: 2),
        ])
        let path = try Self.write(list, "helm-secrets.yaml", in: dir)
        let (r, findings) = try Self.lintJSON([path])
        #expect(r.status == 1)
        // Only revision 7: revision 6 is superseded, skipped and counted.
        #expect(!findings.contains { $0.file.contains("rev 6") })
        #expect(r.stderr.contains("skipped 1 Bifrost release record not deployed (llm/gw rev 6 superseded)"))
        let byFile = Dictionary(grouping: findings, by: \.file)
        #expect(Set(byFile.keys) == ["release llm/gw rev 7: chart", "release llm/gw rev 7: values", "release llm/gw rev 7: manifest"])
        #expect(byFile["release llm/gw rev 7: chart"]?.map(\.code) == ["BF201"])
        #expect(byFile["release llm/gw rev 7: chart"]?.first?.line == 2)
        // Every finding names the record and where it is.
        let secretLine = list.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("name: sh.helm.release.v1.gw.v7") }! + 1
        for f in findings {
            #expect(f.message.contains("from Secret llm/sh.helm.release.v1.gw.v7 (\(path):\(secretLine))"), "\(f)")
        }

        // Positions are real positions in the decoded texts: the values as written, the
        // manifest as stored. Linting those texts directly gives the same codes and places.
        let values = try #require(ReleaseRecord.deployedValues(in: SourceFile(name: path, bytes: Array(list.utf8))).first)
        #expect(values.name == "release llm/gw rev 7: values")
        let text = String(decoding: values.bytes, as: UTF8.self)
        let valueFindings = byFile["release llm/gw rev 7: values"] ?? []
        #expect(Set(valueFindings.map(\.code)) == ["BF301", "BF302", "BF309"])
        #expect(Set(valueFindings.map { [$0.code, String($0.line), String($0.column)] }) == Self.direct(text, name: "values.yaml"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let bf301 = try #require(valueFindings.first { $0.code == "BF301" })
        #expect(lines[bf301.line - 1].dropFirst(bf301.column - 1).hasPrefix("allowed_keys:"))
        let bf309 = try #require(valueFindings.first { $0.code == "BF309" })
        #expect(lines[bf309.line - 1].dropFirst(bf309.column - 1).hasPrefix("allowDirectKeys: true"))

        let manifestFindings = Set((byFile["release llm/gw rev 7: manifest"] ?? []).map { [$0.code, String($0.line), String($0.column)] })
        #expect(manifestFindings == Self.direct(ReleaseRecords.manifest, name: "release.yaml"))
        #expect(manifestFindings.contains(["BF101", "156", "11"]))
    }

    @Test func aSingleSecretFromStandardInputAndAConfigMapDriverRecord() throws {
        let secret = ReleaseRecords.record(revision: 3, status: "deployed")
        let (r, findings) = try Self.lintJSON(["-"], stdin: secret)
        #expect(r.status == 1)
        #expect(findings.contains { $0.file == "release llm/gw rev 3: values" && $0.code == "BF301" })

        let configMap = ReleaseRecords.record(driver: "ConfigMap", namespace: "ai", revision: 2, status: "deployed")
        let (r2, found) = try Self.lintJSON(["-"], stdin: configMap)
        #expect(r2.status == 1)
        #expect(found.contains { $0.file == "release ai/gw rev 2: chart" && $0.code == "BF201" })
        #expect(found.contains { $0.file == "release ai/gw rev 2: values" && $0.code == "BF309" && $0.message.contains("from ConfigMap ai/sh.helm.release.v1.gw.v2") })
        #expect(found.contains { $0.file == "release ai/gw rev 2: manifest" && $0.code == "BF101" })
    }

    @Test func recordsStoredWithoutGzipAreReadToo() throws {
        let plain = ReleaseRecords.record(revision: 4, status: "deployed", gzip: false)
        let (r, findings) = try Self.lintJSON(["-"], stdin: plain)
        #expect(r.status == 1)
        #expect(findings.contains { $0.file == "release llm/gw rev 4: values" && $0.code == "BF301" })
        #expect(!findings.contains { $0.code == "BF003" })
    }

    @Test func otherChartsAndCleanReleasesGiveNothing() throws {
        let redis = ReleaseRecords.record(name: "cache", revision: 1, status: "deployed", chart: "redis")
        let (r, findings) = try Self.lintJSON(["-"], stdin: redis)
        #expect(r.status == 0)
        #expect(findings.isEmpty)
    }

    @Test func badRecordsAreFindingsNamingTheRecordNeverACrash() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notBase64 = ReleaseRecords.object(revision: 1, status: "deployed", payload: "ignored")
            .replacingOccurrences(of: "  release: ", with: "  release: '%%% not base64 %%%'\n  other: ")
        let notJSON = ReleaseRecords.object(name: "b", revision: 1, status: "deployed", payload: Data("this is not json".utf8).base64EncodedString())
        var gz = Gzip.compress(ReleaseRecords.releaseJSON(revision: 1, status: "deployed"))
        gz = Array(gz.prefix(gz.count / 2))
        let truncated = ReleaseRecords.object(name: "c", revision: 1, status: "deployed", payload: Data(gz).base64EncodedString())
        let gzippedGarbage = ReleaseRecords.object(name: "d", revision: 1, status: "deployed", payload: Data(Gzip.compress(Array("{\"name\": ".utf8))).base64EncodedString())
        let stream = [notBase64, notJSON, truncated, gzippedGarbage].joined(separator: "---\n")
        let path = try Self.write(stream, "records.yaml", in: dir)
        let (r, findings) = try Self.lintJSON([path])
        #expect(r.status == 1)
        let bf003 = findings.filter { $0.code == "BF003" }
        #expect(bf003.count == 4)
        #expect(bf003.allSatisfy { $0.file == path })
        #expect(bf003.contains { $0.message.contains("Secret 'sh.helm.release.v1.gw.v1'") && $0.message.contains("not base64") })
        #expect(bf003.contains { $0.message.contains("Secret 'sh.helm.release.v1.b.v1'") && $0.message.contains("not JSON") })
        #expect(bf003.contains { $0.message.contains("Secret 'sh.helm.release.v1.c.v1'") && $0.message.contains("not valid gzip") })
        #expect(bf003.contains { $0.message.contains("Secret 'sh.helm.release.v1.d.v1'") && $0.message.contains("not JSON after gzip") })
        // Each at the record's data.release line.
        let lines = stream.split(separator: "\n", omittingEmptySubsequences: false)
        for f in bf003 { #expect(lines[f.line - 1].hasPrefix("  release: ")) }
    }

    @Test func aZipBombStopsAtTheLimit() throws {
        // 65 MiB of JSON-ish spaces compress to about 65 KiB; inflating stops at 64 MiB.
        let bomb = Gzip.compress([UInt8](repeating: 0x20, count: 65 << 20))
        #expect(bomb.count < 200_000)
        let record = ReleaseRecords.object(revision: 9, status: "deployed", payload: Data(bomb).base64EncodedString())
        let (r, findings) = try Self.lintJSON(["-"], stdin: record)
        #expect(r.status == 1)
        #expect(findings.count == 1)
        #expect(findings.first?.code == "BF003")
        #expect(findings.first?.message.contains("decompresses to more than 67108864 bytes") == true)
    }

    @Test func fixNeverWritesARecordAndDiffShowsTheValuesFix() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = ReleaseRecords.record(revision: 7, status: "deployed")
        let path = try Self.write(text, "gw.yaml", in: dir)
        let fix = try CLI.run(["lint", "--fix", path])
        #expect(fix.status == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(fix.stderr.contains("in Helm release records left as they are"))

        let diff = try CLI.run(["lint", "--diff", path])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("--- a/release llm/gw rev 7: values\n+++ b/release llm/gw rev 7: values\n"))
        // The values are written with the record's key order (Go's JSON: sorted).
        #expect(diff.stdout.contains("-      - allowed_keys:\n+      - key_ids:\n"))
        #expect(diff.stdout.contains("-    allowDirectKeys: true\n"))
        #expect(diff.stderr.contains("helm upgrade -f"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    struct ReleaseRow: Decodable, Hashable {
        let namespace: String
        let release: String
        let revision: Int
        let chartVersion: String?
        let errors: Int
        let warnings: Int
        let infos: Int
        let fixable: Int
        let record: String
    }

    struct ReportWithReleases: Decodable {
        let releases: [ReleaseRow]?
        let findings: [JSONFinding]
    }

    @Test func aSummaryPerReleaseComesBeforeTheFindingsInTextAndJSON() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two releases in two namespaces (gw superseded once), a redis release, a plain values file.
        let list = ReleaseRecords.list([
            ReleaseRecords.record(revision: 6, status: "superseded", indent: 2),
            ReleaseRecords.record(revision: 7, status: "deployed", indent: 2),
            ReleaseRecords.record(name: "edge", namespace: "ai-platform", revision: 12, status: "deployed", chartVersion: "2.1.16", indent: 2),
            ReleaseRecords.record(name: "cache", revision: 1, status: "deployed", indent: 2, chart: "redis"),
        ])
        let path = try Self.write(list, "helm-secrets.yaml", in: dir)

        let json = try CLI.run(["lint", "-o", "json", path])
        #expect(json.status == 1)
        #expect(json.stdout.hasPrefix("{\n  \"releases\": [\n    {\"namespace\":\"ai-platform\",\"release\":\"edge\",\"revision\":12,"))
        let report = try JSONDecoder().decode(ReportWithReleases.self, from: Data(json.stdout.utf8))
        let rows = try #require(report.releases)
        #expect(rows.map { "\($0.namespace)/\($0.release) \($0.revision)" } == ["ai-platform/edge 12", "llm/gw 7"])
        // The counts are those of the findings in each release's decoded files.
        for row in rows {
            let own = report.findings.filter { $0.file.hasPrefix("release \(row.namespace)/\(row.release) rev \(row.revision): ") }
            #expect(!own.isEmpty)
            let severities = try own.map { f in try #require(Self.severity(of: f, in: json.stdout)) }
            #expect(row.errors == severities.filter { $0 == "error" }.count)
            #expect(row.warnings == severities.filter { $0 == "warning" }.count)
            #expect(row.infos == severities.filter { $0 == "info" }.count)
            #expect(row.record.hasPrefix("Secret \(row.namespace)/sh.helm.release.v1.\(row.release).v\(row.revision) (\(path):"))
        }
        let gw = try #require(rows.last)
        #expect(gw.chartVersion == "2.1.9")
        #expect(gw.fixable > 0)
        #expect(rows.first?.chartVersion == "2.1.16")

        let text = try CLI.run(["lint", "--color", "never", path])
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "2 Helm releases (the deployed revision of each):")
        #expect(lines[1] == "NAMESPACE    RELEASE  REVISION  CHART   ERRORS  WARNINGS  FIXABLE")
        #expect(lines[2] == "ai-platform  edge     12        2.1.16  \(rows[0].errors)       \(rows[0].warnings)         \(rows[0].fixable)")
        #expect(lines[3].hasPrefix("llm          gw       7         2.1.9   \(gw.errors)  "))
        #expect(lines[4] == "")
        #expect(lines[5].hasPrefix("release ai-platform/edge rev 12: "))

        // --quiet prints the findings only.
        let quiet = try CLI.run(["lint", "-q", "--color", "never", path])
        #expect(!quiet.stdout.contains("NAMESPACE"))
        #expect(quiet.stdout.hasPrefix("release "))
    }

    /// A finding's severity read back from the JSON report's line for it.
    static func severity(of f: JSONFinding, in report: String) -> String? {
        struct Line: Decodable { let code, file, severity, message: String; let line, column: Int }
        return report.split(separator: "\n").lazy.compactMap { line -> Line? in
            let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ","))
            return try? JSONDecoder().decode(Line.self, from: Data(trimmed.utf8))
        }.first { $0.code == f.code && $0.file == f.file && $0.line == f.line && $0.column == f.column && $0.message == f.message }?.severity
    }

    @Test func withoutReleaseRecordsTheReportsAreAsBefore() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let values = "bifrost:\n  client:\n    allowDirectKeys: true\n"
        let path = try Self.write(values, "values.yaml", in: dir)
        let json = try CLI.run(["lint", "-o", "json", path])
        #expect(json.stdout.hasPrefix("{\n  \"findings\": [\n"))
        #expect(!json.stdout.contains("\"releases\""))
        let text = try CLI.run(["lint", "--color", "never", path])
        #expect(text.stdout.hasPrefix("\(path):3:5: "))
        // A redis release record: no Bifrost release, so no table either.
        let redis = ReleaseRecords.record(name: "cache", revision: 1, status: "deployed", chart: "redis")
        let clean = try CLI.run(["lint", "--color", "never", "-"], stdin: redis)
        #expect(clean.stdout == "No problems found in 1 file.\n")
        let cleanJSON = try CLI.run(["lint", "-o", "json", "-"], stdin: redis)
        #expect(!cleanJSON.stdout.contains("releases"))
    }
}
