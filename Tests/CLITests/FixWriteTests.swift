import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `lint --fix` writes the file a user named, as that file: through links, with its owner, group
/// and mode, and never where the user could not write; every refusal names the file and the
/// reason, leaves it untouched and exits 2 (issue 17, item 2).
@Suite("kubectl-bifrost lint --fix: how a fixed file is written")
struct FixWriteTests {
    /// BF309 has a safe fix: it removes allowDirectKeys.
    static let values = "bifrost:\n  client:\n    allowDirectKeys: true\n    initialPoolSize: 500\n"

    func workspace(_ file: String = "values.yaml") throws -> (dir: URL, file: URL) {
        let dir = try CLI.temporaryDirectory()
        let url = dir.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.values.write(to: url, atomically: false, encoding: .utf8)
        return (dir, url)
    }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    func info(_ url: URL) throws -> stat {
        var s = stat()
        try #require(lstat(url.path, &s) == 0)
        return s
    }

    /// Temporary files the writer would have left behind.
    func leftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("kubectl-bifrost-") }
    }

    @Test func symlinkIsFollowedAndKept() throws {
        let (dir, target) = try workspace("real/values.yaml")
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("values.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/values.yaml")

        let r = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(r.status != 2, "\(r.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "real/values.yaml", "the link stays a link")
        #expect(try !text(target).contains("allowDirectKeys"), "the target is fixed")
        #expect(try text(target).contains("initialPoolSize: 500"))
        #expect(try leftovers(dir).isEmpty && leftovers(target.deletingLastPathComponent()).isEmpty)
    }

    @Test func hardLinkIsRefusedNotSplit() throws {
        let (dir, file) = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("copy.yaml")
        try #require(link(file.path, other.path) == 0)

        let r = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("values.yaml: has 2 hard links"), "\(r.stderr)")
        #expect(r.stderr.contains("not written"))
        #expect(try text(file) == Self.values && text(other) == Self.values)
        let a = try info(file), b = try info(other)
        #expect(a.st_ino == b.st_ino && a.st_nlink == 2, "still one file under two names")
        #expect(try leftovers(dir).isEmpty)
    }

    @Test(.enabled(if: getuid() == 0, "giving a file to another user needs root"))
    func ownerGroupAndModeAreKept() throws {
        let (dir, file) = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(chown(file.path, 1234, 1234) == 0)
        try #require(chmod(file.path, 0o640) == 0)

        let r = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(r.status != 2, "\(r.stderr)")
        #expect(try !text(file).contains("allowDirectKeys"), "the file is fixed")
        let s = try info(file)
        #expect(s.st_uid == 1234 && s.st_gid == 1234, "owner and group kept, not handed to root")
        #expect(s.st_mode & 0o7777 == 0o640)
    }

    @Test func readOnlyFileIsRefusedEvenForRoot() throws {
        let (dir, file) = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(chmod(file.path, 0o444) == 0)

        let r = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("values.yaml: is read-only; not written"), "\(r.stderr)")
        #expect(try text(file) == Self.values)
        #expect(try info(file).st_mode & 0o7777 == 0o444)
        #expect(try leftovers(dir).isEmpty)
    }

    @discardableResult
    static func sh(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func unwritableDirectoryIsNamed() throws {
        let (dir, file) = try workspace()
        // Root ignores permission bits, so as root the directory is made immutable instead.
        let root = getuid() == 0
        if root {
            try #require(Self.sh(["chattr", "+i", dir.path]) == 0, "chattr +i is needed to make a directory unwritable for root")
        } else {
            try #require(chmod(dir.path, 0o555) == 0)
        }
        defer {
            if root { Self.sh(["chattr", "-i", dir.path]) }
            chmod(dir.path, 0o755)
            try? FileManager.default.removeItem(at: dir)
        }

        let r = try CLI.run(["lint", "--fix", "values.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("values.yaml: its directory "), "\(r.stderr)")
        #expect(r.stderr.contains("\(dir.lastPathComponent) is not writable"))
        #expect(try text(file) == Self.values)
    }
}
