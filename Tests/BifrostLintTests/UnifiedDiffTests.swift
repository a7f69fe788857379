import Testing
@testable import BifrostLint

@Suite("Unified diff")
struct UnifiedDiffTests {
    /// Walks an edit script: kept lines must be equal, and it must use up both texts.
    static func isValid(_ ops: [UnifiedDiff.Op], _ a: [String], _ b: [String]) -> Bool {
        var i = 0, j = 0
        for op in ops {
            switch op {
            case .keep:
                guard i < a.count, j < b.count, a[i] == b[j] else { return false }
                i += 1; j += 1
            case .delete:
                guard i < a.count else { return false }
                i += 1
            case .insert:
                guard j < b.count else { return false }
                j += 1
            }
        }
        return i == a.count && j == b.count
    }

    @Test(arguments: 0..<300)
    func scriptsAreValidOnSmallTexts(seed: Int) {
        var rng = SplitMix(state: UInt64(seed))
        // Few distinct lines, so repeats (where patience anchors are scarce) are common.
        let pool = ["a\n", "b\n", "c\n", "  key: 1\n", "- x\n", "}\n"]
        let a = (0..<rng.int(30)).map { _ in rng.pick(pool) }
        var b = a
        for _ in 0..<rng.int(6) {
            switch rng.int(3) {
            case 0 where !b.isEmpty: b.remove(at: rng.int(b.count))
            case 1: b.insert(rng.pick(pool), at: rng.int(b.count + 1))
            default: if !b.isEmpty { b[rng.int(b.count)] = rng.pick(pool) }
            }
        }
        let ops = UnifiedDiff.script(a, b)
        #expect(Self.isValid(ops, a, b), "seed \(seed)")
        // The exact piece diff is a shortest script: its kept lines are a longest common subsequence.
        let exact = UnifiedDiff.exact(a[...], b[...])
        #expect(Self.isValid(exact, a, b))
        #expect(exact.filter { $0 == .keep }.count == Self.lcs(a, b), "seed \(seed)")
        // Patience anchors may keep fewer lines than that, never make an invalid script.
        #expect(ops.filter { $0 == .keep }.count <= Self.lcs(a, b))
    }

    /// Longest common subsequence length, by plain recursion with a memo (an independent check).
    static func lcs(_ a: [String], _ b: [String]) -> Int {
        var memo: [Int: Int] = [:]
        func go(_ i: Int, _ j: Int) -> Int {
            if i == a.count || j == b.count { return 0 }
            let key = i * (b.count + 1) + j
            if let v = memo[key] { return v }
            let v = a[i] == b[j] ? go(i + 1, j + 1) + 1 : max(go(i + 1, j), go(i, j + 1))
            memo[key] = v
            return v
        }
        return go(0, 0)
    }

    /// Thousands of changes in a long file: the script is made without a table of size
    /// lines times changes (which took 24 GB for 8,000 fixes).
    /// A line that differs only in Unicode normalisation (`é`, `e` + U+0301) is a change: the
    /// bytes differ, and a drift check that missed it would pass.
    @Test func aLineInAnotherNormalFormIsAChange() {
        let diff = UnifiedDiff.make("a: 1\ncaf\u{E9}: 2\n", "a: 1\ncafe\u{301}: 2\n", fromName: "x", toName: "y")
        #expect(diff.contains("-caf\u{E9}: 2\n") && diff.contains("+cafe\u{301}: 2\n"), "\(diff)")
        #expect(Array(diff.utf8).contains(0xCC))
        #expect(UnifiedDiff.make("caf\u{E9}\n", "caf\u{E9}\n", fromName: "x", toName: "y").isEmpty)
    }

    @Test func manyChangesInALongFile() {
        let a = (0..<40_000).map { "line \($0 % 9 == 0 ? "same" : String($0))\n" }
        var b = a
        for i in stride(from: 0, to: a.count, by: 5) { b[i] = "changed \(i)\n" }
        b += (0..<16_000).map { _ in "  reset_duration: 1M\n" }
        let ops = UnifiedDiff.script(a, b)
        #expect(Self.isValid(ops, a, b))
        #expect(ops.filter { $0 == .insert }.count < 30_000)
    }
}
