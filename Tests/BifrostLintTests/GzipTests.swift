import Testing
@testable import BifrostLint

@Suite("gzip through zlib (Helm release records)")
struct GzipTests {
    @Test func roundTripAndConcatenatedMembers() throws {
        let text = Array("{\"name\":\"gw\",\"version\":7}".utf8)
        let gz = Gzip.compress(text)
        #expect(Gzip.isGzip(gz))
        #expect(!Gzip.isGzip(text))
        #expect(try Gzip.decompress(gz, limit: 1 << 20).get() == text)
        // `gzip -c a b` writes two members; gunzip reads both.
        #expect(try Gzip.decompress(gz + gz, limit: 1 << 20).get() == text + text)
        #expect(try Gzip.decompress(Gzip.compress([]), limit: 10).get() == [])
    }

    @Test func theLimitStopsAZipBomb() {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(bomb.count < 20_000)
        #expect(Gzip.decompress(bomb, limit: 1 << 20) == .failure(.tooLarge(limit: 1 << 20)))
        #expect((try? Gzip.decompress(bomb, limit: 8 << 20).get().count) == 8 << 20)
    }

    @Test func corruptDataIsAFailureNotACrash() {
        let gz = Gzip.compress(Array(repeating: UInt8(ascii: "a"), count: 10_000) + Array(0..<255))
        for broken in [Array(gz.prefix(gz.count / 2)), Array(gz.prefix(2)), [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], gz.enumerated().map { $0.offset == 20 ? $0.element ^ 0xFF : $0.element }] {
            guard case .failure(.corrupt) = Gzip.decompress(broken, limit: 1 << 20) else {
                Issue.record("accepted \(broken.prefix(12))")
                continue
            }
        }
    }
}
