/// How well binary codes keep a collection's own neighbourhoods, measured without labels: for each
/// sampled item, the share of its k nearest neighbours in the input (by cosine) that are among its
/// k nearest codes (by Hamming distance, the item itself left out).
///
/// ```
/// N_s  = the k items j ≠ s of largest cos(x_s, x_j)            (ties: lower index first)
/// H_s  = the k items j ≠ s of smallest Hamming distance to s   (ties at the k-th distance shared:
///        an item at that distance counts (k − #closer) / #at-that-distance, as a random order would)
/// agreement = mean_s |H_s ∩ N_s| / k
/// ```
/// The samples are spread evenly over the items, so no seed is needed; items with an all-zero
/// input have no cosine neighbours and are skipped. `LatentInputReadout` uses it to choose, after
/// training, what an unsupervised model's codes are read from.
///
/// ```swift
/// let reference = NeighbourhoodAgreement(features: data.features)
/// let score = reference.score(BinaryCodes(thresholding: values))   // in [0, 1]
/// ```
public struct NeighbourhoodAgreement: Sendable {
    /// The sampled items and, for each, its k input neighbours.
    public let samples: [Int]
    let neighbours: [[Int]]
    public let k: Int

    /// At most `sampleCount` items, each with its `k` nearest neighbours (k ≤ n − 1).
    public init(features x: FeatureMatrix, sampleCount: Int = 1000, k: Int = 100) {
        let n = x.rows
        let k = max(0, min(k, n - 1))
        self.k = k
        let norms = Self.rowNorms(x)
        let wanted = min(sampleCount, n)
        let candidates = (0..<wanted).map { $0 * n / max(1, wanted) }.filter { norms[$0] > 0 }
        var neighbours: [[Int]] = []
        let blockSize = 256
        for start in stride(from: 0, to: candidates.count, by: blockSize) {
            let block = Array(candidates[start..<min(start + blockSize, candidates.count)])
            let scores = x.times(Self.denseTranspose(x.gatherRows(block)))   // n × |block|
            for (a, s) in block.enumerated() {
                var order = (0..<n).filter { $0 != s }
                func cosine(_ j: Int) -> Float { norms[j] > 0 ? scores[j, a] / norms[j] : -.infinity }
                order.sort { cosine($0) != cosine($1) ? cosine($0) > cosine($1) : $0 < $1 }
                neighbours.append(Array(order.prefix(k)))
            }
        }
        samples = candidates
        self.neighbours = neighbours
    }

    /// The mean share of the input neighbours that the codes keep (0 with no samples or k = 0).
    public func score(_ codes: BinaryCodes) -> Double {
        guard k > 0, !samples.isEmpty else { return 0 }
        precondition(codes.count > samples.max()!, "NeighbourhoodAgreement: \(codes.count) codes for items up to \(samples.max()!)")
        let words = codes.wordsPerCode
        var total = 0.0
        var atDistance = [Int](repeating: 0, count: codes.bits + 1), hitsAtDistance = atDistance
        var isNeighbour = [Bool](repeating: false, count: codes.count)
        for (a, s) in samples.enumerated() {
            for d in atDistance.indices { atDistance[d] = 0; hitsAtDistance[d] = 0 }
            for j in neighbours[a] { isNeighbour[j] = true }
            for j in 0..<codes.count where j != s {
                var d = 0
                for w in 0..<words { d += (codes.words[s * words + w] ^ codes.words[j * words + w]).nonzeroBitCount }
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

    static func rowNorms(_ x: FeatureMatrix) -> [Float] {
        switch x {
        case .sparse(let s):
            return (0..<s.rows).map { i in s.row(i).reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot() }
        case .dense(let d):
            return (0..<d.rows).map { i in (0..<d.columns).reduce(Float(0)) { $0 + d[i, $1] * d[i, $1] }.squareRoot() }
        }
    }

    /// The rows of `x` as the columns of a dense D × m matrix, each scaled to unit length.
    static func denseTranspose(_ x: FeatureMatrix) -> Matrix {
        let dense: Matrix
        switch x {
        case .sparse(let s): dense = s.densified()
        case .dense(let d): dense = d
        }
        var out = Matrix(rows: dense.columns, columns: dense.rows)
        for i in 0..<dense.rows {
            var norm: Float = 0
            for j in 0..<dense.columns { norm += dense[i, j] * dense[i, j] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<dense.columns { out[j, i] = dense[i, j] * scale }
        }
        return out
    }
}
