#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// A place to report: file, range, YAML path and the text of its first line (for the excerpt).
/// Kept instead of nodes by everything that outlives its document, so a stream of thousands of
/// documents is never held in memory.
public struct Loc: Sendable {
    public let range: SourceRange
    // A run keeps thousands of these: the strings are ids into the shared table (36 bytes a Loc
    // instead of 72), and a file name, path or line that repeats is stored once.
    let fileID: Int32
    let pathID: Int32
    let lineID: Int32

    public var file: String { StringTable.shared[fileID] }
    public var path: String { StringTable.shared[pathID] }
    public var lineText: String { StringTable.shared[lineID] }

    public init(file: String, range: SourceRange, path: String, lineText: String) {
        var path = path, lineText = lineText
        (fileID, pathID, lineID) = path.withUTF8 { p in lineText.withUTF8 { StringTable.shared.ids(file, p, $0) } }
        self.range = range
    }

    /// The node's place in the file the user edits (embedded texts mapped out). Paths and line
    /// texts repeat across the objects of a stream, so they are shared, not copied.
    public init(_ node: Node) {
        self = Loc.named(node).loc
    }

    /// The Loc of a node and its file's name (the outer file's own String, which every
    /// finding of the file can share without looking it up).
    static func named(_ node: Node) -> (loc: Loc, file: String) {
        let (outer, range) = node.source.outerRange(node.range)
        let ids = { (path: UnsafeBufferPointer<UInt8>) in
            outer.lineBytes(range.start.line).withUnsafeBufferPointer { StringTable.shared.ids(outer.name, path, $0) }
        }
        let (f, p, l) = PathRecording.isOff ? ids(UnsafeBufferPointer(start: nil, count: 0)) : node.withPathText(ids)
        return (Loc(range: range, fileID: f, pathID: p, lineID: l), outer.name)
    }

    /// A Loc from its parts as `CompactFinding` keeps them.
    init(range: SourceRange, fileID: Int32, pathID: Int32, lineID: Int32) {
        self.range = range
        (self.fileID, self.pathID, self.lineID) = (fileID, pathID, lineID)
    }

    public init(source: SourceFile, position: Position, end: Position? = nil) {
        let (outer, start) = source.outerPosition(position)
        let stop = end.map { source.outerPosition($0).1 } ?? start
        (fileID, pathID, lineID) = outer.lineBytes(start.line).withUnsafeBufferPointer { StringTable.shared.ids(outer.name, UnsafeBufferPointer(start: nil, count: 0), $0) }
        range = SourceRange(start: start, end: stop)
    }
}

/// A yes/no of the running thread, set for what runs inside `run`: a per-run choice that code
/// deep in the rules reads without every call passing it on.
struct ThreadFlag: @unchecked Sendable {
    private let key: pthread_key_t

    init() {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        self.key = key
    }

    var isSet: Bool { pthread_getspecific(key) != nil }

    func run<T>(setting: Bool, _ body: () -> T) -> T {
        guard setting else { return body() }
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(key, previous) }
        return body()
    }
}

/// Whether the Locs made on this thread leave their YAML path out: a report that prints no
/// path (text, JUnit, GitHub) does not make one for each of tens of thousands of findings.
enum PathRecording {
    private static let off = ThreadFlag()

    static var isOff: Bool { off.isSet }

    static func run<T>(withPaths: Bool, _ body: () -> T) -> T {
        off.run(setting: !withPaths, body)
    }
}

/// One shared chain per distinct YAML path, for the port lists a run keeps.
final class Interner: @unchecked Sendable {
    static let shared = Interner()
    /// By the string-table id of the path's text (what `YAMLPath.description` writes).
    private var paths: [Int32: YAMLPath] = [:]
    private let lock = Lock()

    /// The shared path of a node: its text is looked up first, so the chain is built only for
    /// a path not seen before (every release's port lists have the same few).
    func intern(pathOf node: Node) -> YAMLPath {
        let id = node.withPathText { StringTable.shared.id($0) }
        if let known = lock.withLock({ paths[id] }) { return known }
        let made = node.path
        return lock.withLock {
            if let known = paths[id] { return known }
            paths[id] = made
            return made
        }
    }
}

/// Every distinct string the facts of a run keep (Loc's file, path and line; labels; port-list
/// keys), stored once. Ids are handed out once and never reused, so a Loc stays valid.
///
/// The strings are bytes in arenas behind open-addressing tables: a run keeps thousands of
/// distinct lines (every object's name line), and a String object, array entry and dictionary
/// entry for each cost about 100 bytes more than the line itself; hashing bytes eight at a time
/// is also cheaper than hashing Strings. The table is split by hash into shards with a lock
/// each: every worker makes Locs, and with one lock they spent a twentieth of a dense run
/// waiting on each other.
final class StringTable: @unchecked Sendable {
    static let shared = StringTable()
    static let chunkSize = 1 << 20
    /// An id is a shard's own index shifted left past the shard number; id 0 (shard 0's first)
    /// is the empty string.
    static let shardBits: Int32 = 4
    static let shardMask: Int32 = (1 << shardBits) - 1

    private let shards: [Shard] = (0...Int(shardMask)).map { _ in Shard() }
    /// The shared copies `intern` hands out.
    private var copies: [ExactString: String] = [:]
    private let copiesLock = Lock()

    final class Shard: @unchecked Sendable {
        /// The arena, in chunks of 1 MiB (a longer string has one of its own) that never move:
        /// one growing array would, doubling, briefly hold three times what it stores (a run of
        /// 80,000 findings keeps 12 MB of messages here).
        var chunks: [[UInt8]] = []
        /// Where each local index's bytes are in the arena, and 32 bits of their hash (which turn
        /// most probes away without reading the bytes, and let the slots grow without hashing
        /// every string again); index 0 stands for nothing.
        var spans: [Span] = [Span(chunk: 0, start: 0, count: 0, hash: 0)]
        /// Local indices by hash, -1 for a free slot; a power of two long, at most half full.
        var slots = [Int32](repeating: -1, count: 256)
        let lock = Lock()

        func withBytes<R>(_ span: Span, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            span.withBytes(in: chunks, body)
        }

        /// The local index of the bytes, stored if new; the caller holds the lock.
        func index(_ bytes: UnsafeBufferPointer<UInt8>, hash: Int) -> Int32 {
            // The low bits chose the shard: the slot and the kept bits come from those above.
            let tag = UInt32(truncatingIfNeeded: hash >> Int(StringTable.shardBits))
            let mask = slots.count - 1
            var slot = Int(tag) & mask
            while true {
                let existing = slots[slot]
                if existing < 0 { break }
                let span = spans[Int(existing)]
                if span.hash == tag, Int(span.count) == bytes.count,
                   withBytes(span, { $0.sameBytes(as: bytes) }) {
                    return existing
                }
                slot = (slot + 1) & mask
            }
            let new = Int32(spans.count)
            if chunks.isEmpty || chunks[chunks.count - 1].count + bytes.count > chunks[chunks.count - 1].capacity {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(max(StringTable.chunkSize, bytes.count))
                chunks.append(chunk)
            }
            let last = chunks.count - 1
            spans.append(Span(chunk: Int32(last), start: Int32(chunks[last].count), count: Int32(bytes.count), hash: tag))
            chunks[last].append(contentsOf: bytes)
            slots[slot] = new
            if spans.count * 2 > slots.count { grow() }
            return new
        }

        private func grow() {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for i in 1..<spans.count {
                var slot = Int(spans[i].hash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i)
            }
        }
    }

    struct Span: Sendable {
        var chunk: Int32
        var start: Int32
        var count: Int32
        var hash: UInt32

        /// Its bytes in an arena (a shard's, or a snapshot of it).
        func withBytes<R>(in chunks: [[UInt8]], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            guard count > 0 else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            return chunks[Int(chunk)].withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(start + count)])) }
        }
    }

    subscript(id: Int32) -> String {
        let shard = shards[Int(id & Self.shardMask)]
        return shard.lock.withLock {
            shard.withBytes(shard.spans[Int(id >> Self.shardBits)]) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The strings stored so far, read without the locks: a report made on every core reads
    /// five strings a finding, and the threads would queue on them. Ids handed out later are not
    /// in it.
    func snapshot() -> Snapshot {
        Snapshot(SnapshotOwner(shards: shards.map { shard in shard.lock.withLock { (shard.chunks, shard.spans) } }))
    }

    struct Snapshot: Sendable {
        private let owner: SnapshotOwner
        let bytes: Bytes

        fileprivate init(_ owner: SnapshotOwner) {
            self.owner = owner
            bytes = owner.bytes
        }

        subscript(id: Int32) -> String { bytes[id] }

        /// The stored bytes, for a report that writes them without making a String.
        func withBytes<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            bytes.withBytes(id, body)
        }
    }

    /// A snapshot's strings read through plain pointers, valid while the snapshot lives: a
    /// report on every core reads six a finding, and each array retained and released on the
    /// way moved its reference count from core to core (a tenth of a dense run's time).
    struct Bytes: @unchecked Sendable {
        /// Per shard, its spans; and the index of its first chunk in `chunks`.
        fileprivate let spans: UnsafePointer<UnsafePointer<Span>>
        /// Per shard, how many spans the snapshot holds: an id made later stops here.
        fileprivate let counts: UnsafePointer<Int>
        fileprivate let firstChunk: UnsafePointer<Int>
        fileprivate let chunks: UnsafePointer<UnsafePointer<UInt8>>

        subscript(id: Int32) -> String {
            withBytes(id) { String(decoding: $0, as: UTF8.self) }
        }

        func withBytes<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            let shard = Int(id & StringTable.shardMask), index = Int(id >> StringTable.shardBits)
            precondition(index >= 0 && index < counts[shard], "string id not in this snapshot")
            let span = spans[shard][index]
            guard span.count > 0 else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            return body(UnsafeBufferPointer(start: chunks[firstChunk[shard] + Int(span.chunk)] + Int(span.start), count: Int(span.count)))
        }
    }

    /// Keeps a snapshot's arrays, unchanged, and the pointer tables into them.
    fileprivate final class SnapshotOwner: @unchecked Sendable {
        let shards: [(chunks: [[UInt8]], spans: [Span])]
        let bytes: Bytes
        private let spans: UnsafeMutablePointer<UnsafePointer<Span>>
        private let counts: UnsafeMutablePointer<Int>
        private let firstChunk: UnsafeMutablePointer<Int>
        private let chunks: UnsafeMutablePointer<UnsafePointer<UInt8>>

        init(shards: [(chunks: [[UInt8]], spans: [Span])]) {
            self.shards = shards
            spans = .allocate(capacity: shards.count)
            counts = .allocate(capacity: shards.count)
            firstChunk = .allocate(capacity: shards.count)
            chunks = .allocate(capacity: max(1, shards.reduce(0) { $0 + $1.chunks.count }))
            var next = 0
            // The arrays are held here and never changed, so their storage stays where it is.
            for (i, shard) in self.shards.enumerated() {
                spans[i] = shard.spans.withUnsafeBufferPointer { $0.baseAddress! }
                counts[i] = shard.spans.count
                firstChunk[i] = next
                for chunk in shard.chunks {
                    chunks[next] = chunk.withUnsafeBufferPointer { $0.baseAddress! }
                    next += 1
                }
            }
            bytes = Bytes(spans: spans, counts: counts, firstChunk: firstChunk, chunks: chunks)
        }

        deinit {
            spans.deallocate()
            counts.deallocate()
            firstChunk.deallocate()
            chunks.deallocate()
        }
    }

    func ids(_ file: String, _ path: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>) -> (Int32, Int32, Int32) {
        (fileID(file), id(path), id(line))
    }

    /// Tells tables apart in the threads' caches (an address can be reused).
    private let serial: Int = StringTable.serialLock.withLock {
        StringTable.lastSerial += 1
        return StringTable.lastSerial
    }
    private static let serialLock = Lock()
    nonisolated(unsafe) private static var lastSerial = 0

    /// The last file each thread asked for: Locs come a document at a time, so it is nearly
    /// always the same, and every Loc asking its shard's lock queued the workers there.
    private final class FileCache {
        var serial = 0
        var name = ""
        var id: Int32 = 0
    }

    private static let fileCacheKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<FileCache>.fromOpaque(pointer).release() }
        }
        return key
    }()

    private static func threadFileCache() -> FileCache {
        if let pointer = pthread_getspecific(fileCacheKey) {
            return Unmanaged<FileCache>.fromOpaque(pointer).takeUnretainedValue()
        }
        let cache = FileCache()
        pthread_setspecific(fileCacheKey, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    func fileID(_ file: String) -> Int32 {
        let cache = Self.threadFileCache()
        if cache.serial == serial, cache.name.sameBytes(as: file) { return cache.id }
        let found = id(file)
        (cache.serial, cache.name, cache.id) = (serial, file, found)
        return found
    }

    /// The shared String of a file's id, for findings made from a Loc: every finding of a file
    /// names it, and a String made, hashed and looked up under the one `intern` lock for each
    /// queued the threads there. The thread's last file (see `fileID`) answers without either.
    func fileName(_ id: Int32) -> String {
        let cache = Self.threadFileCache()
        if cache.serial == serial, cache.id == id { return cache.name }
        let name = intern(self[id])
        (cache.serial, cache.name, cache.id) = (serial, name, id)
        return name
    }

    /// The id of a string, for facts that keep many copies of a few strings.
    func id(_ s: String) -> Int32 {
        s.withUTF8Bytes { id($0) }
    }

    /// The id of some bytes: hashed before any lock is taken, then looked up in their shard.
    func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard !bytes.isEmpty else { return 0 }
        let h = Self.hash(bytes)
        let s = Int32(truncatingIfNeeded: h) & Self.shardMask
        let shard = shards[Int(s)]
        let index = shard.lock.withLock { shard.index(bytes, hash: h) }
        return index << Self.shardBits | s
    }

    /// The stored copy of a string, so the thousands of objects that carry it share one.
    func intern(_ s: String) -> String {
        // Small strings live inline; only heap-backed ones are worth sharing.
        guard s.utf8.count > 15 else { return s }
        return copiesLock.withLock {
            if let copy = copies[ExactString(s)] { return copy }
            copies[ExactString(s)] = s
            return s
        }
    }

    /// FNV-style mixing of eight bytes at a time: lines differ early and often, so a strong
    /// hash buys nothing here.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < raw.count {
            h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
