import YAMLSource

/// Two overlays giving one leaf different values.
public struct Conflict: Sendable, CustomStringConvertible {
    public let path: String
    public let first: Origin
    public let second: Origin

    public var description: String { "\(path) is set by \(first) and again, differently, by \(second) (the later wins)" }
}

/// Helm's merge of `-f` files: maps merge recursively, everything else (lists, scalars, null)
/// replaces what came before. A null stays in the result, so Helm still drops the chart default.
public struct Merger {
    public private(set) var result = OrderedMap()
    public private(set) var conflicts: [Conflict] = []
    /// Files whose settings count for conflicts (overlays, not the base).
    private var overlayOrigins = Set<ExactString>()

    public init() {}

    public mutating func merge(_ map: OrderedMap, file: String, isOverlay: Bool) {
        result = merge(result, map, path: "", isOverlay: isOverlay)
        if isOverlay { overlayOrigins.insert(ExactString(file)) }
    }

    private mutating func merge(_ base: OrderedMap, _ top: OrderedMap, path: String, isOverlay: Bool) -> OrderedMap {
        var out = base
        for (key, value) in top.entries {
            let here = path.isEmpty ? key : path + "." + key
            let origin = top.origin(key)
            if case .map(let topMap) = value, case .map(let baseMap)? = base[key] {
                out.set(key, .map(merge(baseMap, topMap, path: here, isOverlay: isOverlay)), origin: base.origin(key))
                continue
            }
            if isOverlay, let old = base[key], old != value, let oldOrigin = base.origin(key), overlayOrigins.contains(ExactString(oldOrigin.file)), let origin {
                conflicts.append(Conflict(path: here, first: oldOrigin, second: origin))
            }
            out.set(key, value, origin: origin)
        }
        return out
    }
}
