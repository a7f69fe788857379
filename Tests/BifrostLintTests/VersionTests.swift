import Testing
@testable import BifrostLint

@Suite("Chart versions")
struct VersionTests {
    @Test func semverOrdering() throws {
        let ordered = ["1.9.9", "2.1.9", "2.1.13", "2.1.14-alpha", "2.1.14-alpha.1", "2.1.14-beta", "2.1.14-rc.1", "2.1.14-rc.2", "2.1.14-rc.10", "2.1.14", "v2.1.15", "2.10.0", "10.0.0"]
        let versions = try ordered.map { try #require(SemVer($0)) }
        for (a, b) in zip(versions, versions.dropFirst()) {
            #expect(a < b, "\(a) < \(b)")
            #expect(!(b < a))
        }
        #expect(SemVer("2.1.14+build.7") == SemVer("2.1.14"))
        #expect(SemVer("2.1") == nil)
        #expect(SemVer("latest") == nil)
    }

    static let verdicts: [(String, ChartVersionPolicy.Verdict)] = [
        ("2.1.14", .ok), ("2.1.13", .below), ("v2.0.0", .below), ("2.1.14-rc.1", .below), ("3.0.0", .ok),
        ("~2.1.0", .rangeAdmitsBelow), ("~2.1.14", .ok), ("~2.0.0", .below), ("~2", .rangeAdmitsBelow),
        ("^2.1.14", .ok), ("^2.0.0", .rangeAdmitsBelow), ("^1.5.0", .below), ("^2.2", .ok),
        (">=2.0.0", .rangeAdmitsBelow), (">=2.1.14", .ok), (">= 2.1.14, < 3.0.0", .ok), (">=2.1.14 <3", .ok),
        ("<2.1.14", .below), ("<=2.1.14", .rangeAdmitsBelow), (">2.1.13", .ok), (">2.1", .ok),
        ("2.1.x", .rangeAdmitsBelow), ("2.x", .rangeAdmitsBelow), ("2.2.x", .ok), ("*", .rangeAdmitsBelow),
        ("2.0.0 - 2.1.20", .rangeAdmitsBelow), ("2.1.14 - 2.3", .ok), ("1.x || >=2.1.14", .rangeAdmitsBelow),
        ("2.1.15 || 2.2.0", .ok), ("2.1.0 || 2.1.1", .below), ("not a version", .ok),
    ]

    @Test(arguments: verdicts.indices)
    func constraint(_ i: Int) {
        let (text, expected) = Self.verdicts[i]
        #expect(ChartVersionPolicy.verdict(text) == expected, "\(text)")
    }
}
