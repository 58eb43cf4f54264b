/// Brute-force retrieval metrics (SPEC §5) used until the packed-code metrics land.
enum ProvisionalMetrics {
    static func report(queries: Matrix, queryLabels: Labels, database: Matrix, databaseLabels: Labels) -> [String: Double] {
        func pack(_ m: Matrix) -> [UInt64] {
            (0..<m.rows).map { i in (0..<m.columns).reduce(UInt64(0)) { $0 | (m[i, $1] > 0 ? 1 << UInt64($1) : 0) } }
        }
        func masks(_ l: Labels) -> [UInt64] { (0..<l.count).map { i in l.classesOf(i).reduce(UInt64(0)) { $0 | 1 << UInt64($1) } } }
        let q = pack(queries), d = pack(database), qm = masks(queryLabels), dm = masks(databaseLabels)
        let cutoffs = [100, 1000, 5000]
        var sums = [String: Double]()
        for i in 0..<q.count {
            let order = (0..<d.count).sorted { a, b in
                let da = (q[i] ^ d[a]).nonzeroBitCount, db = (q[i] ^ d[b]).nonzeroBitCount
                return da != db ? da < db : a < b
            }
            let relevantTotal = dm.filter { $0 & qm[i] != 0 }.count
            for k in cutoffs {
                var hits = 0
                var apSum = 0.0
                for r in 0..<min(k, d.count) where dm[order[r]] & qm[i] != 0 {
                    hits += 1
                    apSum += Double(hits) / Double(r + 1)
                }
                sums["p@\(k)", default: 0] += Double(hits) / Double(k)
                sums["map@\(k)", default: 0] += hits > 0 ? apSum / Double(hits) : 0
                if k == 100 { sums["r@100", default: 0] += relevantTotal > 0 ? Double(hits) / Double(relevantTotal) : 0 }
            }
        }
        return sums.mapValues { $0 / Double(max(q.count, 1)) }
    }
}
