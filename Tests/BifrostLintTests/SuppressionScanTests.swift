import Testing
@testable import BifrostLint

@Suite("Directive search")
struct SuppressionScanTests {
    static func has(_ haystack: String, _ needle: String) -> Bool {
        Suppressions.contains(Array(haystack.utf8), Array(needle.utf8))
    }

    @Test func findsTheMarkerWhereverItStands() {
        #expect(Self.has("kubectl-bifrost: disable=BF101", "kubectl-bifrost:"))
        #expect(Self.has("a: 1 # kubectl-bifrost:", "kubectl-bifrost:"))
        // Candidates that share the first bytes come before the real one.
        #expect(Self.has("kkubectl-bifrostkubectl-bifrost:", "kubectl-bifrost:"))
        #expect(Self.has("k", "k"))
    }

    @Test func doesNotFindWhatIsNotThere() {
        #expect(!Self.has("kubectl-bifrost", "kubectl-bifrost:"))
        #expect(!Self.has("kubectl-bifrost;kubectl-bifros:", "kubectl-bifrost:"))
        #expect(!Self.has("", "kubectl-bifrost:"))
        #expect(!Self.has("anything", ""))
        #expect(!Self.has("ubectl-bifrost:", "kubectl-bifrost:"))
    }
}
