import BifrostLint

/// libFuzzer entry: the whole lint pipeline on any input, as values, a manifest and a config.json.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var linter = Linter(limits: ParseLimits(maxDepth: 64, maxExpandedNodes: 100_000))
    linter.batchSize = 4
    for name in ["values.yaml", "release.yaml", "config.json", "Chart.yaml"] {
        let findings = linter.lint([SourceFile(name: name, bytes: bytes)])
        for f in findings {
            precondition(f.range.start.line >= 1 && f.range.start.column >= 1, "finding outside the file")
        }
        _ = linter.lint(streams: [DocumentReader(name: name, bytes: bytes)])
    }
    return 0
}
