import Foundation

/// All eigenvalues and eigenvectors of a small symmetric matrix, by the cyclic Jacobi method in
/// `Double`.
///
/// ```
/// A = V·diag(λ)·Vᵀ,   VᵀV = I,   λ₀ ≥ λ₁ ≥ … ≥ λₙ₋₁
/// each step:  A ← JᵀAJ,  V ← VJ   with J the plane rotation in (p, q) that zeroes A[p, q]
///             t = sign(τ) / (|τ| + √(1 + τ²)),  τ = (A[q,q] − A[p,p]) / 2A[p,q],  c = 1/√(1 + t²),  s = t·c
/// ```
/// Sweeps over every pair (p, q) until the off-diagonal mass is below 1e-15 of the whole (quadratic
/// convergence: about 6–10 sweeps). Jacobi is chosen over tridiagonal QL for its accuracy on
/// small eigenvalues and its short, checkable code; the matrices here are at most a few hundred
/// wide (Rayleigh–Ritz blocks, class-probability covariances), where n³ per sweep is milliseconds.
/// Each eigenvector's largest-magnitude entry is made positive, so results do not depend on the
/// rotation order's sign choices.
///
/// ```swift
/// let e = SymmetricEigendecomposition(symmetric: [2, 1, 1, 2], size: 2)
/// e.values          // [3, 1];  e.vector(0) ≈ [0.707, 0.707]
/// ```
public struct SymmetricEigendecomposition: Sendable {
    public let size: Int
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Row-major size × size; column j is the unit eigenvector of `values[j]`.
    public let vectors: [Double]

    /// Decomposes the symmetric row-major `size × size` matrix `a` (only symmetry up to rounding is
    /// assumed: the average of A and Aᵀ is used).
    public init(symmetric a: [Double], size n: Int) {
        precondition(a.count == n * n, "SymmetricEigendecomposition: \(a.count) entries for \(n)×\(n)")
        var m = a
        for i in 0..<n { for j in (i + 1)..<n { let s = 0.5 * (m[i * n + j] + m[j * n + i]); m[i * n + j] = s; m[j * n + i] = s } }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        Self.diagonalize(&m, &v, n)

        let order = (0..<n).sorted { m[$0 * n + $0] > m[$1 * n + $1] || (m[$0 * n + $0] == m[$1 * n + $1] && $0 < $1) }
        values = order.map { m[$0 * n + $0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (j, source) in order.enumerated() {
            var largest = 0.0
            for i in 0..<n where abs(v[i * n + source]) > abs(largest) { largest = v[i * n + source] }
            let sign: Double = largest < 0 ? -1 : 1
            for i in 0..<n { sorted[i * n + j] = sign * v[i * n + source] }
        }
        vectors = sorted
        size = n
    }

    /// Decomposes a square Float matrix (computed in Double).
    public init(symmetric a: Matrix) {
        precondition(a.rows == a.columns, "SymmetricEigendecomposition: \(a.rows)×\(a.columns) is not square")
        self.init(symmetric: a.storage.map(Double.init), size: a.rows)
    }

    /// Eigenvector j (a copy of column j of `vectors`).
    public func vector(_ j: Int) -> [Double] { (0..<size).map { vectors[$0 * size + j] } }

    /// The first `count` eigenvectors as the columns of a Float matrix (size × count).
    public func leadingVectors(_ count: Int) -> Matrix {
        precondition(count >= 0 && count <= size, "SymmetricEigendecomposition: \(count) of \(size) vectors")
        var out = Matrix(rows: size, columns: count)
        for i in 0..<size { for j in 0..<count { out[i, j] = Float(vectors[i * size + j]) } }
        return out
    }

    static let maximumSweeps = 60

    /// Cyclic Jacobi sweeps on the row-major n × n `a` (left nearly diagonal), accumulating the
    /// rotations into `v`.
    private static func diagonalize(_ a: inout [Double], _ v: inout [Double], _ n: Int) {
        guard n > 1 else { return }
        var total = 0.0
        for x in a { total += x * x }
        if total == 0 { return }
        for _ in 0..<maximumSweeps {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where j != i { off += a[i * n + j] * a[i * n + j] } }
            if off <= 1e-30 * total { return }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    // Entries already negligible next to both diagonal entries are left alone.
                    if abs(apq) <= 1e-18 * (abs(a[p * n + p]) + abs(a[q * n + q])) || apq == 0 { continue }
                    let tau = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = abs(tau) > 1e150 ? 1 / (2 * tau)
                        : (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot()
                    let s = t * c
                    // A ← A·J (columns p, q), then A ← Jᵀ·A (rows p, q), V ← V·J.
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
    }
}
