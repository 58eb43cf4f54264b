/// The similarity s_ij of every ordered pair of a batch, from label vectors (true one-hot/multi-hot
/// rows, or a classifier's predicted distributions), with its gradient.
///
/// ```
/// dot:          s_ij = Σ_c y_ic·y_jc                  one-hot: same class; softmax rows: P(same class)
/// sharedClass:  s_ij = 1 − Π_c (1 − y_ic·y_jc)        P(the items share at least one class), in [0, 1]
/// backward:     ∂y_ic = Σ_j (G_ij + G_ji)·∂s_ij/∂y_ic,   G = ∂L/∂s
///   dot:          ∂s_ij/∂y_ic = y_jc
///   sharedClass:  ∂s_ij/∂y_ic = y_jc·Π_{c'≠c} (1 − y_ic'·y_jc')
/// ```
/// For multi-label sigmoid outputs the dot product counts expected shared classes and can exceed
/// 1 (up to C), which turns the pairwise hinge's (1 − s) weight negative; `sharedClass` is the
/// bounded probability that "relevant" means for multi-label data.
///
/// ```swift
/// let s = PairSimilarity.sharedClass.matrix(predicted)
/// let dPredicted = PairSimilarity.sharedClass.backward(predicted, similarityGradient: g)
/// ```
public enum PairSimilarity: String, Codable, Sendable, CaseIterable {
    case dot
    case sharedClass = "shared-class"

    public func matrix(_ y: Matrix) -> Matrix {
        switch self {
        case .dot:
            return LinearAlgebra.product(y, y, transposeB: true)
        case .sharedClass:
            let n = y.rows, c = y.columns
            var s = Matrix(rows: n, columns: n)
            for i in 0..<n {
                for j in i..<n {
                    var keep: Float = 1
                    for k in 0..<c { keep *= 1 - y.storage[i * c + k] * y.storage[j * c + k] }
                    s[i, j] = 1 - keep
                    s[j, i] = 1 - keep
                }
            }
            return s
        }
    }

    /// ∂L/∂y given ∂L/∂s (n × n).
    public func backward(_ y: Matrix, similarityGradient g: Matrix) -> Matrix {
        let n = y.rows, c = y.columns
        var symmetric = g
        for i in 0..<n { for j in 0..<n { symmetric[i, j] = g[i, j] + g[j, i] } }
        switch self {
        case .dot:
            return LinearAlgebra.product(symmetric, y)
        case .sharedClass:
            var out = Matrix(rows: n, columns: c)
            // Π_{c'≠c} by prefix and suffix products, so no division by a factor that may be 0.
            var prefix = [Float](repeating: 1, count: c + 1), suffix = [Float](repeating: 1, count: c + 1)
            for i in 0..<n {
                for j in 0..<n {
                    let w = symmetric[i, j]
                    if w == 0 { continue }
                    for k in 0..<c { prefix[k + 1] = prefix[k] * (1 - y.storage[i * c + k] * y.storage[j * c + k]) }
                    for k in stride(from: c - 1, through: 0, by: -1) { suffix[k] = suffix[k + 1] * (1 - y.storage[i * c + k] * y.storage[j * c + k]) }
                    for k in 0..<c { out.storage[i * c + k] += w * y.storage[j * c + k] * prefix[k] * suffix[k + 1] }
                }
            }
            return out
        }
    }
}
