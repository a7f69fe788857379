/// `diff -u` output between two texts, line by line.
public enum UnifiedDiff {
    public static func make(_ a: String, _ b: String, fromName: String, toName: String, context: Int = 3) -> String {
        let x = lines(a), y = lines(b)
        // Lines compared by their bytes: one that differs only in Unicode normalisation is changed.
        let ops = script(x.map(ExactString.init), y.map(ExactString.init))
        guard ops.contains(where: { $0 != .keep }) else { return "" }
        var out = "--- \(fromName)\n+++ \(toName)\n"
        // Walk the script, cutting it into hunks with `context` lines around changes.
        var i = 0
        var ai = 0, bi = 0
        var positions: [(Op, Int, Int)] = []
        for op in ops {
            positions.append((op, ai, bi))
            switch op {
            case .keep: ai += 1; bi += 1
            case .delete: ai += 1
            case .insert: bi += 1
            }
        }
        while i < positions.count {
            guard let firstChange = positions[i...].firstIndex(where: { $0.0 != .keep }) else { break }
            let start = max(i, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < positions.count {
                if positions[end].0 != .keep { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            let stop = min(positions.count, lastChange + context + 1)
            let hunk = positions[start..<stop]
            let aStart = hunk.first!.1, bStart = hunk.first!.2
            let aCount = hunk.filter { $0.0 != .insert }.count
            let bCount = hunk.filter { $0.0 != .delete }.count
            out += "@@ -\(range(aStart, aCount)) +\(range(bStart, bCount)) @@\n"
            for (op, ia, ib) in hunk {
                switch op {
                case .keep: out += " " + x[ia]
                case .delete: out += "-" + x[ia]
                case .insert: out += "+" + y[ib]
                }
            }
            i = stop
        }
        return out
    }

    static func range(_ start: Int, _ count: Int) -> String {
        let first = count == 0 ? start : start + 1
        return count == 1 ? "\(first)" : "\(first),\(count)"
    }

    /// Lines with their endings; a last line without one gets a marker line as in diff(1).
    static func lines(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in s {
            current.append(ch)
            if ch == "\n" || ch == "\r\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current + "\n\\ No newline at end of file\n") }
        return out
    }

    enum Op: Equatable { case keep, delete, insert }

    /// The edit script. Fixes change a few lines here and there in long files, so the common
    /// start and end are taken off, the rest is cut at lines that occur once in each text and
    /// match in order (patience diff), and only the pieces between are diffed exactly: time and
    /// memory grow with the file, not with the file times the number of changes.
    static func script<Line: Hashable>(_ a: [Line], _ b: [Line]) -> [Op] {
        var ops: [Op] = []
        ops.reserveCapacity(max(a.count, b.count))
        diff(a[...], b[...], into: &ops)
        return ops
    }

    static func diff<Line: Hashable>(_ a: ArraySlice<Line>, _ b: ArraySlice<Line>, into ops: inout [Op]) {
        var lo = 0
        while lo < a.count, lo < b.count, a[a.startIndex + lo] == b[b.startIndex + lo] { lo += 1 }
        var hi = 0
        while hi < a.count - lo, hi < b.count - lo, a[a.endIndex - 1 - hi] == b[b.endIndex - 1 - hi] { hi += 1 }
        ops.append(contentsOf: repeatElement(.keep, count: lo))
        let x = a[(a.startIndex + lo)..<(a.endIndex - hi)], y = b[(b.startIndex + lo)..<(b.endIndex - hi)]
        if x.isEmpty || y.isEmpty {
            ops.append(contentsOf: repeatElement(.delete, count: x.count))
            ops.append(contentsOf: repeatElement(.insert, count: y.count))
        } else if let anchors = uniqueAnchors(x, y), !anchors.isEmpty {
            var ia = x.startIndex, ib = y.startIndex
            for (pa, pb) in anchors {
                diff(x[ia..<pa], y[ib..<pb], into: &ops)
                ops.append(.keep)
                ia = pa + 1
                ib = pb + 1
            }
            diff(x[ia...], y[ib...], into: &ops)
        } else {
            ops.append(contentsOf: exact(x, y))
        }
        ops.append(contentsOf: repeatElement(.keep, count: hi))
    }

    /// Lines that occur exactly once in each text, paired, longest run in order of both.
    static func uniqueAnchors<Line: Hashable>(_ a: ArraySlice<Line>, _ b: ArraySlice<Line>) -> [(Int, Int)]? {
        var counts: [Line: (a: Int, b: Int, ia: Int, ib: Int)] = [:]
        for i in a.indices { counts[a[i], default: (0, 0, 0, 0)].a += 1; counts[a[i]]!.ia = i }
        for i in b.indices { counts[b[i], default: (0, 0, 0, 0)].b += 1; counts[b[i]]!.ib = i }
        let pairs = a.indices.compactMap { i -> (Int, Int)? in
            guard let c = counts[a[i]], c.a == 1, c.b == 1 else { return nil }
            return (i, c.ib)
        }
        guard !pairs.isEmpty else { return nil }
        // Longest increasing subsequence of the b positions (patience sorting).
        var tails: [Int] = []
        var previous = [Int](repeating: -1, count: pairs.count)
        for (n, pair) in pairs.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pairs[tails[mid]].1 < pair.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[n] = tails[lo - 1] }
            if lo == tails.count { tails.append(n) } else { tails[lo] = n }
        }
        var out: [(Int, Int)] = []
        var n = tails.last ?? -1
        while n >= 0 { out.append(pairs[n]); n = previous[n] }
        return out.reversed()
    }

    /// Largest piece diffed exactly (lines of one side times the other): 16 MB of table.
    static let exactLimit = 4_000_000

    /// A shortest edit script by the longest common subsequence, for a piece without anchors.
    /// A piece too large for the table is written as deleted then inserted: still a correct
    /// diff, and such a piece has nothing in common worth aligning.
    static func exact<Line: Hashable>(_ a: ArraySlice<Line>, _ b: ArraySlice<Line>) -> [Op] {
        let n = a.count, m = b.count
        guard n * m <= exactLimit else {
            return Array(repeating: .delete, count: n) + Array(repeating: .insert, count: m)
        }
        let x = Array(a), y = Array(b)
        // lcs[i][j] for the suffixes x[i...], y[j...], row by row in one flat table.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] = x[i] == y[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        var ops: [Op] = []
        ops.reserveCapacity(n + m)
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, x[i] == y[j] {
                ops.append(.keep); i += 1; j += 1
            } else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
                // Deleted lines before inserted ones, as diff(1) shows a change.
                ops.append(.delete); i += 1
            } else {
                ops.append(.insert); j += 1
            }
        }
        return ops
    }
}
