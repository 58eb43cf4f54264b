/// The pairwise (contrastive) hashing loss on relaxed codes (design.md, Losses), summed over all n² ordered pairs.
///
/// ```
/// D_ij = ‖b̃_i − b̃_j‖²,  m = B/3
/// PAIR = (1/B)·Σ_ij w_ij·[ s_ij·D_ij + (1 − s_ij)·max(0, m − D_ij) ]
/// ∂PAIR/∂D_ij = w_ij·(s_ij − (1 − s_ij)·[D_ij < m]) / B
/// ∂PAIR/∂s_ij = w_ij·(D_ij − max(0, m − D_ij)) / B
/// ∂PAIR/∂b̃_i = Σ_j 2·(G_ij + G_ji)·(b̃_i − b̃_j),   G = ∂PAIR/∂D
/// ```
/// `w_ij` is 1 for every pair, or 0 for pairs the caller masks out (the principled PHS-GS variant
/// skips pairs that touch an unlabelled item).
public enum PairwiseLoss {
    public struct Result: Sendable {
        public var value: Float
        public var codeGradient: Matrix
        public var similarityGradient: Matrix
    }

    /// `codes` n×B relaxed codes; `similarity` n×n; `pairMask` n×n weights or nil for all ones.
    public static func evaluate(codes: Matrix, similarity: Matrix, pairMask: Matrix? = nil, margin: Float? = nil) -> Result {
        let n = codes.rows, b = codes.columns
        precondition(similarity.rows == n && similarity.columns == n, "PairwiseLoss: similarity must be \(n)×\(n)")
        let m = margin ?? Float(b) / 3
        // D = diag(‖b̃‖²)·1ᵀ + 1·diag(‖b̃‖²)ᵀ − 2·B̃·B̃ᵀ, computed directly for exactness on small batches.
        let gram = LinearAlgebra.product(codes, codes, transposeB: true)
        var distance = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { distance[i, j] = max(0, gram[i, i] + gram[j, j] - 2 * gram[i, j]) } }
        var total = 0.0
        var dDistance = Matrix(rows: n, columns: n)
        var dSimilarity = Matrix(rows: n, columns: n)
        let invB = 1 / Float(b)
        for i in 0..<n {
            for j in 0..<n {
                let w = pairMask?[i, j] ?? 1
                guard w != 0 else { continue }
                let s = similarity[i, j], d = distance[i, j]
                let hinge = max(0, m - d)
                total += Double(w * (s * d + (1 - s) * hinge))
                dDistance[i, j] = w * (s - (1 - s) * (d < m ? 1 : 0)) * invB
                dSimilarity[i, j] = w * (d - hinge) * invB
            }
        }
        // ∂b̃_i = 2·Σ_j (G_ij + G_ji)(b̃_i − b̃_j) = 2·[rowsum(Gs)_i·b̃_i − (Gs·B̃)_i],  Gs = G + Gᵀ.
        var symmetric = dDistance
        for i in 0..<n { for j in 0..<n { symmetric[i, j] = dDistance[i, j] + dDistance[j, i] } }
        var codeGradient = LinearAlgebra.product(symmetric, codes)
        for i in 0..<n {
            var rowSum: Float = 0
            for j in 0..<n { rowSum += symmetric[i, j] }
            for k in 0..<b { codeGradient[i, k] = 2 * (rowSum * codes[i, k] - codeGradient[i, k]) }
        }
        return Result(value: Float(total) * invB, codeGradient: codeGradient, similarityGradient: dSimilarity)
    }
}
