import BifrostLint

/// libFuzzer entry: `--fix` on any input either writes something that parses (and that a second
/// pass leaves alone) or refuses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFix(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = ParseLimits(maxDepth: 64, maxExpandedNodes: 100_000)
    var linter = Linter(limits: limits)
    linter.batchSize = 4
    for name in ["values.yaml", "release.yaml", "config.json"] {
        let result = Fixer(linter: linter, unsafe: true).fix([SourceFile(name: name, bytes: bytes)])[0]
        guard result.changed else { continue }
        let after = YAMLParser.parse(SourceFile(name: name, bytes: result.fixed), limits: limits)
        precondition(after.error == nil || YAMLParser.parse(SourceFile(name: name, bytes: bytes), limits: limits).error != nil,
                     "--fix wrote text that does not parse")
    }
    return 0
}
