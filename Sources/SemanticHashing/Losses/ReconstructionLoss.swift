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
    static let clipFloor: Float = 1e-7

    /// `logits` n×D decoder outputs; `target` n×D non-negative weights (normalised per row here).
    /// The gradient is computed in the logits' storage, so pass a matrix you no longer need.
    public static func distribution(logits: consuming Matrix, target: FeatureMatrix) -> LossValue {
        precondition(logits.rows == target.rows && logits.columns == target.columns, "ReconstructionLoss: shapes differ")
        let n = logits.rows, d = logits.columns
        var gradient = consume logits  // the softmax and its gradient reuse the logits' storage
        var rowLosses = [Double](repeating: 0, count: n)
        let scale = 1 / Float(n)
        let denseTarget: Matrix? = { if case .dense(let m) = target { return m } else { return nil } }()
        let sparseTarget: SparseMatrix = {
            if case .sparse(let s) = target { return s }
            return SparseMatrix(rows: 0, columns: d, rowStart: [0], columnIndices: [], values: [])
        }()
        gradient.storage.withUnsafeMutableBufferPointer { buffer in rowLosses.withUnsafeMutableBufferPointer { rowLosses in
            let base = buffer.baseAddress!
            parallelFor(ParallelExecution.threadCount, serial: n * d < 200_000) { part in
                var columns: [Int32] = []
                var weights: [Float] = []
                for i in ParallelExecution.chunk(part, of: ParallelExecution.threadCount, total: n) {
                    let row = base + i * d
                    columns.removeAll(keepingCapacity: true)
                    weights.removeAll(keepingCapacity: true)
                    if let dense = denseTarget {
                        for j in 0..<d where dense.storage[i * d + j] != 0 { columns.append(Int32(j)); weights.append(dense.storage[i * d + j]) }
                    } else {
                        for k in sparseTarget.rowStart[i]..<sparseTarget.rowStart[i + 1] where sparseTarget.values[k] != 0 {
                            columns.append(sparseTarget.columnIndices[k]); weights.append(sparseTarget.values[k])
                        }
                    }
                    let sum = weights.reduce(0, +)
                    if sum == 0 {
                        UnsafeMutableBufferPointer(start: row, count: d).update(repeating: 0)
                        continue
                    }
                    // Softmax and gradient share one final pass: x̂ = e/Σe is only formed at the
                    // target entries, and s'·x̂ is one scaling of the exponentials.
                    let rowBuffer = UnsafeMutableBufferPointer(start: row, count: d)
                    let inverseTotal = 1 / VectorMath.exponentiate(rowBuffer, shiftedBy: VectorMath.maximum(UnsafeBufferPointer(rowBuffer)))
                    var unclippedMass: Float = 0
                    var loss = 0.0
                    for k in columns.indices {
                        let x = weights[k] / sum
                        let q = row[Int(columns[k])] * inverseTotal
                        loss -= Double(x) * Foundation.log(Double(max(q, clipFloor)))
                        if q >= clipFloor { unclippedMass += x } else { weights[k] = 0 }
                    }
                    rowLosses[i] = loss
                    // ∂/∂logit = s'·x̂ everywhere, minus x on the unclipped target entries.
                    VectorMath.scale(rowBuffer, by: unclippedMass * scale * inverseTotal)
                    for k in columns.indices { row[Int(columns[k])] -= weights[k] / sum * scale }
                }
            }
        } }
        return LossValue(value: Float(rowLosses.reduce(0, +) / Double(n)), gradient: gradient)
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
