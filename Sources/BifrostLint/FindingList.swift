import YAMLSource

/// A finding as a run keeps it until the report: numbers and string-table ids (code, name,
/// message, file, path, line text are each stored once in `StringTable`), 68 bytes instead of a
/// Finding's 150 and its message's own heap block. Fixes are kept only when the run asks for
/// them (`--fix`, `--diff`, the library's default), in a side list.
struct CompactFinding: Sendable {
    var range: SourceRange
    var code: Int32
    var name: Int32
    var message: Int32
    var file: Int32
    var path: Int32
    var line: Int32
    /// The finding's group (see `Finding.group`), -1 for none; `groupKey`: code and group, what
    /// one finding per group is counted by.
    var group: Int32
    var groupKey: Int32
    /// Index in the list's fixes, -1 for none.
    var fix: Int32
    /// Where it came in the run: ties in report order keep this order, as a stable sort does.
    var seq: Int32
    var severity: Severity
    var fixable: Bool

    init(_ f: Finding, fix: Int32, seq: Int32) {
        self.seq = seq
        let table = StringTable.shared
        range = f.range
        (code, name) = f.ruleIDs ?? (table.id(f.code), table.id(f.name))
        message = table.id(f.message)
        file = f.loc.fileID
        path = f.loc.pathID
        line = f.loc.lineID
        if let g = f.group {
            group = table.id(g)
            groupKey = table.id(f.code + "|" + g)
        } else {
            group = -1
            groupKey = -1
        }
        self.fix = fix
        severity = f.severity
        fixable = f.fixable
    }
}

/// Findings in chunks of 4,096 that never move: a run's list grows to tens of thousands, and a
/// growing array copies itself whole, holding both buffers at the copy (a tenth of the peak).
struct ChunkedFindings: RandomAccessCollection, MutableCollection, Sendable {
    static let shift = 12
    static let mask = (1 << shift) - 1
    private var chunks: [[CompactFinding]] = []
    private var total = 0

    var startIndex: Int { 0 }
    var endIndex: Int { total }

    subscript(i: Int) -> CompactFinding {
        get { chunks[i >> Self.shift][i & Self.mask] }
        set { chunks[i >> Self.shift][i & Self.mask] = newValue }
    }

    /// Where each chunk's findings are; valid while the chunks are neither changed nor freed.
    var chunkBases: [UnsafePointer<CompactFinding>] {
        chunks.map { $0.withUnsafeBufferPointer { $0.baseAddress! } }
    }

    mutating func append(_ f: CompactFinding) {
        if total & Self.mask == 0 {
            var chunk: [CompactFinding] = []
            chunk.reserveCapacity(Self.mask + 1)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(f)
        total += 1
    }
}

/// The findings of a run in report order, made into `Finding`s one at a time as a reporter
/// reads them: a report of 80,000 findings never holds 80,000 Findings.
public struct FindingList: RandomAccessCollection, Sendable {
    enum Storage: Sendable {
        case findings([Finding])
        /// The findings and the indices of those reported, in report order (held by `pinned`).
        case compact(fixes: [Fix], strings: StringTable.Snapshot, pinned: Pinned)
    }
    let storage: Storage
    /// A compact list read through plain pointers (see `StringTable.Bytes`).
    private let view: View?

    public init(_ findings: [Finding]) {
        storage = .findings(findings)
        view = nil
    }

    init(compact: ChunkedFindings, order: [Int32], fixes: [Fix]) {
        let strings = StringTable.shared.snapshot()
        let pinned = Pinned(compact, order: order)
        storage = .compact(fixes: fixes, strings: strings, pinned: pinned)
        view = View(order: pinned.order, count: order.count, chunks: pinned.chunks, strings: strings.bytes)
    }

    struct View: @unchecked Sendable {
        let order: UnsafePointer<Int32>
        let count: Int
        let chunks: UnsafePointer<UnsafePointer<CompactFinding>>
        let strings: StringTable.Bytes

        subscript(i: Int) -> CompactFinding {
            // Read without an array's own check: a bad index stops here, as an array's would.
            precondition(i >= 0 && i < count, "Index out of range")
            let j = Int(order[i])
            return chunks[j >> ChunkedFindings.shift][j & ChunkedFindings.mask]
        }
    }

    /// Keeps a compact list's arrays, unchanged, and the table of its chunks' addresses.
    final class Pinned: @unchecked Sendable {
        private let all: ChunkedFindings
        private let orderArray: [Int32]
        let order: UnsafePointer<Int32>
        private let table: UnsafeMutablePointer<UnsafePointer<CompactFinding>>
        var chunks: UnsafePointer<UnsafePointer<CompactFinding>> { UnsafePointer(table) }

        /// Findings by severity (`Severity.rank`), counted once: each report's summary asks.
        let counts: [Int]

        init(_ all: ChunkedFindings, order: [Int32]) {
            self.all = all
            orderArray = order
            var counts = [0, 0, 0]
            for i in order { counts[all[Int(i)].severity.rank] += 1 }
            self.counts = counts
            // Held here and never changed, so their storage stays where it is.
            self.order = orderArray.withUnsafeBufferPointer { $0.baseAddress } ?? UnsafePointer(bitPattern: MemoryLayout<Int32>.alignment)!
            let bases = all.chunkBases
            table = .allocate(capacity: Swift.max(1, bases.count))
            for (i, base) in bases.enumerated() { table[i] = base }
        }

        deinit { table.deallocate() }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .findings(let all): return all.count
        case .compact: return view.unsafelyUnwrapped.count
        }
    }

    public subscript(i: Int) -> Finding {
        switch storage {
        case .findings(let all): return all[i]
        case .compact(let fixes, let table, _):
            let c = view.unsafelyUnwrapped[i]
            return Finding(code: table[c.code], name: table[c.name], severity: c.severity, message: table[c.message],
                           loc: Loc(range: c.range, fileID: c.file, pathID: c.path, lineID: c.line),
                           fixable: c.fixable, fix: c.fix >= 0 ? fixes[Int(c.fix)] : nil, group: c.group >= 0 ? table[c.group] : nil, strings: table)
        }
    }

    /// The i-th finding as the run keeps it, with the strings its ids name (read through
    /// pointers: valid while this list is); nil for a list of whole findings.
    func compact(at i: Int) -> (finding: CompactFinding, strings: StringTable.Bytes)? {
        guard let view else { return nil }
        return (view[i], view.strings)
    }

    /// A finding's texts as UTF-8, for a report that writes bytes.
    struct Texts {
        let code, name, message, file, path, line: UnsafeBufferPointer<UInt8>
        let range: SourceRange
        let severity: Severity
        let fixable: Bool
    }

    /// The i-th finding's texts: a kept finding's stored bytes, without making the Finding and
    /// its Strings (what a report of 80,000 findings spent most of its time on), or a whole
    /// finding's Strings.
    func withTexts<R>(at i: Int, _ body: (Texts) -> R) -> R {
        if let (c, strings) = compact(at: i) {
            return strings.withBytes(c.code) { code in strings.withBytes(c.name) { name in strings.withBytes(c.message) { message in
                strings.withBytes(c.file) { file in strings.withBytes(c.path) { path in strings.withBytes(c.line) { line in
                    body(Texts(code: code, name: name, message: message, file: file, path: path, line: line, range: c.range, severity: c.severity, fixable: c.fixable))
                } } }
            } } }
        }
        let f = self[i]
        var code = f.code, name = f.name, message = f.message, file = f.file, path = f.path, line = f.lineText
        return code.withUTF8 { code in name.withUTF8 { name in message.withUTF8 { message in
            file.withUTF8 { file in path.withUTF8 { path in line.withUTF8 { line in
                body(Texts(code: code, name: name, message: message, file: file, path: path, line: line, range: f.range, severity: f.severity, fixable: f.fixable))
            } } }
        } } }
    }

    /// Whether the findings are kept compact (`compact(at:)` answers for every index).
    var isCompact: Bool {
        if case .compact = storage { return true }
        return false
    }

    /// The strings of a compact list.
    var strings: StringTable.Snapshot? {
        if case .compact(_, let table, _) = storage { return table }
        return nil
    }

    /// How many findings have this severity (no finding is made to count them).
    public func count(_ severity: Severity) -> Int {
        if case .compact(_, _, let pinned) = storage { return pinned.counts[severity.rank] }
        var n = 0
        for i in indices where self.severity(at: i) == severity { n += 1 }
        return n
    }

    /// The file alone, without making the finding.
    public func file(at i: Int) -> String {
        switch storage {
        case .findings(let all): return all[i].file
        case .compact: return view.unsafelyUnwrapped.strings[view.unsafelyUnwrapped[i].file]
        }
    }

    /// The code alone, without making the finding.
    public func code(at i: Int) -> String {
        switch storage {
        case .findings(let all): return all[i].code
        case .compact: return view.unsafelyUnwrapped.strings[view.unsafelyUnwrapped[i].code]
        }
    }

    /// The severity alone, without making the finding.
    public func severity(at i: Int) -> Severity {
        switch storage {
        case .findings(let all): return all[i].severity
        case .compact: return view.unsafelyUnwrapped[i].severity
        }
    }
}
