import Testing
import Dispatch
@testable import BifrostLint

@Suite("String table")
struct StringTableTests {
    private func ids(_ table: StringTable, _ path: String, _ line: String, file: String = "f.yaml") -> (Int32, Int32, Int32) {
        var path = path, line = line
        return path.withUTF8 { p in line.withUTF8 { table.ids(file, p, $0) } }
    }

    @Test func equalBytesShareAnIdAndReadBackAsTheyWent() {
        let table = StringTable()
        // Enough distinct strings to grow the slot table several times, with lengths around the
        // eight-byte steps of the hash.
        let texts = (0..<5000).map { i in String(repeating: "k", count: i % 19) + "line \(i) é" }
        let first = texts.map { ids(table, $0, "    name: " + $0).1 }
        #expect(Set(first).count == texts.count)
        for (text, id) in zip(texts, first) {
            #expect(ids(table, text, "x").1 == id)
            #expect(table[id] == text)
        }
        let (file, empty, line) = ids(table, "", "    name: " + texts[7], file: "other.yaml")
        #expect(table[file] == "other.yaml")
        #expect(empty == 0 && table[0] == "")
        #expect(table[line] == "    name: " + texts[7])
    }

    /// A thread remembers the last file it asked for: a second table (another run in the same
    /// process) must not be handed the first table's id for it.
    @Test func theFileAThreadRemembersBelongsToItsTable() {
        let first = StringTable()
        let (a, _, _) = ids(first, "p", "l", file: "same.yaml")
        let second = StringTable()
        // Other strings first, so the same name gets another id in the second table.
        for i in 0..<100 { _ = second.id("filler \(i)") }
        let (b, _, _) = ids(second, "p", "l", file: "same.yaml")
        #expect(first[a] == "same.yaml" && second[b] == "same.yaml")
        #expect(ids(first, "q", "m", file: "same.yaml").0 == a)
        // A file's name by its id, from either table, whichever the thread asked last.
        let other = second.id("a/longer/file/name.yaml")
        #expect(second.fileName(b) == "same.yaml" && first.fileName(a) == "same.yaml")
        #expect(second.fileName(other) == "a/longer/file/name.yaml" && second.fileName(b) == "same.yaml")
    }

    /// Many threads storing at once get one id per distinct string, readable from a snapshot.
    @Test func concurrentWritersAgreeOnIds() {
        let table = StringTable()
        let texts = (0..<4000).map { "    - {name: port-\($0 % 1000), containerPort: \($0 % 1000)}" }
        let slots = ResultSlots<[Int32]>(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            slots.set(t, texts.map { table.id($0) })
        }
        let all = slots.values
        #expect(all.allSatisfy { $0 == all[0] })
        #expect(Set(all[0]).count == 1000)
        let snapshot = table.snapshot()
        #expect(zip(texts, all[0]).allSatisfy { snapshot[$1] == $0 && table[$1] == $0 })
    }

    /// A snapshot reads its strings through pointers into the table's arenas: strings in every
    /// shard's later chunks, one longer than a chunk, strings stored after it, and the table
    /// itself let go of first.
    @Test func aSnapshotReadsEveryChunkAndOutlivesItsTable() {
        var table: StringTable? = StringTable()
        let texts = (0..<20_000).map { "\($0) " + String(repeating: "abcdefgh", count: 125) } + [String(repeating: "z", count: 3 << 20)]
        let stored = texts.map { table!.id($0) }
        let snapshot = table!.snapshot()
        let later = (0..<2000).map { table!.id("after \($0) " + String(repeating: "y", count: 600)) }
        #expect(later.allSatisfy { !stored.contains($0) })
        table = nil
        #expect(zip(texts, stored).allSatisfy { text, id in
            snapshot[id] == text && snapshot.bytes.withBytes(id) { Array($0) } == Array(text.utf8)
        })
        #expect(snapshot.withBytes(0) { $0.count } == 0)
    }

    @Test func bytesThatAreNotUTF8ReadBackRepairedAsAStringWouldBe() {
        let table = StringTable()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        let id = bytes.withUnsafeBufferPointer { table.ids("f", $0, $0).1 }
        #expect(table[id] == String(decoding: bytes, as: UTF8.self))
    }
}

@Suite("Compact findings")
struct CompactFindingSizeTests {
    /// The record a run keeps per finding until the report (README: 68 bytes).
    @Test func recordSize() {
        #expect(MemoryLayout<CompactFinding>.stride == 68)
    }
}
