import BifrostLint

/// libFuzzer entry: `--fix` on any input either writes something that parses, with no new
/// duplicate key, that a second pass leaves alone, or refuses.
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
        let before = YAMLParser.parse(SourceFile(name: name, bytes: bytes), limits: limits)
        precondition(after.error == nil || before.error != nil, "--fix wrote text that does not parse")
        guard before.error == nil else { continue }
        // A fix never makes a key twice, and what it wrote a second pass leaves alone (an alias
        // turned into the wrong shape would be reported, and fixed, again).
        let duplicates = { (b: [UInt8]) in linter.lint([SourceFile(name: name, bytes: b)]).filter { $0.code == "BF002" }.count }
        precondition(duplicates(result.fixed) <= duplicates(bytes), "--fix wrote a duplicate key")
        let again = Fixer(linter: linter, unsafe: true).fix([SourceFile(name: name, bytes: result.fixed)])[0]
        precondition(!again.changed, "a second --fix changed what the first wrote")
    }
    return 0
}
