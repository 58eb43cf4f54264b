/// The matrix products the models need, dispatched to the active `ComputeBackend`.
///
/// ```
/// gemm:                 C ← α·op(A)·op(B) + β·C        op(X) = X or Xᵀ
/// sparseTimesDense:     C ← S·W                         S sparse (n×D), W dense (D×H)
/// sparseTransposeTimes: G_W ← Sᵀ·G  on the rows of W that S touches (row-sparse result)
/// ```
public enum LinearAlgebra {
    /// C ← α·op(A)·op(B) + β·C.
    public static func gemm(_ a: Matrix, transposeA: Bool = false,
                            _ b: Matrix, transposeB: Bool = false,
                            alpha: Float = 1, beta: Float = 0, into c: inout Matrix) {
        ComputeBackend.current.gemm(a, transposeA: transposeA, b, transposeB: transposeB, alpha: alpha, beta: beta, into: &c)
    }

    /// Returns op(A)·op(B).
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// C ← S·W (+ C when `accumulate`), never densifying S.
    public static func sparseTimesDense(_ s: SparseMatrix, _ w: Matrix, accumulate: Bool = false, into c: inout Matrix) {
        precondition(s.columns == w.rows, "sparseTimesDense: S is \(s.rows)×\(s.columns), W is \(w.rows)×\(w.columns)")
        precondition(c.rows == s.rows && c.columns == w.columns, "sparseTimesDense: output shape")
        PhaseProfiler.during(.sparseInput) { SparseKernels.sparseTimesDense(s, w, accumulate: accumulate, into: &c) }
    }

    /// Sᵀ·G restricted to the rows of the result that can be non-zero (the columns S uses).
    public static func sparseTransposeTimesDense(_ s: SparseMatrix, _ g: Matrix) -> RowSparseMatrix {
        precondition(s.rows == g.rows, "sparseTransposeTimesDense: S has \(s.rows) rows, G has \(g.rows)")
        return PhaseProfiler.during(.sparseInput) { SparseKernels.sparseTransposeTimesDense(s, g) }
    }
}

/// A matrix whose only non-zero rows are `rowIndices` (sorted), stored compactly in `values`:
/// row `rowIndices[k]` of the full matrix is row `k` of `values`. The gradient of an embedding-like
/// first layer over sparse inputs has this shape.
public struct RowSparseMatrix: Sendable {
    public var fullRows: Int
    public var rowIndices: [Int32]
    public var values: Matrix

    public init(fullRows: Int, rowIndices: [Int32], values: Matrix) {
        precondition(rowIndices.count == values.rows, "RowSparseMatrix: \(rowIndices.count) indices for \(values.rows) rows")
        self.fullRows = fullRows
        self.rowIndices = rowIndices
        self.values = values
    }

    public func densified() -> Matrix {
        var out = Matrix(rows: fullRows, columns: values.columns)
        for (k, r) in rowIndices.enumerated() {
            for j in 0..<values.columns { out[Int(r), j] = values[k, j] }
        }
        return out
    }
}
