/// An orthonormal basis for the columns of a tall matrix: block classical Gram–Schmidt run
/// twice against the finished blocks (matrix products, on the BLAS backend when there is one),
/// modified Gram–Schmidt run twice in `Double` inside each block of 16 columns.
///
/// ```
/// for each block Y_b of 16 columns:   twice: Y_b ← Y_b − Q·(Qᵀ·Y_b)          (Q = finished columns)
///                                     then inside Y_b, for j: twice: y_j ← y_j − (q_i·y_j)·q_i, i < j;  q_j = y_j / ‖y_j‖
///                                     Q ← [Q | Y_b]
/// ```
/// One pass of Gram–Schmidt loses orthogonality in proportion to the condition number of Y,
/// which is large for the power-iterated blocks of `RandomizedEigensolver`; a second pass
/// restores it to rounding level ("twice is enough", Giraud et al. 2005). Doing the projections
/// block by block turns most of the work (D·ℓ² per call) into matrix products; column by column
/// it dominated the cost of PCA on 10 000 features. A column that is (numerically) a combination
/// of the ones before it (for Float input: cancelled to ≤ 1e-5 of its length) is replaced by a
/// unit vector completing the orthonormal set, so the result always has exactly as many
/// orthonormal columns as Y.
///
/// ```swift
/// let q = Orthonormalization.orthonormalColumns(of: y)     // QᵀQ = I, span(Q) ⊇ span(Y)
/// ```
public enum Orthonormalization {
    /// Columns per block.
    static let blockWidth = 16

    /// Q (rows × columns, rows ≥ columns) with QᵀQ = I whose leading columns span those of `a`.
    public static func orthonormalColumns(of a: Matrix) -> Matrix {
        precondition(a.rows >= a.columns, "Orthonormalization: \(a.rows)×\(a.columns) has more columns than rows")
        let d = a.rows
        var basis = Matrix(rows: d, columns: 0)
        var basisColumns: [[Double]]?   // the finished columns in Double, only if a completion needs them
        var start = 0
        while start < a.columns {
            let width = min(blockWidth, a.columns - start)
            var block = Matrix(rows: d, columns: width)
            for i in 0..<d { for j in 0..<width { block.storage[i * width + j] = a.storage[i * a.columns + start + j] } }
            if basis.columns > 0 {
                for _ in 0..<2 {
                    let coefficients = LinearAlgebra.product(basis, transposeA: true, block)
                    LinearAlgebra.gemm(basis, coefficients, alpha: -1, beta: 1, into: &block)
                }
            }
            var columns = (0..<width).map { j in (0..<d).map { Double(block.storage[$0 * width + j]) } }
            let originalNorms = (0..<width).map { j in
                (0..<d).reduce(0.0) { $0 + Double(a.storage[$1 * a.columns + start + j]) * Double(a.storage[$1 * a.columns + start + j]) }.squareRoot()
            }
            // Columns cancelled down to Float rounding (≤ 1e-5 of their length) count as dependent.
            orthonormalize(&columns, originalNorms: originalNorms, dependence: 1e-5) {
                if basisColumns == nil {
                    basisColumns = (0..<basis.columns).map { j in (0..<d).map { Double(basis.storage[$0 * basis.columns + j]) } }
                }
                return basisColumns!
            }
            for j in 0..<width { for i in 0..<d { block.storage[i * width + j] = Float(columns[j][i]) } }
            basis = Matrix.hstack([basis, block])
            basisColumns = nil
            start += width
        }
        return basis
    }

    /// Orthonormalises `columns` (each of the same length, at most that many) in place.
    public static func orthonormalize(_ columns: inout [[Double]]) {
        orthonormalize(&columns, originalNorms: columns.map(norm), dependence: 1e-12) { [] }
    }

    /// Modified Gram–Schmidt twice against the earlier columns of `columns`, which are assumed
    /// already orthogonal to `finished()` (orthonormal columns, asked for only when needed).
    /// A column left with ≤ `dependence` of `originalNorms` (its length before any projection) is
    /// dependent and replaced by a unit vector completing the set. A column that lost more than
    /// 90 % of its length is projected against everything once more after normalising: what
    /// rounding left of the cancelled part is then large next to it.
    static func orthonormalize(_ columns: inout [[Double]], originalNorms: [Double], dependence: Double, finished: () -> [[Double]]) {
        guard let length = columns.first?.count else { return }
        precondition(columns.count <= length, "Orthonormalization: \(columns.count) columns of length \(length)")
        for j in 0..<columns.count {
            for _ in 0..<2 {
                for i in 0..<j { subtractProjection(of: &columns[j], onto: columns[i]) }
            }
            let remaining = norm(columns[j])
            var dependent = remaining == 0 || remaining <= dependence * originalNorms[j]
            if !dependent {
                scale(&columns[j], by: 1 / remaining)
                if remaining < 0.1 * originalNorms[j] {
                    let earlier = finished() + Array(columns[0..<j])
                    for _ in 0..<2 { for q in earlier { subtractProjection(of: &columns[j], onto: q) } }
                    let again = norm(columns[j])
                    if again < 0.5 { dependent = true } else { scale(&columns[j], by: 1 / again) }
                }
            }
            if dependent {
                columns[j] = SingularValueDecomposition.completingColumn(finished() + Array(columns[0..<j]), length: length)
            }
        }
    }

    @inline(__always)
    static func scale(_ x: inout [Double], by factor: Double) {
        for k in x.indices { x[k] *= factor }
    }

    @inline(__always)
    static func norm(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v * v }
        return s.squareRoot()
    }

    /// x ← x − (q·x)·q for a unit vector q.
    @inline(__always)
    static func subtractProjection(of x: inout [Double], onto q: [Double]) {
        x.withUnsafeMutableBufferPointer { xp in
            q.withUnsafeBufferPointer { qp in
                var d = 0.0
                for k in 0..<xp.count { d += qp[k] * xp[k] }
                for k in 0..<xp.count { xp[k] -= d * qp[k] }
            }
        }
    }
}
