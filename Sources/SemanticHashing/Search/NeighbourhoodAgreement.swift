import Foundation

/// How well binary codes keep a collection's own neighbourhoods, measured without labels: for each
/// sampled item, the share of its k nearest neighbours in the input (by cosine, counts weighted by
/// idf) that are among its k nearest codes (by Hamming distance, the item itself left out).
///
/// ```
/// x̃_j  = x_j ⊙ idf  when the values are counts or ln(1 + count), else x_j as given
///        idf_d = ln((1 + n) / (1 + df_d)) + 1                  (df_d: the items where column d ≠ 0)
/// N_s  = the k items j ≠ s of largest cos(x̃_s, x̃_j)            (ties: lower index first)
/// H_s  = the k items j ≠ s of smallest Hamming distance to s   (ties at the k-th distance shared:
///        an item at that distance counts (k − #closer) / #at-that-distance, as a random order would)
/// agreement = mean_s |H_s ∩ N_s| / k
/// ```
/// A criterion that rewards keeping the input's neighbours is only as good as the input's
/// similarity: in counts or log counts, where every item shares most of its words, plain cosine
/// neighbours share background words, not topics, so such input is measured with idf, as the
/// vectoriser would weight it. Input weighted already (tf-idf, embeddings) is measured as it is:
/// weighting it a second time cost precision where it was tried (docs/results/defaults.md,
/// section 16).
/// The samples are spread evenly over the items, so no seed is needed; items with an all-zero
/// input have no cosine neighbours and are skipped. On a large collection the neighbours, in the
/// input and among the codes, are looked for within an evenly spread pool of 50 000 items.
/// `LatentInputReadout` uses it to choose, after training, what an unsupervised model's codes are
/// read from.
///
/// ```swift
/// let reference = NeighbourhoodAgreement(features: data.features)
/// let score = reference.score(BinaryCodes(thresholding: values))   // in [0, 1]
/// ```
public struct NeighbourhoodAgreement: Sendable {
    /// The items neighbours are looked for among: all of them, or `poolSize` spread evenly.
    public let pool: [Int]
    /// The sampled items, as positions in `pool`, and for each its k input neighbours (positions too).
    public let samples: [Int]
    let neighbours: [[Int]]
    public let k: Int
    /// Whether the input held counts and its neighbours were therefore taken by tf-idf cosine.
    public let weightsCountsByIDF: Bool

    /// At most `sampleCount` items, each with its `k` nearest neighbours (k ≤ pool − 1) among at most
    /// `poolSize` items, so that time and memory stay bounded on a large collection (the products
    /// are pool × 256 at a time).
    public init(features all: FeatureMatrix, sampleCount: Int = 1000, k: Int = 100, poolSize: Int = 50_000) {
        pool = Self.spread(min(poolSize, all.rows), over: all.rows)
        let given = pool.count == all.rows ? all : all.gatherRows(pool)
        weightsCountsByIDF = Self.holdsCounts(given)
        let x = weightsCountsByIDF ? Self.idfWeighted(given) : given
        let n = x.rows
        let k = max(0, min(k, n - 1))
        self.k = k
        let norms = Self.rowNorms(x)
        let candidates = Self.spread(min(sampleCount, n), over: n).filter { norms[$0] > 0 }
        var neighbours: [[Int]] = []
        let blockSize = 256
        for start in stride(from: 0, to: candidates.count, by: blockSize) {
            let block = Array(candidates[start..<min(start + blockSize, candidates.count)])
            let scores = x.times(Self.unitColumns(x.gatherRows(block), norms: block.map { norms[$0] }))   // n × |block|
            for (a, s) in block.enumerated() {
                let cosine = (0..<n).map { j in j != s && norms[j] > 0 ? scores[j, a] / norms[j] : -.infinity }
                neighbours.append(Self.largest(k, of: cosine))
            }
        }
        samples = candidates
        self.neighbours = neighbours
    }

    /// ⌊i·n/m⌋ for i < m: m positions spread evenly over 0..<n.
    static func spread(_ m: Int, over n: Int) -> [Int] { (0..<m).map { $0 * n / m } }

    /// The positions of the k largest finite values, largest first, ties to the lower position: a
    /// heap of the k best so far, O(n log k).
    static func largest(_ k: Int, of values: [Float]) -> [Int] {
        func better(_ a: Int, _ b: Int) -> Bool { values[a] != values[b] ? values[a] > values[b] : a < b }
        var heap: [Int] = []   // the worst kept at the root
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && better(heap[worst], heap[l]) { worst = l }
                if r < heap.count && better(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for j in values.indices where values[j].isFinite {
            if heap.count < k {
                heap.append(j)
                var i = heap.count - 1
                while i > 0 && better(heap[(i - 1) / 2], heap[i]) { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
            } else if k > 0 && better(j, heap[0]) {
                heap[0] = j
                siftDown(0)
            }
        }
        return heap.sorted(by: better)
    }

    /// The mean share of the input neighbours that the codes keep (0 with no samples or k = 0).
    /// `codes` are every item's, in the order of the features.
    public func score(_ all: BinaryCodes) -> Double {
        guard k > 0, !samples.isEmpty else { return 0 }
        precondition(all.count > pool.last ?? -1, "NeighbourhoodAgreement: \(all.count) codes for items up to \(pool.last ?? -1)")
        let words = all.wordsPerCode
        var codes = [UInt64](repeating: 0, count: pool.count * words)
        for (p, i) in pool.enumerated() { for w in 0..<words { codes[p * words + w] = all.words[i * words + w] } }
        var total = 0.0
        var atDistance = [Int](repeating: 0, count: all.bits + 1), hitsAtDistance = atDistance
        var isNeighbour = [Bool](repeating: false, count: pool.count)
        for (a, s) in samples.enumerated() {
            for d in atDistance.indices { atDistance[d] = 0; hitsAtDistance[d] = 0 }
            for j in neighbours[a] { isNeighbour[j] = true }
            for j in 0..<pool.count where j != s {
                var d = 0
                for w in 0..<words { d += (codes[s * words + w] ^ codes[j * words + w]).nonzeroBitCount }
                atDistance[d] += 1
                if isNeighbour[j] { hitsAtDistance[d] += 1 }
            }
            for j in neighbours[a] { isNeighbour[j] = false }
            var left = Double(k), kept = 0.0
            for d in atDistance.indices where left > 0 && atDistance[d] > 0 {
                let taken = min(left, Double(atDistance[d]))
                kept += taken * Double(hitsAtDistance[d]) / Double(atDistance[d])
                left -= taken
            }
            total += kept / Double(k)
        }
        return total / Double(samples.count)
    }

    /// Whether x carries term counts with no idf: every stored value a whole number ≥ 0 (counts,
    /// presence bits), or every one ln(1 + a whole number) (log counts, as Snippets and the demo's
    /// corpus hold). Weighted values (tf-idf, l2 rows, embeddings) fail the test almost surely.
    static func holdsCounts(_ x: FeatureMatrix) -> Bool {
        let values: [Float]
        switch x {
        case .sparse(let s): values = s.values
        case .dense(let d): values = d.storage
        }
        func isCount(_ v: Double) -> Bool { v >= 0 && abs(v - v.rounded()) <= 1e-4 * max(1, v) }
        return values.allSatisfy { isCount(Double($0)) } || values.allSatisfy { $0 >= 0 && isCount(Foundation.expm1(Double($0))) }
    }

    /// x with column d scaled by ln((1 + n) / (1 + df_d)) + 1 over x's n rows.
    static func idfWeighted(_ x: FeatureMatrix) -> FeatureMatrix {
        switch x {
        case .sparse(let s):
            let idf = TFIDF.inverseDocumentFrequency(of: s).map(Float.init)
            var values = s.values
            for k in values.indices { values[k] *= idf[Int(s.columnIndices[k])] }
            return .sparse(SparseMatrix(rows: s.rows, columns: s.columns, rowStart: s.rowStart, columnIndices: s.columnIndices, values: values))
        case .dense(var d):
            let idf = TFIDF.inverseDocumentFrequency(of: d).map(Float.init)
            for i in 0..<d.rows { for j in 0..<d.columns { d[i, j] *= idf[j] } }
            return .dense(d)
        }
    }

    static func rowNorms(_ x: FeatureMatrix) -> [Float] {
        switch x {
        case .sparse(let s):
            return (0..<s.rows).map { i in s.row(i).reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot() }
        case .dense(let d):
            return (0..<d.rows).map { i in (0..<d.columns).reduce(Float(0)) { $0 + d[i, $1] * d[i, $1] }.squareRoot() }
        }
    }

    /// The rows of `x` as the columns of a dense D × m matrix, each divided by its norm (zero rows
    /// stay zero).
    static func unitColumns(_ x: FeatureMatrix, norms: [Float]) -> Matrix {
        let dense: Matrix
        switch x {
        case .sparse(let s): dense = s.densified()
        case .dense(let d): dense = d
        }
        var out = Matrix(rows: dense.columns, columns: dense.rows)
        for i in 0..<dense.rows {
            let scale = norms[i] > 0 ? 1 / norms[i] : 0
            for j in 0..<dense.columns { out[j, i] = dense[i, j] * scale }
        }
        return out
    }
}
