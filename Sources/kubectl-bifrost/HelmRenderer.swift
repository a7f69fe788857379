import BifrostLint
import Foundation

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
            let process = Process()
            process.executableURL = URL(fileURLWithPath: helm)
            process.arguments = ["template", chart] + values.flatMap { ["--values", $0] }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errors = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw InputError(description: "helm template \(chart) failed: \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            let base = chart.hasSuffix("/") ? String(chart.dropLast()) : chart
            return InputFile(name: "\(base)/(helm template)", bytes: Array(data))
        }
    }
}
