import Foundation

/// Reconstruction losses of the decoder.
///
/// Distribution (softmax decoder over D features, design.md, Losses):
/// ```
/// x = t / Σt  (all-zero rows stay zero),  x̂ = softmax(logits)
/// REC = mean_i  −Σ_d x_d · log(clip(x̂_d, 1e-7, 1))
/// ∂REC/∂logit_c = (s'·x̂_c − x_c·[c unclipped]) / n,   s' = Σ_{d unclipped} x_d
/// ```
/// (The clip has zero gradient where x̂_d < 1e-7, as in TensorFlow.)
///
/// Gaussian (continuous features, unit variance):
/// ```
/// REC = mean_i ½·Σ_d (x̂_d − t_d)²,   ∂REC/∂x̂ = (x̂ − t) / n
/// ```
public enum ReconstructionLoss {
    /// `logits` n×D decoder outputs; `target` n×D non-negative weights (normalised per row here).
    /// The gradient is computed in the logits' storage, so pass a matrix you no longer need.
    /// (`SoftmaxReconstructionKernel` does the work; `Decoder` calls it directly to fold in the bias.)
    public static func distribution(logits: consuming Matrix, target: FeatureMatrix) -> LossValue {
        precondition(logits.rows == target.rows && logits.columns == target.columns, "ReconstructionLoss: shapes differ")
        let (n, d) = (logits.rows, logits.columns)
        var gradient = consume logits  // the softmax and its gradient reuse the logits' storage
        let targets = SoftmaxReconstructionKernel.Targets(target)
        let value = gradient.storage.withUnsafeMutableBufferPointer { buffer in
            SoftmaxReconstructionKernel.run(logits: buffer.baseAddress!, rows: n, columns: d, bias: nil, targets: targets,
                                            columnSums: nil)
        }
        return LossValue(value: value, gradient: gradient)
    }

    /// `outputs` n×D decoder outputs (linear); `target` n×D raw features.
    public static func gaussian(outputs: Matrix, target: FeatureMatrix) -> LossValue {
        precondition(outputs.rows == target.rows && outputs.columns == target.columns, "ReconstructionLoss: shapes differ")
        let n = outputs.rows, d = outputs.columns
        var residual = outputs
        switch target {
        case .dense(let m):
            for i in residual.storage.indices { residual.storage[i] -= m.storage[i] }
        case .sparse(let s):
            for i in 0..<n { for k in s.rowStart[i]..<s.rowStart[i + 1] { residual.storage[i * d + Int(s.columnIndices[k])] -= s.values[k] } }
        }
        var total = 0.0
        for v in residual.storage { total += Double(v * v) }
        let scale = 1 / Float(n)
        for i in residual.storage.indices { residual.storage[i] *= scale }
        return LossValue(value: Float(0.5 * total / Double(n)), gradient: residual)
    }
}
