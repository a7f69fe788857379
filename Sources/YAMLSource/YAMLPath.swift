/// Where a node sits in its document: `spec.template.spec.containers[0].ports[2]`.
public struct YAMLPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = YAMLPath()

    public func appending(_ c: Component) -> YAMLPath {
        var copy = self
        copy.components.append(c)
        return copy
    }

    public func appending(key: String) -> YAMLPath { appending(.key(key)) }
    public func appending(index: Int) -> YAMLPath { appending(.index(index)) }

    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if YAMLPath.isSimple(k) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    let escaped = k.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }
                    out += "[\"\(String(escaped))\"]"
                }
            }
        }
        return out
    }

    static func isSimple(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2F
        }
    }
}
