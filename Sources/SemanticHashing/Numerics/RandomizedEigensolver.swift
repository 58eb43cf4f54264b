/// The k largest eigenpairs of a symmetric D × D operator that is only
/// available as "multiply a D × m block by A", by randomized subspace iteration with
/// Rayleigh–Ritz extraction (Halko, Martinsson & Tropp, SIAM Review 2011, algorithms 4.4 and 5.3).
///
/// ```
/// ℓ = min(D, k + p)                       p = oversampling
/// Q ← orth(A·Ω)                           Ω: D × ℓ standard normal (seeded)
/// repeat:  Y ← A·Q;  T ← Qᵀ·Y = W·diag(θ)·Wᵀ  (Rayleigh–Ritz, in Double)
///          stop when every θ_j, j < k, moved by ≤ tolerance·θ_j since the last step
///          Q ← orth(Y)
/// λ_j ≈ θ_j,   v_j ≈ Q·w_j                (j < k)
/// ```
/// After t steps the error of v_j shrinks like (λ_ℓ / λ_j)^t and that of θ_j like its square, so
/// oversampling buys speed: ℓ is where the spectrum has fallen far enough below λ_k.
///
/// Defaults, and why:
/// - oversampling p = max(10, k), so ℓ ≈ 2k: on spectra that decay like 1/j (bag-of-words
///   covariances do, roughly) λ_2k / λ_k ≈ 1/2, and 10 extra vectors keep small k safe. The
///   cost per step grows only linearly (products) and quadratically in ℓ (orthonormalisation),
///   both small next to the sparse products for the code lengths used here.
/// - at most 25 steps with tolerance 1e-5: with λ_ℓ/λ_k ≈ 1/2 the k-th vector is accurate to
///   ~1e-6 after 20 steps; the Ritz values usually settle in 8–15. The products are in Float
///   (relative rounding ~1e-6 in Y), so a tighter tolerance would only wait for noise.
/// - when k + p ≥ D the basis is the whole space (Q = I) and the result is exact in one product.
/// A must be symmetric. The iteration converges to the eigenvalues largest in magnitude, and
/// Rayleigh–Ritz keeps the k algebraically largest of the ℓ it holds, so an indefinite A is fine
/// as long as fewer than ℓ − k of its negative eigenvalues exceed λ_k in magnitude (SSH's matrix
/// has at most one negative eigenvalue). Shifting A by +σ·I instead would squeeze the ratios
/// λ_ℓ/λ_k towards 1 and slow convergence.
///
/// ```swift
/// let centred = CenteredFeatures(x)
/// let top = RandomizedEigensolver.largestEigenpairs(count: 16, dimension: x.columns, seed: 20) { centred.covarianceTimes($0) }
/// ```
public enum RandomizedEigensolver {
    public struct Result: Sendable {
        /// θ₀ ≥ θ₁ ≥ … (k values).
        public var values: [Double]
        /// D × k, orthonormal columns (the Ritz vectors, each signed so its largest-magnitude entry is positive).
        public var vectors: Matrix
        /// Operator products A·Q used (each on a D × ℓ block).
        public var products: Int
        /// Whether the tolerance was met before the step limit (always true for the exact Q = I case).
        public var converged: Bool
    }

    public static let defaultMaximumIterations = 25
    public static let defaultTolerance = 1e-5

    /// p = max(10, k).
    public static func defaultOversampling(count k: Int) -> Int { max(10, k) }

    public static func largestEigenpairs(count k: Int, dimension d: Int, seed: UInt64, oversampling: Int? = nil,
                                         maximumIterations: Int = defaultMaximumIterations,
                                         tolerance: Double = defaultTolerance,
                                         applying product: (Matrix) -> Matrix) -> Result {
        precondition(k >= 0 && k <= d, "RandomizedEigensolver: \(k) eigenpairs of a \(d)-dimensional operator")
        precondition(maximumIterations >= 1, "RandomizedEigensolver: at least one iteration")
        let width = min(d, k + (oversampling ?? defaultOversampling(count: k)))
        func apply(_ q: Matrix) -> Matrix {
            let y = product(q)
            precondition(y.rows == d && y.columns == q.columns, "RandomizedEigensolver: the operator returned \(y.rows)×\(y.columns) for \(q.rows)×\(q.columns)")
            return y
        }

        if width == d {
            var identity = Matrix(rows: d, columns: d)
            for i in 0..<d { identity[i, i] = 1 }
            let ritz = rayleighRitz(identity, apply(identity))
            return Result(values: Array(ritz.values.prefix(k)), vectors: ritz.leadingVectors(k),
                          products: 1, converged: true)
        }

        var rng = RandomSource(seed: seed)
        var omega = Matrix(rows: d, columns: width)
        for i in omega.storage.indices { omega.storage[i] = rng.normal() }
        var q = Orthonormalization.orthonormalColumns(of: apply(omega))
        var products = 1
        var previous: [Double]?
        var converged = false
        var ritz = SymmetricEigendecomposition(symmetric: [], size: 0)
        for _ in 0..<maximumIterations {
            let y = apply(q)
            products += 1
            ritz = rayleighRitz(q, y)
            let theta = Array(ritz.values.prefix(k))
            if let previous, zip(theta, previous).allSatisfy({ abs($0 - $1) <= tolerance * max(abs($0), Double.leastNormalMagnitude) }) {
                converged = true
                break
            }
            previous = theta
            q = Orthonormalization.orthonormalColumns(of: y)
        }
        // The Ritz vectors of the last Rayleigh–Ritz, Q·W (the last `q` is the basis that produced it
        // unless the loop ran out, in which case recompute T for the latest basis).
        if !converged {
            ritz = rayleighRitz(q, apply(q))
            products += 1
        }
        var vectors = LinearAlgebra.product(q, ritz.leadingVectors(k))
        for j in 0..<k {
            var largest: Float = 0
            for i in 0..<d where abs(vectors[i, j]) > abs(largest) { largest = vectors[i, j] }
            if largest < 0 { for i in 0..<d { vectors[i, j] = -vectors[i, j] } }
        }
        return Result(values: Array(ritz.values.prefix(k)), vectors: vectors, products: products, converged: converged)
    }

    /// Rows per partial product in `rayleighRitz`.
    static let rayleighRitzChunk = 512

    /// The eigendecomposition of T = Qᵀ·Y (ℓ × ℓ). T is summed in Double over chunks of 512 rows,
    /// each chunk a Float matrix product: nearly Double accuracy (a 512-term Float sum errs by
    /// ~1e-6 of its size, instead of ~1e-5 for 10 000 terms, which would blur the small Ritz
    /// values the stopping test compares) at matrix-product speed.
    private static func rayleighRitz(_ q: Matrix, _ y: Matrix) -> SymmetricEigendecomposition {
        let l = q.columns, d = q.rows
        var t = [Double](repeating: 0, count: l * l)
        var start = 0
        while start < d {
            let end = min(d, start + rayleighRitzChunk)
            let qc = Matrix(rows: end - start, columns: l, storage: Array(q.storage[(start * l)..<(end * l)]))
            let yc = Matrix(rows: end - start, columns: l, storage: Array(y.storage[(start * l)..<(end * l)]))
            let partial = LinearAlgebra.product(qc, transposeA: true, yc)
            for k in 0..<(l * l) { t[k] += Double(partial.storage[k]) }
            start = end
        }
        return SymmetricEigendecomposition(symmetric: t, size: l)
    }
}
