#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLSource

/// Composes values the way `helm install -f base… -f overlay… --set …` does, remembering where
/// every value came from.
public struct Composer {
    public struct Input {
        public let name: String
        public let bytes: [UInt8]
        public let isOverlay: Bool

        public init(name: String, bytes: [UInt8], isOverlay: Bool) {
            self.name = name
            self.bytes = bytes
            self.isOverlay = isOverlay
        }
    }

    public struct Result {
        public let values: OrderedMap
        public let conflicts: [Conflict]
        /// What Helm drops from the inputs without a word: repeated keys, later documents.
        public let warnings: [String]

        public func render(explain: Bool) -> String {
            return rendered(explain: explain).text
        }

        /// The text and the origin of each of its lines (see `Emitter.emitWithOrigins`).
        public func rendered(explain: Bool) -> (text: String, origins: [Int: Origin]) {
            let header = "# Composed by kubectl-bifrost compose; use with helm install -f.\n"
            return Emitter(explain: explain).emitWithOrigins(values, header: header)
        }
    }

    public static func compose(_ inputs: [Input], sets: [String] = []) throws -> Result {
        var merger = Merger()
        var warnings: [String] = []
        for input in inputs {
            let map = try Value.load(SourceFile(name: input.name, bytes: input.bytes), warnings: &warnings)
            merger.merge(map, file: input.name, isOverlay: input.isOverlay)
        }
        var values = merger.result
        for expression in sets {
            try SetParser.apply(expression, to: &values)
        }
        return Result(values: values, conflicts: merger.conflicts, warnings: warnings)
    }
}
