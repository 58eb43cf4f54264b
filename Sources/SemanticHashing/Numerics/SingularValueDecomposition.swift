import Foundation

/// The singular value decomposition of a small matrix with at least as many rows as columns, by
/// one-sided (Hestenes) Jacobi rotations in `Double`.
///
/// ```
/// A = U·diag(σ)·Vᵀ        A: m × n (m ≥ n),  U: m × n with UᵀU = I,  V: n × n orthogonal,  σ₀ ≥ … ≥ 0
/// each step rotates columns p, q of A (and of V) until they are orthogonal:
///   α = ‖a_p‖², β = ‖a_q‖², γ = a_p·a_q,  ζ = (β − α) / 2γ,  t = sign(ζ) / (|ζ| + √(1 + ζ²))
///   c = 1/√(1 + t²), s = t·c:   a_p ← c·a_p − s·a_q,  a_q ← s·a_p + c·a_q
/// then σ_j = ‖a_j‖ and u_j = a_j / σ_j.
/// ```
/// One-sided Jacobi works on A itself rather than AᵀA, so small singular values keep their
/// accuracy. Columns whose σ is negligible (rank-deficient A) get U columns that complete an
/// orthonormal set, so U always has orthonormal columns: `orthogonalFactor` (the nearest
/// orthogonal matrix, U·Vᵀ) is then orthogonal even for singular A.
///
/// ```swift
/// let svd = SingularValueDecomposition(rowMajor: m, rows: 3, columns: 3)
/// let r = svd.orthogonalFactor()          // argmax over orthogonal R of tr(Rᵀ·M)
/// ```
public struct SingularValueDecomposition: Sendable {
    public let rows: Int
    public let columns: Int
    /// σ, largest first.
    public let singularValues: [Double]
    /// Row-major rows × columns, orthonormal columns.
    public let u: [Double]
    /// Row-major columns × columns, orthogonal.
    public let v: [Double]

    public init(rowMajor a: [Double], rows m: Int, columns n: Int) {
        precondition(a.count == m * n, "SingularValueDecomposition: \(a.count) entries for \(m)×\(n)")
        precondition(m >= n, "SingularValueDecomposition: needs rows ≥ columns, got \(m)×\(n)")
        // Column-major working copies: column j of A is work[j*m ..< (j+1)*m].
        var work = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { work[j * m + i] = a[i * n + j] } }
        var vc = [Double](repeating: 0, count: n * n)
        for j in 0..<n { vc[j * n + j] = 1 }

        for _ in 0..<Self.maximumSweeps {
            var rotated = false
            for p in 0..<max(0, n - 1) {
                for q in (p + 1)..<n {
                    var alpha = 0.0, beta = 0.0, gamma = 0.0
                    for i in 0..<m {
                        let x = work[p * m + i], y = work[q * m + i]
                        alpha += x * x; beta += y * y; gamma += x * y
                    }
                    if gamma == 0 || abs(gamma) <= 1e-15 * (alpha * beta).squareRoot() { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * gamma)
                    let t = abs(zeta) > 1e150 ? 1 / (2 * zeta)
                        : (zeta >= 0 ? 1 : -1) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot()
                    let s = t * c
                    for i in 0..<m {
                        let x = work[p * m + i], y = work[q * m + i]
                        work[p * m + i] = c * x - s * y
                        work[q * m + i] = s * x + c * y
                    }
                    for i in 0..<n {
                        let x = vc[p * n + i], y = vc[q * n + i]
                        vc[p * n + i] = c * x - s * y
                        vc[q * n + i] = s * x + c * y
                    }
                }
            }
            if !rotated { break }
        }

        var norms = (0..<n).map { j in (0..<m).reduce(0.0) { $0 + work[j * m + $1] * work[j * m + $1] }.squareRoot() }
        let order = (0..<n).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        let largest = order.first.map { norms[$0] } ?? 0
        let negligible = max(Double(m) * 1e-15 * largest, Double.leastNormalMagnitude)

        var uColumns: [[Double]] = []
        var sigma: [Double] = []
        var vOut = [Double](repeating: 0, count: n * n)
        for (j, source) in order.enumerated() {
            let column = Array(work[source * m ..< (source + 1) * m])
            if norms[source] > negligible {
                uColumns.append(column.map { $0 / norms[source] })
                sigma.append(norms[source])
            } else {
                uColumns.append(Self.completingColumn(uColumns, length: m))
                sigma.append(0)
                norms[source] = 0
            }
            for i in 0..<n { vOut[i * n + j] = vc[source * n + i] }
        }
        var uOut = [Double](repeating: 0, count: m * n)
        for j in 0..<n { for i in 0..<m { uOut[i * n + j] = uColumns[j][i] } }
        rows = m
        columns = n
        singularValues = sigma
        u = uOut
        v = vOut
    }

    /// The SVD of a Float matrix (computed in Double).
    public init(_ a: Matrix) {
        self.init(rowMajor: a.storage.map(Double.init), rows: a.rows, columns: a.columns)
    }

    /// U·Vᵀ (rows × columns): for square A the orthogonal R maximising tr(Rᵀ·A), i.e. the
    /// solution of the orthogonal Procrustes problem min ‖B − X·R‖ with A = Xᵀ·B.
    public func orthogonalFactor() -> Matrix {
        var out = Matrix(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns {
                var s = 0.0
                for k in 0..<columns { s += u[i * columns + k] * v[j * columns + k] }
                out[i, j] = Float(s)
            }
        }
        return out
    }

    static let maximumSweeps = 60

    /// A unit vector orthogonal to `basis` (orthonormal columns, fewer than m): the standard basis
    /// vector that keeps most of its length after projecting the basis out twice (some keeps at
    /// least √((m − k)/m) of it), normalised.
    static func completingColumn(_ basis: [[Double]], length m: Int) -> [Double] {
        precondition(basis.count < m, "completingColumn: \(basis.count) columns already span R^\(m)")
        var best: [Double] = []
        var bestNorm = -1.0
        for e in 0..<m {
            var x = [Double](repeating: 0, count: m)
            x[e] = 1
            for _ in 0..<2 {
                for b in basis {
                    var d = 0.0
                    for i in 0..<m { d += b[i] * x[i] }
                    for i in 0..<m { x[i] -= d * b[i] }
                }
            }
            let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > bestNorm { best = x; bestNorm = norm }
            if norm > 0.7 { break }
        }
        return best.map { $0 / bestNorm }
    }
}
