/// Sparse × dense kernels for bag-of-words inputs (tens of non-zeros per row in ~10 000 columns),
/// the forward and weight-gradient products of a first layer over such inputs.
///
/// ```
/// sparseTimesDense:           C[i, :] = Σ_{(i, c, v) ∈ S} v · W[c, :]            (C ← S·W)
/// sparseTransposeTimesDense:  G_W[c, :] = Σ_{(i, c, v) ∈ S} v · G[i, :]          (G_W ← Sᵀ·G)
///                             stored only for the columns c that S uses
/// ```
/// Both are sums of scaled rows of a dense matrix, done by the vector kernels' `weightedRowSum`.
/// The terms are added in the same order as a row-by-row dense product, so results equal the
/// densified computation up to float rounding (bit-for-bit against a plain sequential loop).
///
/// ```swift
/// var hidden = Matrix(rows: s.rows, columns: w.columns)
/// SparseKernels.sparseTimesDense(s, w, accumulate: false, into: &hidden)
/// let gradient = SparseKernels.sparseTransposeTimesDense(s, g)   // rows = used vocabulary
/// ```
/// (`SparseTransposeProduct` computes Sᵀ·G row by row, for callers that consume it that way.)
enum SparseKernels {
    /// Below this many multiply-adds the kernels stay on the calling thread.
    static let parallelThreshold = 200_000

    static func sparseTimesDense(_ s: SparseMatrix, _ w: Matrix, accumulate: Bool, into c: inout Matrix) {
        let width = w.columns
        let rows = s.rows
        if rows == 0 || width == 0 { return }
        let tasks = min(ParallelExecution.threadCount, rows)
        let serial = s.nonZeroCount * width < parallelThreshold
        s.rowStart.withUnsafeBufferPointer { starts in
            s.columnIndices.withUnsafeBufferPointer { columns in
                s.values.withUnsafeBufferPointer { values in
                    w.storage.withUnsafeBufferPointer { source in
                        c.storage.withUnsafeMutableBufferPointer { output in
                            let kernels = VectorKernelLevel.kernels
                            parallelFor(serial ? 1 : tasks, serial: serial) { task in
                                for i in ParallelExecution.chunk(task, of: serial ? 1 : tasks, total: rows) {
                                    let first = starts[i]
                                    kernels.weightedRowSum(indices: columns.baseAddress.map { $0 + first },
                                                           weights: values.baseAddress.map { $0 + first },
                                                           count: starts[i + 1] - first,
                                                           source: source.baseAddress, width: width,
                                                           into: output.baseAddress! + i * width, accumulate: accumulate)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func sparseTransposeTimesDense(_ s: SparseMatrix, _ g: Matrix) -> RowSparseMatrix {
        SparseTransposeProduct(s, g).materialized()
    }
}
