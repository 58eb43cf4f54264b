import Foundation

/// KL divergence of the approximate posterior from the prior, averaged over the batch.
///
/// Bernoulli posterior p = σ(ℓ) against the uniform prior Bernoulli(½) (design.md, Losses):
/// ```
/// KL = mean_i [ B·log 2 + Σ_j p_j·log(p_j + ε) + (1 − p_j)·log(1 − p_j + ε) ]      ε = 1e-7
/// ∂KL/∂ℓ_j = p(1−p)·[log(p+ε) + p/(p+ε) − log(1−p+ε) − (1−p)/(1−p+ε)] / n
/// ```
/// Gaussian posterior N(μ, σ²) against N(0, 1):
/// ```
/// KL = mean_i −½·Σ_j (1 + logσ²_j − μ_j² − σ²_j)
/// ∂KL/∂μ = μ/n,   ∂KL/∂logσ² = ½(σ² − 1)/n
/// ```
public enum KLDivergence {
    static let epsilon: Double = 1e-7

    public static func bernoulli(logits: Matrix) -> LossValue {
        let n = logits.rows, b = logits.columns, count = logits.count
        var gradient = Matrix(rows: n, columns: b)
        // Each element's term and gradient on its own (spread over threads), then the terms summed
        // in index order, as one loop would.
        var terms = [Double](repeating: 0, count: count)
        logits.storage.withUnsafeBufferPointer { l in
            gradient.storage.withUnsafeMutableBufferPointer { g in
                terms.withUnsafeMutableBufferPointer { t in
                    let pieces = (count + 1023) / 1024
                    parallelFor(pieces, serial: count < 2048) { piece in
                        for i in (piece * 1024)..<min(count, (piece + 1) * 1024) {
                            let p = Double(Activations.sigmoid(l[i]))
                            let q = 1 - p
                            let logP = Foundation.log(p + epsilon), logQ = Foundation.log(q + epsilon)
                            t[i] = p * logP + q * logQ
                            let dp = logP + p / (p + epsilon) - logQ - q / (q + epsilon)
                            g[i] = Float(dp * p * q / Double(n))
                        }
                    }
                }
            }
        }
        var total = Double(n * b) * Foundation.log(2.0)
        for term in terms { total += term }
        return LossValue(value: Float(total / Double(n)), gradient: gradient)
    }

    /// Returns the loss and the gradients for the mean and for the log-variance.
    public static func gaussian(mean: Matrix, logVariance: Matrix) -> (value: Float, meanGradient: Matrix, logVarianceGradient: Matrix) {
        precondition(mean.rows == logVariance.rows && mean.columns == logVariance.columns, "KLDivergence: shapes differ")
        let n = mean.rows
        var total = 0.0
        var dMean = mean, dLogVar = logVariance
        for i in mean.storage.indices {
            let mu = Double(mean.storage[i]), lv = Double(logVariance.storage[i])
            let variance = Foundation.exp(lv)
            total += -0.5 * (1 + lv - mu * mu - variance)
            dMean.storage[i] = Float(mu / Double(n))
            dLogVar.storage[i] = Float(0.5 * (variance - 1) / Double(n))
        }
        return (Float(total / Double(n)), dMean, dLogVar)
    }
}
