import Foundation
import Testing

@Suite("kubectl-bifrost as installed by make install")
struct InstallLayoutTests {
    /// PREFIX/bin/kubectl-bifrost and PREFIX/share/kubectl-bifrost/overlays, run by its bare
    /// name through PATH from an unrelated directory: argv[0] is then just "kubectl-bifrost".
    @Test func composeFindsTheShippedOverlaysThroughPATH() throws {
        let prefix = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: prefix) }
        let fm = FileManager.default
        let bin = prefix.appendingPathComponent("bin"), share = prefix.appendingPathComponent("share/kubectl-bifrost/overlays")
        // Not beside bin/: PREFIX/work/../share would find the overlays by accident.
        let elsewhere = try CLI.temporaryDirectory().appendingPathComponent("a/b")
        defer { try? FileManager.default.removeItem(at: elsewhere.deletingLastPathComponent().deletingLastPathComponent()) }
        for dir in [bin, share, elsewhere] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.binary, to: bin.appendingPathComponent("kubectl-bifrost"))
        try fm.copyItem(at: CLI.repoRoot.appendingPathComponent("overlays/teams.yaml"), to: share.appendingPathComponent("teams.yaml"))
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try CLI.run(["-c", "exec kubectl-bifrost compose --overlay teams"], executable: URL(fileURLWithPath: "/bin/sh"),
                            environment: ["PATH": path, "KUBECTL_BIFROST_OVERLAYS": ""], in: elsewhere)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("teams"), "\(r.stdout)")

        // KUBECTL_BIFROST_OVERLAYS still wins over the installed ones.
        let own = prefix.appendingPathComponent("own")
        try fm.createDirectory(at: own, withIntermediateDirectories: true)
        try "own: true\n".write(to: own.appendingPathComponent("teams.yaml"), atomically: true, encoding: .utf8)
        let o = try CLI.run(["-c", "exec kubectl-bifrost compose --no-lint --overlay teams"], executable: URL(fileURLWithPath: "/bin/sh"),
                            environment: ["PATH": path, "KUBECTL_BIFROST_OVERLAYS": own.path], in: elsewhere)
        #expect(o.status == 0 && o.stdout.hasSuffix("own: true\n"), "\(o.stdout)\(o.stderr)")
    }
}
