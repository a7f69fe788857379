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

    func render(_ paths: [String]) throws -> [InputFile] {
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
            return InputFile(name: "\(base)/(helm template)", bytes: result.output)
        }
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
