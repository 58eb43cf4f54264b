import Foundation

/// Reconstruction losses of the decoder.
///
/// Distribution (softmax decoder over D features, SPEC §3):
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
    static let clipFloor: Float = 1e-7

    /// `logits` n×D decoder outputs; `target` n×D non-negative weights (normalised per row here).
    public static func distribution(logits: Matrix, target: FeatureMatrix) -> LossValue {
        precondition(logits.rows == target.rows && logits.columns == target.columns, "ReconstructionLoss: shapes differ")
        let n = logits.rows, d = logits.columns
        var probabilities = Activations.softmaxRows(logits)
        var total = 0.0
        let scale = 1 / Float(n)
        probabilities.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                let row = p.baseAddress! + i * d
                // Gather this row's target entries (sparse or dense).
                var entries: [(Int, Float)] = []
                switch target {
                case .sparse(let s):
                    for k in s.rowStart[i]..<s.rowStart[i + 1] where s.values[k] != 0 {
                        entries.append((Int(s.columnIndices[k]), s.values[k]))
                    }
                case .dense(let m):
                    for j in 0..<d where m.storage[i * d + j] != 0 { entries.append((j, m.storage[i * d + j])) }
                }
                let sum = entries.reduce(Float(0)) { $0 + $1.1 }
                if sum == 0 {
                    for j in 0..<d { row[j] = 0 }
                    continue
                }
                var unclippedMass: Float = 0
                var rowLoss = 0.0
                for (j, t) in entries {
                    let x = t / sum
                    let q = row[j]
                    rowLoss -= Double(x) * Foundation.log(Double(max(q, clipFloor)))
                    if q >= clipFloor { unclippedMass += x }
                }
                total += rowLoss
                // Gradient: s'·x̂ everywhere, minus x on unclipped target entries. Target entries are
                // read before their slot is overwritten (all reads of q happen above).
                let probs = entries.map { row[$0.0] }
                for j in 0..<d { row[j] *= unclippedMass * scale }
                for (k, (j, t)) in entries.enumerated() where probs[k] >= clipFloor {
                    row[j] -= t / sum * scale
                }
            }
        }
        return LossValue(value: Float(total / Double(n)), gradient: probabilities)
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
