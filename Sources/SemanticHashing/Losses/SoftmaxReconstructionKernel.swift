import Foundation

/// The softmax reconstruction loss and its gradient over a batch, in two passes over the n × D
/// logits, written in place of them.
///
/// ```
/// z = logits + bias (per column; bias optional),   x_i = t_i / Σt_i  (sparse targets)
/// pass 1, by rows:     e = exp(z − max z),  Σe;   REC_i = −Σ_d x_d·log(clip(e_d/Σe))
///                      s'_i = Σ x_d over unclipped d,   a_i = s'_i·(1/n)·(1/Σe)
///                      G_i = a_i·e_i − x_i/n on unclipped target entries (the row still in cache)
/// pass 2, by columns:  columnSums += Σ_i G_i   (only when column sums are asked for)
/// ```
/// The first pass spreads rows over threads; the second spreads blocks of columns, so each
/// column's sum still runs over the rows in order (the bias gradient is the same sum a
/// row-by-row accumulation gives). Each element sees the same operations as in a separate
/// softmax, scale and accumulation, so the results do not depend on the thread count.
///
/// ```swift
/// let loss = SoftmaxReconstructionKernel.run(logits: l, rows: n, columns: d, bias: b, targets: t, columnSums: g)
/// ```
enum SoftmaxReconstructionKernel {
    static let clipFloor: Float = 1e-7
    /// Columns per work item of the second pass (each item touches n × this many floats).
    static let columnBlock = 512

    /// The targets of a batch as sorted (column, weight) lists per row.
    struct Targets {
        var rowStart: [Int]
        var columns: [Int32]
        var weights: [Float]

        init(_ target: FeatureMatrix) {
            switch target {
            case .sparse(let s):
                rowStart = s.rowStart
                columns = s.columnIndices
                weights = s.values
            case .dense(let m):
                rowStart = [0]
                columns = []
                weights = []
                for i in 0..<m.rows {
                    for j in 0..<m.columns where m.storage[i * m.columns + j] != 0 {
                        columns.append(Int32(j))
                        weights.append(m.storage[i * m.columns + j])
                    }
                    rowStart.append(columns.count)
                }
            }
        }
    }

    /// Replaces `logits` (rows × columns) by ∂REC/∂logits, adds its column sums to `columnSums`
    /// when given, and returns the batch-mean loss.
    static func run(logits: UnsafeMutablePointer<Float>, rows n: Int, columns d: Int, bias: UnsafePointer<Float>?,
                    targets: Targets, columnSums: UnsafeMutablePointer<Float>?) -> Float {
        if n == 0 { return 0 }
        let scale = 1 / Float(n)
        var rowLosses = [Double](repeating: 0, count: n)
        // The target weights of clipped entries become 0 (the clip has no gradient there).
        var weights = targets.weights
        targets.rowStart.withUnsafeBufferPointer { starts in
        targets.columns.withUnsafeBufferPointer { columns in
        weights.withUnsafeMutableBufferPointer { weights in
        rowLosses.withUnsafeMutableBufferPointer { rowLosses in
            let rowsPerItem = max(1, (1 << 15) / max(d, 1))
            let items = (n + rowsPerItem - 1) / rowsPerItem
            parallelFor(items, serial: n * d < 100_000) { item in
                for i in (item * rowsPerItem)..<min(n, (item + 1) * rowsPerItem) {
                    let row = logits + i * d
                    var sum: Float = 0
                    for k in starts[i]..<starts[i + 1] { sum += weights[k] }
                    if sum == 0 {
                        row.update(repeating: 0, count: d)
                        continue
                    }
                    let inverseTotal = 1 / exponentiate(row, count: d, bias: bias)
                    var unclippedMass: Float = 0
                    var loss = 0.0
                    for k in starts[i]..<starts[i + 1] where weights[k] != 0 {
                        let x = weights[k] / sum
                        let q = row[Int(columns[k])] * inverseTotal
                        loss -= Double(x) * Foundation.log(Double(max(q, clipFloor)))
                        if q >= clipFloor { unclippedMass += x } else { weights[k] = 0 }
                    }
                    rowLosses[i] = loss
                    // G_i while the row is still in cache: scale, then the targets' term.
                    VectorMath.scale(UnsafeMutableBufferPointer(start: row, count: d), by: unclippedMass * scale * inverseTotal)
                    for k in starts[i]..<starts[i + 1] where weights[k] != 0 {
                        row[Int(columns[k])] -= weights[k] / sum * scale
                    }
                }
            }
            guard let columnSums else { return }
            let blocks = (d + columnBlock - 1) / columnBlock
            parallelFor(blocks, serial: n * d < 100_000) { block in
                let first = block * columnBlock, last = min(d, first + columnBlock)
                for i in 0..<n {
                    VectorMath.axpy(1, UnsafeBufferPointer(start: logits + i * d + first, count: last - first),
                                    UnsafeMutableBufferPointer(start: columnSums + first, count: last - first))
                }
            }
        } } } }
        return Float(rowLosses.reduce(0, +) / Double(n))
    }

    /// row ← e^(row + bias − max(row + bias)); returns Σ of the new row. With bias the sums are
    /// formed in registers, so the stored logits stay bias-free until they are overwritten.
    @inline(__always)
    private static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int, bias: UnsafePointer<Float>?) -> Float {
        let buffer = UnsafeMutableBufferPointer(start: row, count: count)
        guard let bias else {
            return VectorMath.exponentiate(buffer, shiftedBy: VectorMath.maximum(UnsafeBufferPointer(buffer)))
        }
        let shift = VectorMath.maximum(UnsafeBufferPointer(buffer), plus: bias)
        return VectorMath.exponentiate(buffer, plus: bias, shiftedBy: shift)
    }
}
