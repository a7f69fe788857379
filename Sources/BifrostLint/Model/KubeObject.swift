#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// A Kubernetes object found in a document (or in the `items` of a `List`).
public struct KubeObject: Sendable {
    public let kind: String
    public let apiVersion: String
    public let name: String?
    public let namespace: String?
    public let node: Node

    init?(_ node: Node) {
        guard node.isMapping, let kind = node["kind"]?.string, let apiVersion = node["apiVersion"]?.string else { return nil }
        self.kind = kind
        self.apiVersion = apiVersion
        self.node = node
        let metadata = node["metadata"]
        name = metadata?["name"]?.string
        namespace = metadata?["namespace"]?.string
    }

    /// A label's value as Kubernetes reads the map (the last of a repeated key wins). Read from
    /// the node when asked: most objects of a stream are never asked.
    public func label(_ key: String) -> String? {
        var found: String?
        for p in node["metadata"]?["labels"]?.pairs ?? [] where p.key.isKey(key) {
            if let v = p.value.value { found = v.description }
        }
        return found
    }

    public var spec: Node? { node["spec"] }

    /// Namespaces compare equal when they match or when either is unset (a `helm template`
    /// without `--namespace` leaves them out, and the release namespace fills them in).
    public func sharesNamespace(with other: String?) -> Bool {
        namespace == nil || other == nil || namespace == other
    }

    /// The node to point at when the whole object is meant: its name, else its kind.
    public var anchorNode: Node {
        node["metadata"]?["name"] ?? node.pair("kind")?.key ?? node
    }

    var displayName: String { "\(kind) \(name.map { "'\($0)'" } ?? "(unnamed)")" }
}

/// The facts the cluster rules need about a Bifrost config: its ports and whether it clusters.
public struct ClusterConfig: Sendable {
    public let isValues: Bool
    /// A config.json carried by a ConfigMap or Secret, and that object's namespace: all a
    /// workload's lookup needs of the object (kept for every release of a run).
    public let isEmbedded: Bool
    public let namespace: String?
    public let clusterEnabled: Bool
    public let grpcPort: Int
    public let grpcPortLoc: Loc?
    public let gossipPort: Int
    public let httpPort: Int
    /// The file it was read from, which decides the rendering it belongs to; an embedded
    /// config's ConfigMap or Secret, whose identity tells two renderings apart.
    public let file: String
    let object: (kind: String, name: String?)?

    init(_ config: BifrostConfig) {
        isValues = config.isValues
        if case .embedded(let object) = config.origin {
            (isEmbedded, namespace) = (true, object.namespace)
            self.object = (object.kind, object.name)
        } else {
            (isEmbedded, namespace) = (false, nil)
            self.object = nil
        }
        file = StringTable.shared.intern(config.root.source.name)
        clusterEnabled = config.clusterEnabled
        grpcPort = config.grpcPort
        grpcPortLoc = config.grpcPortNode.map(Loc.init)
        gossipPort = config.gossipPort
        httpPort = config.httpPort
    }
}

/// Labels or `matchLabels`, kept for the whole run: a few pairs sorted by key, with the strings
/// shared between the thousands of objects that carry the same ones.
public struct Labels: Sendable, Equatable {
    public let pairs: [(key: String, value: String)]

    public static let empty = Labels(sorted: [])

    private init(sorted pairs: [(key: String, value: String)]) {
        self.pairs = pairs
    }

    /// A mapping of scalars (`labels:`, `matchLabels:`, a Service `selector:`); the last value
    /// wins for a repeated key, as Kubernetes reads a map.
    init(_ node: Node?) {
        guard let node, node.isMapping else {
            self = .empty
            return
        }
        // The same few label maps come back in every release: looked up by their written bytes
        // first, and made (Strings, interning, sorting) only the first time.
        self.init(sorted: LabelSets.shared.pairs(readFrom: node) {
            var out: [(key: String, value: String)] = []
            for p in node.pairs {
                guard let v = p.value.value else { continue }
                let key = p.key.keyString
                out.removeAll { $0.key == key }
                out.append((StringTable.shared.intern(key), StringTable.shared.intern(v.description)))
            }
            out.sort { $0.key < $1.key }
            return out
        })
    }

    public subscript(key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public static func == (a: Labels, b: Labels) -> Bool {
        samePairs(a.pairs, b.pairs)
    }

    static func samePairs(_ a: [(key: String, value: String)], _ b: [(key: String, value: String)]) -> Bool {
        a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
    }
}

/// One stored copy of each distinct label set: a release's pod labels come back as its Service's
/// selector and its NetworkPolicy's pod selectors, so four objects share one array.
final class LabelSets: @unchecked Sendable {
    static let shared = LabelSets()

    private struct Key: Hashable {
        let pairs: [(key: String, value: String)]
        /// Worked out once, before the lock is taken; the set hashes only this.
        let hash: Int

        init(_ pairs: [(key: String, value: String)]) {
            self.pairs = pairs
            // The string table's byte hash of each key and value, combined in order.
            var h = pairs.count
            for (k, v) in pairs {
                h = (h &* 31) &+ k.withUTF8Bytes(StringTable.hash)
                h = (h &* 31) &+ v.withUTF8Bytes(StringTable.hash)
            }
            hash = h
        }

        static func == (a: Key, b: Key) -> Bool {
            a.hash == b.hash && Labels.samePairs(a.pairs, b.pairs)
        }

        func hash(into h: inout Hasher) {
            h.combine(hash)
        }
    }

    private var sets = Set<Key>()
    private let lock = Lock()

    func intern(_ pairs: [(key: String, value: String)]) -> [(key: String, value: String)] {
        guard !pairs.isEmpty else { return [] }
        let key = Key(pairs)
        return lock.withLock { sets.insert(key).memberAfterInsert.pairs }
    }

    /// The last label maps each thread read, by their written bytes: a release's pod labels come
    /// back as its Service's selector and its policies' pod selectors, read one after another on
    /// the thread that reads the release. A few entries a thread, so nothing grows with the run.
    private final class Recent {
        static let size = 8
        var scratch: [UInt8] = []
        var written: [[UInt8]] = []
        /// The byte hash of each entry's bytes, asked before its bytes are compared (the maps of
        /// one stream look alike, and an array compare goes a byte at a time).
        var hashes: [Int] = []
        var sets: [[(key: String, value: String)]] = []
        var next = 0

        func index(of bytes: [UInt8], hash: Int) -> Int? {
            bytes.withUnsafeBufferPointer { b in
                hashes.indices.first { i in
                    hashes[i] == hash && written[i].withUnsafeBufferPointer { $0.sameBytes(as: b) }
                }
            }
        }
    }

    private static let recentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Recent>.fromOpaque(pointer).release() }
        }
        return key
    }()

    private static var recent: Recent {
        if let pointer = pthread_getspecific(recentKey) { return Unmanaged<Recent>.fromOpaque(pointer).takeUnretainedValue() }
        let made = Recent()
        pthread_setspecific(recentKey, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    /// The interned set of the map `node`: the one this thread read lately from a map written
    /// with the same keys and values (found without a String made), else `make()`'s, interned
    /// and remembered on this thread under the map's written bytes.
    func pairs(readFrom node: Node, make: () -> [(key: String, value: String)]) -> [(key: String, value: String)] {
        let cache = Self.recent
        guard Self.written(node, into: &cache.scratch) else { return intern(make()) }
        let hash = cache.scratch.withUnsafeBufferPointer(StringTable.hash)
        if let i = cache.index(of: cache.scratch, hash: hash) { return cache.sets[i] }
        let interned = intern(make())
        if cache.written.count < Recent.size {
            cache.written.append(cache.scratch)
            cache.hashes.append(hash)
            cache.sets.append(interned)
        } else {
            cache.written[cache.next] = cache.scratch
            cache.hashes[cache.next] = hash
            cache.sets[cache.next] = interned
            cache.next = (cache.next + 1) % Recent.size
        }
        return interned
    }

    /// A map's keys and values as written, each after its length (so no two maps share the
    /// bytes); false for a map with a key or value that is not a string scalar, or with merge
    /// keys, which take the slow way every time.
    private static func written(_ node: Node, into bytes: inout [UInt8]) -> Bool {
        bytes.removeAll(keepingCapacity: true)
        guard !node.hasMergeKeys else { return false }
        func add(_ text: UnsafeBufferPointer<UInt8>) {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: text.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: text)
        }
        for i in 0..<node.pairCount {
            guard let pair = node.pair(at: i), pair.key.isString, pair.value.isString else { return false }
            pair.key.withText(add)
            pair.value.withText(add)
        }
        return true
    }
}

/// `matchLabels` and `matchExpressions`, or a plain map for Service selectors.
public struct LabelSelector: Sendable {
    public struct Requirement: Sendable {
        public let key: String
        public let op: String
        public let values: [String]
    }

    public let matchLabels: Labels
    public let expressions: [Requirement]

    public static let everything = LabelSelector(matchLabels: .empty, expressions: [])

    init(matchLabels: Labels, expressions: [Requirement]) {
        self.matchLabels = matchLabels
        self.expressions = expressions
    }

    /// Reads a `metav1.LabelSelector`.
    init(selector node: Node) {
        matchLabels = Labels(node["matchLabels"])
        expressions = node["matchExpressions"]?.items.compactMap { e in
            guard let key = e["key"]?.string, let op = e["operator"]?.string else { return nil }
            return Requirement(key: key, op: op, values: e["values"]?.items.compactMap { $0.value?.description } ?? [])
        } ?? []
    }

    /// Reads a Service's plain `selector` map.
    init(map node: Node) {
        matchLabels = Labels(node)
        expressions = []
    }

    public var isEmpty: Bool { matchLabels.isEmpty && expressions.isEmpty }

    public func matches(_ labels: Labels) -> Bool {
        for (k, v) in matchLabels.pairs where labels[k] != v { return false }
        for r in expressions {
            switch r.op {
            case "In": guard let v = labels[r.key], r.values.contains(v) else { return false }
            case "NotIn": if let v = labels[r.key], r.values.contains(v) { return false }
            case "Exists": if labels[r.key] == nil { return false }
            case "DoesNotExist": if labels[r.key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}

/// A port written as a number or as a name (`targetPort: grpc`).
public enum PortRef: Sendable, Hashable {
    case number(Int)
    case name(String)

    init?(_ node: Node?) {
        guard let node else { return nil }
        if let i = node.int { self = .number(Int(i)) } else if let s = node.string, !s.isEmpty {
            if let i = Int(s) { self = .number(i) } else { self = .name(s) }
        } else { return nil }
    }
}

/// Protocol as Kubernetes defaults it: TCP when left out.
func protocolOf(_ node: Node?) -> String {
    guard let written = node?["protocol"]?.string else { return "TCP" }
    // Nearly always upper-case already; uppercased() makes a new String every time.
    return written.utf8.contains { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 } ? written.uppercased() : written
}
