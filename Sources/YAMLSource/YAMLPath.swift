/// Where a node sits in its document: `spec.template.spec.containers[0].ports[2]`.
/// Stored as a shared chain (each node adds one link to its parent's path), so giving every
/// node its path costs one small allocation, not a copy of the whole path.
public struct YAMLPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)

        /// Keys by their bytes, as Helm's Go strings (`é` and `e` + U+0301 are two keys).
        public static func == (a: Component, b: Component) -> Bool {
            switch (a, b) {
            case let (.key(x), .key(y)): return x.sameBytes(as: y)
            case let (.index(x), .index(y)): return x == y
            default: return false
            }
        }

        public func hash(into hasher: inout Hasher) {
            // Which kind first: else a run of indices and one of keys could hash alike.
            switch self {
            case .key(let k):
                hasher.combine(0 as UInt8)
                hasher.combine(ExactString(k))
            case .index(let i):
                hasher.combine(1 as UInt8)
                hasher.combine(i)
            }
        }
    }

    final class Link: Sendable {
        let parent: Link?
        let component: Component
        let depth: Int

        init(parent: Link?, component: Component) {
            self.parent = parent
            self.component = component
            self.depth = (parent?.depth ?? 0) + 1
        }
    }

    let last: Link?

    public init(_ components: [Component] = []) {
        var link: Link?
        for c in components { link = Link(parent: link, component: c) }
        last = link
    }

    init(link: Link?) {
        last = link
    }

    public static let root = YAMLPath()

    public var components: [Component] {
        var out: [Component] = []
        out.reserveCapacity(last?.depth ?? 0)
        var link = last
        while let l = link {
            out.append(l.component)
            link = l.parent
        }
        return out.reversed()
    }

    public var depth: Int { last?.depth ?? 0 }

    public func appending(_ c: Component) -> YAMLPath {
        YAMLPath(link: Link(parent: last, component: c))
    }

    /// Whether this path or one of its ancestors (the root included) is in `set`: one lookup a
    /// level, however many paths the set holds.
    public func isWithin(_ set: Set<YAMLPath>) -> Bool {
        var link = last
        while true {
            if set.contains(YAMLPath(link: link)) { return true }
            guard let l = link else { return false }
            link = l.parent
        }
    }

    public func appending(key: String) -> YAMLPath { appending(.key(key)) }
    public func appending(index: Int) -> YAMLPath { appending(.index(index)) }

    // Both walk the chains: building the components array for each comparison and hash was
    // most of `--fix`'s check of a large stream (sets of every leaf path of every document).
    public static func == (a: YAMLPath, b: YAMLPath) -> Bool {
        var x = a.last, y = b.last
        guard x?.depth == y?.depth else { return false }
        while let l = x, let m = y {
            if l === m { return true }
            guard l.component == m.component else { return false }
            x = l.parent
            y = m.parent
        }
        return true
    }

    /// From the last component up (equal paths hash equally; the order is the hash's own).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(depth)
        var link = last
        while let l = link {
            hasher.combine(l.component)
            link = l.parent
        }
    }

    public var description: String { Self.text(components) }

    /// `spec.containers[0]["app.kubernetes.io/name"]`: simple keys dotted, others quoted.
    static func text(_ components: some Sequence<Component>) -> String {
        // Built as bytes and made a string once: every location a run keeps has a path.
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for c in components {
            switch c {
            case .index(let i): appendIndex(i, to: &out)
            case .key(let k): appendKey(k, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func appendIndex(_ i: Int, to out: inout [UInt8]) {
        out.append(0x5B)
        // Digits written in place: a String for each index of every path cost more than the rest.
        if i < 10, i >= 0 {
            out.append(0x30 + UInt8(i))
        } else {
            out.append(contentsOf: String(i).utf8)
        }
        out.append(0x5D)
    }

    static func appendKey(_ k: String, to out: inout [UInt8]) {
        if isSimple(k) {
            if !out.isEmpty { out.append(0x2E) }
            out.append(contentsOf: k.utf8)
        } else {
            let escaped = k.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }
            out.append(contentsOf: "[\"\(String(escaped))\"]".utf8)
        }
    }

    /// A string key's bytes, appended as `appendKey` would, when they need no escape (a simple
    /// key, or an ASCII one with neither quote nor backslash, such as `helm.sh/chart`); false
    /// (nothing appended) otherwise.
    static func appendSimpleKey(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        if bytes.allSatisfy(isSimpleByte) {
            if !out.isEmpty { out.append(0x2E) }
            out.append(contentsOf: bytes)
            return true
        }
        // ASCII only: other bytes go the String way (invalid UTF-8 is repaired there).
        guard !bytes.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 >= 0x80 }) else { return false }
        out.append(0x5B)
        out.append(0x22)
        out.append(contentsOf: bytes)
        out.append(0x22)
        out.append(0x5D)
        return true
    }

    static func isSimpleByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2F
    }

    static func isSimple(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(isSimpleByte)
    }
}
