/// A product split into independent blocks of C, each computed by a single-threaded kernel call
/// on the `WorkerPool`, so one set of threads serves both the products and everything between
/// them (a multi-threaded BLAS keeps its own threads spinning after each call, and they then
/// compete with ours for the same cores).
///
/// ```
/// columns:  C[:, J] ← α·op(A)·op(B)[:, J] + β·C[:, J]     J = blocks of 16-aligned columns
/// rows:     C[I, :] ← α·op(A)[I, :]·op(B) + β·C[I, :]     I = blocks of 4-aligned rows
/// ```
/// Every element of C is computed by one call from the same row of op(A) and column of op(B),
/// so splitting does not change the order of the sum over k within a block kernel. C is split
/// by columns when it is wide (each block re-reads the small op(A)), otherwise by rows.
///
/// ```swift
/// BlockedGEMM.run(false, true, m, n, k, 1, a, lda, b, ldb, 0, c, ldc, threads: 2, kernel: library.gemm)
/// ```
enum BlockedGEMM {
    /// Below this many multiply-adds one call on the calling thread is faster.
    static let parallelThreshold = 1 << 18
    /// Column blocks are multiples of this (a BLAS register tile spans 16 row-major columns).
    static let columnGranularity = 16
    /// Row blocks are multiples of this.
    static let rowGranularity = 4

    static func run(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, threads: Int,
                    kernel: ComputeBackend.GEMMFunction) {
        if threads <= 1 || m * n * k < parallelThreshold {
            kernel(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if n >= 8 * columnGranularity * threads {
            // Twice as many blocks as threads, so a thread the machine pauses costs half a block.
            let blocks = min(2 * threads, n / (4 * columnGranularity))
            parallelFor(blocks) { block in
                let columns = ParallelExecution.chunk(block, of: blocks, total: n, granularity: columnGranularity)
                guard !columns.isEmpty else { return }
                let bBlock = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                kernel(transposeA, transposeB, m, columns.count, k, alpha, a, lda, bBlock, ldb, beta, c + columns.lowerBound, ldc)
            }
        } else if m >= 4 * rowGranularity * threads {
            parallelFor(threads) { block in
                let rows = ParallelExecution.chunk(block, of: threads, total: m, granularity: rowGranularity)
                guard !rows.isEmpty else { return }
                let aBlock = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                kernel(transposeA, transposeB, rows.count, n, k, alpha, aBlock, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
            }
        } else {
            kernel(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }
}
