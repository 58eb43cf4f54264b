/// A penalty on codes whose bits are unbalanced or correlated within a batch, so that no code
/// region swallows the collection. On the relaxed codes b̃ (n × B), with u = 2b̃ − 1 ∈ (−1, 1):
///
/// ```
/// m_j  = mean_i u_ij                      (0 when bit j is on for half the batch)
/// C_jk = (1/n)·Σ_i u_ij·u_ik              (0 off the diagonal when bits are uncorrelated)
/// BAL  = (1/B)·Σ_j m_j²  +  (1/B²)·Σ_{j≠k} C_jk²
/// ∂BAL/∂b̃_ij = 2·[ (2/(nB))·m_j + (4/(nB²))·Σ_{k≠j} C_jk·u_ik ]
/// ```
/// Balanced, decorrelated bits are the standard remedy in the hashing literature for codes that
/// collapse onto a few values; the weight λ in `REC + β·KL + SUP + λ·BAL` sets how hard it pushes.
///
/// ```swift
/// let bal = BitBalanceLoss.evaluate(codes: sample)     // value and ∂/∂codes
/// ```
public enum BitBalanceLoss {
    public static func evaluate(codes: Matrix) -> LossValue {
        let n = codes.rows, b = codes.columns
        guard n > 0, b > 0 else { return LossValue(value: 0, gradient: codes) }
        var u = codes
        for i in u.storage.indices { u.storage[i] = 2 * u.storage[i] - 1 }
        var mean = [Float](repeating: 0, count: b)
        for i in 0..<n { for j in 0..<b { mean[j] += u.storage[i * b + j] } }
        for j in 0..<b { mean[j] /= Float(n) }
        var correlation = LinearAlgebra.product(u, transposeA: true, u)
        correlation.scale(by: 1 / Float(n))
        var value: Float = 0
        for j in 0..<b { value += mean[j] * mean[j] / Float(b) }
        for j in 0..<b { for k in 0..<b where k != j { value += correlation[j, k] * correlation[j, k] / Float(b * b) } }
        for j in 0..<b { correlation[j, j] = 0 }
        // Σ_{k≠j} C_jk·u_ik for every (i, j): U·C with C's diagonal cleared.
        let mixed = LinearAlgebra.product(u, correlation)
        var gradient = Matrix(rows: n, columns: b)
        let balanceScale = 2 / (Float(n) * Float(b)), decorrelationScale = 4 / (Float(n) * Float(b * b))
        for i in 0..<n {
            for j in 0..<b {
                gradient.storage[i * b + j] = 2 * (balanceScale * mean[j] + decorrelationScale * mixed.storage[i * b + j])
            }
        }
        return LossValue(value: value, gradient: gradient)
    }
}
