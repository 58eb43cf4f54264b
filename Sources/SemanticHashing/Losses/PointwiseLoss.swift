import Foundation

/// Supervised loss of the label head on one batch (design.md, Losses). Unlabelled items have y = 0.
///
/// Single-label (softmax head, categorical cross-entropy, Keras clipping):
/// ```
/// ŷ = softmax(ℓ),  POINT = (1/n)·Σ_i −Σ_c y_ic·log(clip(ŷ_ic, ε, 1−ε))
/// ∂POINT/∂ℓ_c = ŷ_c·(g_c − Σ_j g_j ŷ_j)/n,   g_j = −y_j/ŷ_j where unclipped, else 0
/// ```
/// Multi-label (sigmoid head, binary cross-entropy summed over classes):
/// ```
/// ŷ = σ(ℓ),  POINT = (1/n)·Σ_i −Σ_c [y·log clip(ŷ) + (1−y)·log clip(1−ŷ)]
/// ∂POINT/∂ℓ_c = (ŷ_c − y_c)/n where unclipped
/// ```
/// Multi-label options: `includeUnlabelled` (the reference's quirk: an unlabelled item counts as
/// "in no class"; otherwise it is skipped) and `averageOverBatch` (false = summed over the batch,
/// SSB-VAE's multi-label quirk).
public enum PointwiseLoss {
    static let epsilon: Float = 1e-7

    /// `probabilities` = softmax of the head; `labels` n×C indicator rows.
    public static func softmaxCrossEntropy(probabilities: Matrix, labels: Matrix) -> LossValue {
        precondition(probabilities.rows == labels.rows && probabilities.columns == labels.columns, "PointwiseLoss: shapes differ")
        let n = probabilities.rows, c = probabilities.columns
        var gradient = Matrix(rows: n, columns: c)
        var total = 0.0
        for i in 0..<n {
            var g = [Float](repeating: 0, count: c)
            var weighted: Float = 0
            for j in 0..<c {
                let y = labels.storage[i * c + j]
                guard y != 0 else { continue }
                let q = probabilities.storage[i * c + j]
                total -= Double(y) * Foundation.log(Double(min(max(q, epsilon), 1 - epsilon)))
                if q >= epsilon && q <= 1 - epsilon {
                    g[j] = -y / q
                    weighted += g[j] * q
                }
            }
            for j in 0..<c {
                let q = probabilities.storage[i * c + j]
                gradient.storage[i * c + j] = q * (g[j] - weighted) / Float(n)
            }
        }
        return LossValue(value: Float(total / Double(n)), gradient: gradient)
    }

    /// `probabilities` = sigmoid of the head; `labels` n×C indicator rows; `labelled[i]` says whether
    /// item i carries labels.
    public static func binaryCrossEntropy(probabilities: Matrix, labels: Matrix, labelled: [Bool],
                                          includeUnlabelled: Bool, averageOverBatch: Bool) -> LossValue {
        precondition(probabilities.rows == labels.rows && probabilities.columns == labels.columns, "PointwiseLoss: shapes differ")
        let n = probabilities.rows, c = probabilities.columns
        let divisor = averageOverBatch ? Float(n) : 1
        var gradient = Matrix(rows: n, columns: c)
        var total = 0.0
        for i in 0..<n where includeUnlabelled || labelled[i] {
            for j in 0..<c {
                let y = labels.storage[i * c + j], q = probabilities.storage[i * c + j]
                let clipped = min(max(q, epsilon), 1 - epsilon)
                total -= Double(y) * Foundation.log(Double(clipped)) + Double(1 - y) * Foundation.log(Double(1 - clipped))
                if q >= epsilon && q <= 1 - epsilon { gradient.storage[i * c + j] = (q - y) / divisor }
            }
        }
        return LossValue(value: Float(total / Double(divisor)), gradient: gradient)
    }
}
