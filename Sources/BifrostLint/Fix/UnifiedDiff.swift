/// `diff -u` output between two texts, line by line (Myers' shortest edit script).
public enum UnifiedDiff {
    public static func make(_ a: String, _ b: String, fromName: String, toName: String, context: Int = 3) -> String {
        let x = lines(a), y = lines(b)
        let ops = script(x, y)
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

    static func script(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        let maxD = n + m
        var v = [Int](repeating: 0, count: 2 * maxD + 2)
        var trace: [[Int]] = []
        outer: for d in 0...maxD {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                let idx = k + maxD
                var x: Int
                if k == -d || (k != d && v[idx - 1] < v[idx + 1]) { x = v[idx + 1] } else { x = v[idx - 1] + 1 }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[idx] = x
                if x >= n && y >= m { trace.append(v); break outer }
            }
        }
        // Backtrack from the end to recover the operations.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let idx = k + maxD
            let prevK: Int
            if k == -d || (k != d && v[idx - 1] < v[idx + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = v[prevK + maxD]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { ops.append(.keep); x -= 1; y -= 1 }
            if d > 0 {
                if x == prevX { ops.append(.insert) } else { ops.append(.delete) }
            }
            x = prevX; y = prevY
        }
        while x > 0 && y > 0 { ops.append(.keep); x -= 1; y -= 1 }
        return ops.reversed()
    }
}
