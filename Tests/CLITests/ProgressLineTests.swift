import Foundation
import Testing

/// The progress line of a long run is for a person at a terminal: never in a pipe or a file, and
/// never in CI logs, whatever the run's length or output format.
@Suite("Progress line")
struct ProgressLineTests {
    /// A stream long enough that a run takes well over the half second before the line shows.
    static func longStream(in dir: URL) throws -> URL {
        var text = ""
        for i in 0..<6000 {
            text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-\(i)\n  namespace: ns-\(i % 50)\ndata:\n  config.json: |\n    {\"client\": {\"allow_direct_keys\": true}, \"governance\": {\"virtual_keys\": [{\"id\": \"vk-\(i)\", \"provider_configs\": [{\"provider\": \"openai\", \"allowed_keys\": [\"k\"], \"allowed_models\": [\"*\"]}]}]}}\n"
        }
        let url = dir.appendingPathComponent("stream.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func neverInAPipe() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = try Self.longStream(in: dir)
        for format in ["text", "json", "sarif", "junit", "github"] {
            let r = try CLI.run(["lint", "-o", format, stream.path], environment: ["CI": ""])
            #expect(r.status == 1)
            #expect(r.stderr.isEmpty, "-o \(format): \(r.stderr.prefix(200))")
        }
    }

    /// Under a terminal (`script` gives the run one) the line shows, unless CI is set.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func neverInCIEvenOnATerminal() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = try Self.longStream(in: dir)
        // stdout to a file: what the pseudo-terminal shows is standard error alone.
        let command = "\(CLI.binary.path) lint -o json \(stream.path) > \(dir.path)/out.json"
        for ci in ["true", "1", "yes"] {
            let r = try CLI.run(["-qec", command, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"), environment: ["CI": ci])
            #expect(!r.stdout.contains("so far"), "CI=\(ci): \(r.stdout.prefix(200))")
            #expect(!r.stdout.contains("\u{1B}[K"), "CI=\(ci)")
        }
        // The same run outside CI, when it lasts long enough to show the line: shown, then erased.
        let started = Date()
        let r = try CLI.run(["-qec", command, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"), environment: ["CI": ""])
        if Date().timeIntervalSince(started) > 1.5 {
            #expect(r.stdout.contains("documents"), "\(r.stdout.prefix(200))")
            #expect(r.stdout.hasSuffix("\r\u{1B}[K"), "\(r.stdout.suffix(40).debugDescription)")
        }
        // --quiet: the findings alone, no line.
        let quiet = try CLI.run(["-qec", "\(CLI.binary.path) lint -q \(stream.path) > /dev/null", "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"), environment: ["CI": ""])
        #expect(!quiet.stdout.contains("so far"))
    }
}
