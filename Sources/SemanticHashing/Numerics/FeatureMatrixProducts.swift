/// The products of a feature matrix that linear methods need, with the sparse case never
/// densified.
///
/// ```
/// times(W)          = X·W        (n × k)      sparse: one sparse × dense product
/// times(W, plus: b)  = X·W + 1·b  (n × k)      the product accumulated onto the broadcast row b
/// transposeTimes(G) = Xᵀ·G       (D × k)      sparse: Xᵀ·G on the used columns, zero elsewhere
/// columnMeans()     = μ = (1/n)·1ᵀX  (1 × D)  summed in Double
/// rowBlock(r)       = the rows in the range r, same kind
/// ```
///
/// ```swift
/// let projected = x.times(w)                 // n × B
/// let mean = x.columnMeans()                 // 1 × D
/// ```
extension FeatureMatrix {
    /// X·W.
    public func times(_ w: Matrix) -> Matrix {
        precondition(columns == w.rows, "FeatureMatrix.times: X has \(columns) columns, W has \(w.rows) rows")
        var out = Matrix(rows: rows, columns: w.columns)
        switch self {
        case .sparse(let s): LinearAlgebra.sparseTimesDense(s, w, into: &out)
        case .dense(let d): LinearAlgebra.gemm(d, w, into: &out)
        }
        return out
    }

    /// X·W + b for a row b (1 × k): starts from b broadcast to every row and accumulates the
    /// product onto it, one pass fewer than adding b afterwards (dense layers, affine hash functions).
    public func times(_ w: Matrix, plus bias: Matrix) -> Matrix {
        precondition(columns == w.rows && bias.rows == 1 && bias.columns == w.columns,
                     "FeatureMatrix.times(_:plus:): X has \(columns) columns, W is \(w.rows)×\(w.columns), b \(bias.rows)×\(bias.columns)")
        var out = Matrix(rows: rows, columns: w.columns, storage: Array(repeatedRows: bias.storage, count: rows))
        switch self {
        case .sparse(let s): LinearAlgebra.sparseTimesDense(s, w, accumulate: true, into: &out)
        case .dense(let d): LinearAlgebra.gemm(d, w, beta: 1, into: &out)
        }
        return out
    }

    /// Xᵀ·G as a dense D × k matrix.
    public func transposeTimes(_ g: Matrix) -> Matrix {
        precondition(rows == g.rows, "FeatureMatrix.transposeTimes: X has \(rows) rows, G has \(g.rows)")
        switch self {
        case .sparse(let s):
            let compact = LinearAlgebra.sparseTransposeTimesDense(s, g)
            var out = Matrix(rows: columns, columns: g.columns)
            let width = g.columns
            compact.values.storage.withUnsafeBufferPointer { source in
                out.storage.withUnsafeMutableBufferPointer { target in
                    for (k, row) in compact.rowIndices.enumerated() {
                        for j in 0..<width { target[Int(row) * width + j] = source[k * width + j] }
                    }
                }
            }
            return out
        case .dense(let d):
            return LinearAlgebra.product(d, transposeA: true, g)
        }
    }

    /// The mean of every column (1 × D); all zeros for an empty matrix.
    public func columnMeans() -> Matrix {
        var sums = [Double](repeating: 0, count: columns)
        switch self {
        case .sparse(let s):
            for k in 0..<s.nonZeroCount { sums[Int(s.columnIndices[k])] += Double(s.values[k]) }
        case .dense(let d):
            d.storage.withUnsafeBufferPointer { x in
                for i in 0..<d.rows { for j in 0..<d.columns { sums[j] += Double(x[i * d.columns + j]) } }
            }
        }
        let scale = rows == 0 ? 0 : 1 / Double(rows)
        return Matrix(rows: 1, columns: columns, storage: sums.map { Float($0 * scale) })
    }

    /// The rows in `range`, as the same kind of matrix.
    public func rowBlock(_ range: Range<Int>) -> FeatureMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "FeatureMatrix.rowBlock: \(range) outside 0..<\(rows)")
        switch self {
        case .sparse(let s):
            let first = s.rowStart[range.lowerBound], last = s.rowStart[range.upperBound]
            return .sparse(SparseMatrix(rows: range.count, columns: s.columns,
                                        rowStart: s.rowStart[range.lowerBound...range.upperBound].map { $0 - first },
                                        columnIndices: Array(s.columnIndices[first..<last]), values: Array(s.values[first..<last])))
        case .dense(let d):
            return .dense(Matrix(rows: range.count, columns: d.columns,
                                 storage: Array(d.storage[(range.lowerBound * d.columns)..<(range.upperBound * d.columns)])))
        }
    }

    /// f applied to consecutive blocks of at most `blockRows` rows, the results stacked: keeps the
    /// temporaries of a row-wise computation to one block's size.
    public func mapRowBlocks(blockRows: Int = 4096, outputColumns: Int, _ f: (FeatureMatrix) -> Matrix) -> Matrix {
        precondition(blockRows > 0, "FeatureMatrix.mapRowBlocks: block size must be positive")
        if rows <= blockRows {
            let out = f(self)
            precondition(out.rows == rows && out.columns == outputColumns, "FeatureMatrix.mapRowBlocks: block result shape")
            return out
        }
        var out = Matrix(rows: rows, columns: outputColumns)
        var start = 0
        while start < rows {
            let range = start..<min(rows, start + blockRows)
            let block = f(rowBlock(range))
            precondition(block.rows == range.count && block.columns == outputColumns, "FeatureMatrix.mapRowBlocks: block result shape")
            out.storage.replaceSubrange((range.lowerBound * outputColumns)..<(range.upperBound * outputColumns), with: block.storage)
            start = range.upperBound
        }
        return out
    }
}
