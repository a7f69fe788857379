import BifrostLint
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs `helm template` on chart directories for `--render`.
struct HelmRenderer {
    let values: [String]

    static func findHelm() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/helm"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The rendered output of every chart, and for each the `# Source:` lines of its documents
    /// (keyed by the input's name, `CHART/(helm template)`).
    func render(_ paths: [String]) throws -> [InputFile] {
        try renderWithSources(paths).inputs
    }

    /// Sources by rendering name, told apart by bytes (charts named `café` two ways are two).
    func renderWithSources(_ paths: [String]) throws -> (inputs: [InputFile], sources: [ExactString: (chart: String, lines: [(line: Int, source: String)])]) {
        var sources: [ExactString: (chart: String, lines: [(line: Int, source: String)])] = [:]
        let inputs = try renderCharts(paths) { name, chart, bytes in sources[ExactString(name)] = (chart, Self.templateSources(bytes)) }
        return (inputs, sources)
    }

    private func renderCharts(_ paths: [String], _ record: (String, String, [UInt8]) -> Void) throws -> [InputFile] {
        let charts = paths.filter { FileManager.default.fileExists(atPath: "\($0)/Chart.yaml") }
        guard !charts.isEmpty else {
            throw InputError(description: "--render needs a chart directory (one with a Chart.yaml) among the paths")
        }
        guard let helm = Self.findHelm() else {
            throw InputError(description: "--render needs helm on PATH; install Helm 3 (https://helm.sh/docs/intro/install/), or render yourself: helm template RELEASE CHART | kubectl bifrost lint -")
        }
        return try charts.map { chart in
            let arguments = ["template", chart] + values.flatMap { ["--values", $0] }
            let result: (status: Int32, output: [UInt8], errors: [UInt8])
            do {
                result = try System.run(helm, arguments)
            } catch {
                throw InputError(description: "helm template \(chart): \(error)")
            }
            guard result.status == 0 else {
                throw InputError(description: "helm template \(chart) failed: \(Self.tail(result.errors))")
            }
            let base = chart.hasSuffix("/") ? String(chart.dropLast()) : chart
            record("\(base)/(helm template)", chart, result.output)
            return InputFile(name: "\(base)/(helm template)", bytes: result.output)
        }
    }

    /// Where each document of `helm template` output came from: the line of each
    /// `# Source: CHART/templates/x.yaml` comment and that path.
    static func templateSources(_ bytes: [UInt8]) -> [(line: Int, source: String)] {
        var out: [(line: Int, source: String)] = []
        var line = 1
        for text in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let marker = Array("# Source: ".utf8)
            if text.starts(with: marker) {
                var name = String(decoding: text.dropFirst(marker.count), as: UTF8.self)
                while let last = name.last, last.isWhitespace { name.removeLast() }
                if !name.isEmpty { out.append((line, name)) }
            }
            line += 1
        }
        return out
    }

    /// The chart file a finding at `line` of `chart`'s rendered output came from: the template
    /// named by the nearest `# Source:` comment above it, under the chart directory (its first
    /// component is the chart's name). nil above the first comment.
    static func templateFile(chart: String, sources: [(line: Int, source: String)], line: Int) -> String? {
        guard let source = sources.last(where: { $0.line <= line })?.source else { return nil }
        let parts = source.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count > 1, !parts.contains("..") else { return nil }
        let base = chart.hasSuffix("/") ? String(chart.dropLast()) : chart
        return base + "/" + parts.dropFirst().joined(separator: "/")
    }

    /// Helm's error is its last lines; a chart that prints pages of warnings first is cut to them.
    static func tail(_ errors: [UInt8], limit: Int = 4096) -> String {
        var text = Substring(String(decoding: errors, as: UTF8.self))
        text = text.drop(while: \.isWhitespace)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        guard text.utf8.count > limit else { return String(text) }
        var cut = text.utf8.index(text.utf8.endIndex, offsetBy: -limit)
        if let newline = text[cut...].firstIndex(of: "\n") { cut = text.index(after: newline) }
        return "…" + text[cut...]
    }
}
