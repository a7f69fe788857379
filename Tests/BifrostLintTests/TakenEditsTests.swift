import Testing
@testable import BifrostLint
import YAMLSource

/// The sorted index of a pass's edits answers exactly what checking every taken edit would.
@Suite("Taken edits")
struct TakenEditsTests {
    @Test(arguments: 0..<200)
    func overlapsAsTheNaiveCheckDoes(seed: Int) {
        var rng = SplitMix(state: UInt64(seed) &+ 77)
        var taken = TakenEdits()
        var naive: [TextEdit] = []
        for _ in 0..<60 {
            let start = rng.int(100)
            let length = rng.int(3) == 0 ? 0 : rng.int(6)
            let e = TextEdit(range: start..<(start + length), replacement: "x", isAppend: length == 0 && rng.bool())
            let expected = naive.contains { Fixer.overlap($0, e) }
            #expect(taken.overlaps(e) == expected, "seed \(seed): \(e.range) append=\(e.isAppend)")
            if !expected {
                taken.add([e])
                naive.append(e)
            }
        }
        // Applying keeps appends at one point in the order they were taken.
        let bytes = Array(repeating: UInt8(0x2E), count: 120)
        #expect(TextEdit.apply(taken.edits, to: bytes) == TextEdit.apply(naive, to: bytes))
    }
}

@Suite("Replacing a scalar's text")
struct ReplacingFirstTests {
    @Test(arguments: [
        ("allowed_keys", "\"allowed_keys\"", "key_ids", "\"key_ids\""),
        ("allowed_keys", "allowed_keys", "key_ids", "key_ids"),
        ("it's", "'it''s'", "x", nil),
        ("é", "\"é\"", "e", "\"e\""),
        ("", "\"\"", "k", "k\"\""),
        ("a", "'b'", "c", nil),
    ] as [(String, String, String, String?)])
    func asStringSearchDid(_ old: String, _ written: String, _ new: String, _ expected: String?) {
        #expect(EditBuilder.replacingFirst(old, in: written, with: new) == expected)
        // The character-wise search it replaced gives the same.
        let r = written.firstRange(of: old)
        #expect(r.map { var s = written; s.replaceSubrange($0, with: new); return s } == expected)
    }
}
