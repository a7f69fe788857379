import Foundation
import Testing

/// A file reached twice in one run (named twice, named and under a directory given, spelled
/// two ways, through a symbolic link) is read once, under the first spelling: its findings are
/// never reported twice, and its objects are not two renderings of one release.
@Suite("Each input file once")
struct InputIdentityTests {
    static let release = "charts-fixtures/pre-2.1.14/rendered/release.yaml"

    func workspace() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let rendered = dir.appendingPathComponent("env/prod")
        try FileManager.default.createDirectory(at: rendered, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent(Self.release), to: rendered.appendingPathComponent("release.yaml"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("links"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("links/release.yaml").path, withDestinationPath: "../env/prod/release.yaml")
        return dir
    }

    @Test func aFileReachedTwiceIsReadOnceUnderItsFirstSpelling() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let alone = try CLI.run(["lint", "env/prod/release.yaml"], in: dir)
        let expected = CLI.findings(alone.stdout)
        #expect(!expected.isEmpty)
        let summary = try #require(alone.stdout.split(separator: "\n").last)
        #expect(summary.hasSuffix("in 1 file."))
        let spellings: [[String]] = [
            ["env/prod/release.yaml", "env/prod/release.yaml"],
            ["env/prod/release.yaml", "./env/prod/release.yaml"],
            ["env/prod/release.yaml", "env//prod/../prod/release.yaml"],
            ["env/prod/release.yaml", "links/release.yaml"],
            ["env/prod", "env/prod/release.yaml"],
            ["-R", "env", "env/prod/release.yaml", "env/prod"],
            ["-R", "env/prod/release.yaml", "env", "."],
            ["-R", "--follow-symlinks", "env", "links", "env/prod/release.yaml"],
        ]
        for arguments in spellings {
            let r = try CLI.run(["lint"] + arguments, in: dir)
            #expect(r.status == alone.status, "\(arguments)")
            #expect(CLI.findings(r.stdout) == expected, "\(arguments): \(CLI.findings(r.stdout))")
            #expect(r.stdout.hasSuffix(summary + "\n"), "\(arguments): \(r.stdout.suffix(80))")
            #expect(!r.stderr.contains("already read"), "\(arguments): \(r.stderr)")
        }
        // The first spelling is the one reported.
        let dotted = try CLI.run(["lint", "./env/prod/release.yaml", "env/prod/release.yaml"], in: dir)
        #expect(CLI.findings(dotted.stdout) == expected.map { "./" + $0 })
        let json = try CLI.run(["lint", "-o", "json", "env/prod", "links/release.yaml"], in: dir)
        #expect(json.stdout.contains("\"files\":1,"), "\(json.stdout.suffix(120))")
    }

    /// Names that differ only in Unicode normalisation (`é`, `e` + U+0301) are two files: two
    /// links out of the tree are two findings, and a directory so named beside the tree given is
    /// outside it (its link is not followed).
    @Test func namesInTwoNormalFormsAreTwoPlaces() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("t"), withIntermediateDirectories: true)
        for name in [nfc, nfd, "z"] {
            try fm.createSymbolicLink(atPath: dir.appendingPathComponent("t/\(name).yaml").path, withDestinationPath: "../env/prod/release.yaml")
        }
        let links = try CLI.run(["lint", "-R", "t"], in: dir)
        #expect(links.stdout.components(separatedBy: "outside the tree; not followed").count - 1 == 3, "\(links.stdout)")
        try fm.createDirectory(at: dir.appendingPathComponent("\(nfc)"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("\(nfd)"), withIntermediateDirectories: true)
        try fm.copyItem(at: dir.appendingPathComponent("env/prod/release.yaml"), to: dir.appendingPathComponent("\(nfd)/release.yaml"))
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("\(nfc)/link.yaml").path, withDestinationPath: "../\(nfd)/release.yaml")
        let inside = try CLI.run(["lint", "-R", nfc], in: dir)
        #expect(inside.stdout.contains("outside the tree; not followed"), "\(inside.stdout)")
        #expect(CLI.findings(inside.stdout).allSatisfy { !$0.contains("BF1") && !$0.contains("BF2") }, "\(inside.stdout)")
    }

    @Test func twoCopiesAreStillTwoFiles() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("env/staging"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("env/prod/release.yaml"), to: dir.appendingPathComponent("env/staging/release.yaml"))
        let r = try CLI.run(["lint", "-R", "env"], in: dir)
        #expect(r.stdout.split(separator: "\n").last?.hasSuffix("in 2 files.") == true, "\(r.stdout.suffix(80))")
    }
}
