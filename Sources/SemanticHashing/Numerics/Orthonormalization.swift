/// An orthonormal basis for the columns of a tall matrix, by modified Gram–Schmidt run twice, in
/// `Double`.
///
/// ```
/// for j = 0, 1, …:   q_j ← a_j;  twice: for i < j: q_j ← q_j − (q_i·q_j)·q_i;   q_j ← q_j / ‖q_j‖
/// ```
/// One pass of modified Gram–Schmidt loses orthogonality in proportion to the condition number
/// of A, which is large for the power-iterated blocks of `RandomizedEigensolver`; a second pass
/// restores it to rounding level ("twice is enough"). A column that is (numerically) a
/// combination of the ones before it is replaced by a unit vector completing the orthonormal
/// set, so the result always has exactly as many orthonormal columns as A.
///
/// ```swift
/// let q = Orthonormalization.orthonormalColumns(of: y)     // QᵀQ = I, span(Q) ⊇ span(Y)
/// ```
public enum Orthonormalization {
    /// Q (rows × columns, rows ≥ columns) with QᵀQ = I whose leading columns span those of `a`.
    public static func orthonormalColumns(of a: Matrix) -> Matrix {
        precondition(a.rows >= a.columns, "Orthonormalization: \(a.rows)×\(a.columns) has more columns than rows")
        var columns = (0..<a.columns).map { j in (0..<a.rows).map { Double(a.storage[$0 * a.columns + j]) } }
        orthonormalize(&columns)
        var out = Matrix(rows: a.rows, columns: a.columns)
        for (j, column) in columns.enumerated() {
            for i in 0..<a.rows { out.storage[i * a.columns + j] = Float(column[i]) }
        }
        return out
    }

    /// Orthonormalises `columns` (each of the same length, at most that many) in place.
    public static func orthonormalize(_ columns: inout [[Double]]) {
        guard let length = columns.first?.count else { return }
        precondition(columns.count <= length, "Orthonormalization: \(columns.count) columns of length \(length)")
        for j in 0..<columns.count {
            let original = norm(columns[j])
            for _ in 0..<2 {
                for i in 0..<j { subtractProjection(of: &columns[j], onto: columns[i]) }
            }
            let remaining = norm(columns[j])
            if remaining > 1e-12 * original && remaining > 0 {
                let inverse = 1 / remaining
                for k in 0..<length { columns[j][k] *= inverse }
            } else {
                columns[j] = SingularValueDecomposition.completingColumn(Array(columns[0..<j]), length: length)
            }
        }
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
