/// Sparse × dense kernels for bag-of-words inputs (tens of non-zeros per row in ~10 000 columns),
/// the forward and weight-gradient products of a first layer over such inputs.
///
/// ```
/// sparseTimesDense:           C[i, :] = Σ_{(i, c, v) ∈ S} v · W[c, :]            (C ← S·W)
/// sparseTransposeTimesDense:  G_W[c, :] = Σ_{(i, c, v) ∈ S} v · G[i, :]          (G_W ← Sᵀ·G)
///                             stored only for the columns c that S uses
/// ```
/// Both are sums of scaled rows of a dense matrix, done by `weightedRowSum`. The terms are added
/// in the same order as a row-by-row dense product, so results equal the densified computation
/// up to float rounding (bit-for-bit against a plain sequential loop).
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
                            parallelFor(serial ? 1 : tasks, serial: serial) { task in
                                for i in ParallelExecution.chunk(task, of: serial ? 1 : tasks, total: rows) {
                                    let first = starts[i]
                                    weightedRowSum(indices: columns.baseAddress.map { $0 + first },
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

    /// out[0..<width] (+)= Σ_k weights[k] · source[indices[k] · width ..< indices[k] · width + width].
    ///
    /// Sums four source rows per sweep over the output: each row is read front to back (a
    /// sequential stream the hardware prefetcher follows, which matters because the rows are
    /// scattered through a matrix larger than L2), and the output, which stays in L1, is loaded
    /// and stored once per four rows. Terms are still added one at a time in index order.
    /// Pointers may be nil only when `count` is 0 (empty arrays).
    @inline(__always)
    static func weightedRowSum(indices: UnsafePointer<Int32>?, weights: UnsafePointer<Float>?, count: Int,
                               source: UnsafePointer<Float>?, width: Int,
                               into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        guard count > 0, let indices, let weights, let source else {
            if !accumulate { out.update(repeating: 0, count: width) }
            return
        }
        let vectorWidth = width & ~7
        var k = 0
        var fresh = !accumulate
        while k < count {
            let group = min(4, count - k)
            let r0 = source + Int(indices[k]) * width
            let r1 = group > 1 ? source + Int(indices[k + 1]) * width : r0
            let r2 = group > 2 ? source + Int(indices[k + 2]) * width : r0
            let r3 = group > 3 ? source + Int(indices[k + 3]) * width : r0
            let w0 = weights[k]
            // Unused slots multiply by nothing: their terms are skipped below, not added as zero,
            // so a group of fewer than four rows sums exactly the same terms in the same order.
            let w1 = group > 1 ? weights[k + 1] : 0, w2 = group > 2 ? weights[k + 2] : 0
            let w3 = group > 3 ? weights[k + 3] : 0
            let v0 = SIMD8(repeating: w0), v1 = SIMD8(repeating: w1)
            let v2 = SIMD8(repeating: w2), v3 = SIMD8(repeating: w3)
            var j = 0
            if group == 4 {
                while j < vectorWidth {
                    let target = UnsafeMutableRawPointer(out + j)
                    var a = fresh ? SIMD8<Float>() : target.loadUnaligned(as: SIMD8<Float>.self)
                    a = a + v0 * UnsafeRawPointer(r0 + j).loadUnaligned(as: SIMD8<Float>.self)
                    a = a + v1 * UnsafeRawPointer(r1 + j).loadUnaligned(as: SIMD8<Float>.self)
                    a = a + v2 * UnsafeRawPointer(r2 + j).loadUnaligned(as: SIMD8<Float>.self)
                    a = a + v3 * UnsafeRawPointer(r3 + j).loadUnaligned(as: SIMD8<Float>.self)
                    target.storeBytes(of: a, as: SIMD8<Float>.self)
                    j += 8
                }
            } else {
                while j < vectorWidth {
                    let target = UnsafeMutableRawPointer(out + j)
                    var a = fresh ? SIMD8<Float>() : target.loadUnaligned(as: SIMD8<Float>.self)
                    a = a + v0 * UnsafeRawPointer(r0 + j).loadUnaligned(as: SIMD8<Float>.self)
                    if group > 1 { a = a + v1 * UnsafeRawPointer(r1 + j).loadUnaligned(as: SIMD8<Float>.self) }
                    if group > 2 { a = a + v2 * UnsafeRawPointer(r2 + j).loadUnaligned(as: SIMD8<Float>.self) }
                    target.storeBytes(of: a, as: SIMD8<Float>.self)
                    j += 8
                }
            }
            while j < width {
                var a: Float = fresh ? 0 : out[j]
                a += w0 * r0[j]
                if group > 1 { a += w1 * r1[j] }
                if group > 2 { a += w2 * r2[j] }
                if group > 3 { a += w3 * r3[j] }
                out[j] = a
                j += 1
            }
            fresh = false
            k += group
        }
    }
}
