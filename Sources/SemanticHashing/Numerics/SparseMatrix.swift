/// A compressed-sparse-row (CSR) matrix of `Float`.
///
/// ```
/// row i holds columnIndices[rowStart[i] ..< rowStart[i+1]] with the matching values
/// ```
/// Column indices within a row are strictly increasing.
///
/// ```swift
/// let s = SparseMatrix(rows: 2, columns: 4, entries: [(0, 1, 2.0), (1, 3, 1.0)])
/// ```
public struct SparseMatrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public private(set) var rowStart: [Int]
    public private(set) var columnIndices: [Int32]
    public private(set) var values: [Float]

    /// Builds from CSR arrays; checks the invariants (they come from files, so they are checked
    /// by the readers first; here a violation is a programmer error).
    public init(rows: Int, columns: Int, rowStart: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1, "SparseMatrix: rowStart needs \(rows + 1) entries, has \(rowStart.count)")
        precondition(rowStart.first == 0 && rowStart.last == columnIndices.count,
                     "SparseMatrix: rowStart must start at 0 and end at nnz")
        precondition(columnIndices.count == values.count, "SparseMatrix: indices/values length differ")
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Builds from (row, column, value) triples in any order; duplicates are summed.
    public init(rows: Int, columns: Int, entries: [(Int, Int, Float)]) {
        let sorted = entries.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var rowStart = [Int](repeating: 0, count: rows + 1)
        var cols: [Int32] = []
        var vals: [Float] = []
        var lastRow = -1, lastCol = -1
        for (r, c, v) in sorted {
            precondition(r >= 0 && r < rows && c >= 0 && c < columns, "SparseMatrix: entry (\(r), \(c)) outside \(rows)×\(columns)")
            if r == lastRow && c == lastCol { vals[vals.count - 1] += v; continue }
            cols.append(Int32(c)); vals.append(v); rowStart[r + 1] += 1
            lastRow = r; lastCol = c
        }
        for i in 0..<rows { rowStart[i + 1] += rowStart[i] }
        self.init(rows: rows, columns: columns, rowStart: rowStart, columnIndices: cols, values: vals)
    }

    public var nonZeroCount: Int { values.count }

    /// The non-zeros of row `i` as (column, value) pairs.
    public func row(_ i: Int) -> [(column: Int, value: Float)] {
        (rowStart[i]..<rowStart[i + 1]).map { (Int(columnIndices[$0]), values[$0]) }
    }

    public func rowSum(_ i: Int) -> Float {
        var s: Float = 0
        for k in rowStart[i]..<rowStart[i + 1] { s += values[k] }
        return s
    }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: some Collection<Int>) -> SparseMatrix {
        var starts = [0]
        starts.reserveCapacity(indices.count + 1)
        var cols: [Int32] = []
        var vals: [Float] = []
        for i in indices {
            precondition(i >= 0 && i < rows, "SparseMatrix.gatherRows: row \(i) out of 0..<\(rows)")
            let r = rowStart[i]..<rowStart[i + 1]
            cols.append(contentsOf: columnIndices[r])
            vals.append(contentsOf: values[r])
            starts.append(cols.count)
        }
        return SparseMatrix(rows: indices.count, columns: columns, rowStart: starts, columnIndices: cols, values: vals)
    }

    /// Applies `transform` to every stored value (zeros stay zeros).
    public func mapValues(_ transform: (Float) -> Float) -> SparseMatrix {
        var copy = self
        copy.values = values.map(transform)
        return copy
    }

    /// Each row divided by its sum; all-zero rows stay zero.
    public func rowNormalized() -> SparseMatrix {
        var copy = self
        for i in 0..<rows {
            let s = rowSum(i)
            if s != 0 { for k in rowStart[i]..<rowStart[i + 1] { copy.values[k] = values[k] / s } }
        }
        return copy
    }

    public func densified() -> Matrix {
        var out = Matrix(rows: rows, columns: columns)
        for i in 0..<rows { for k in rowStart[i]..<rowStart[i + 1] { out.storage[i * columns + Int(columnIndices[k])] += values[k] } }
        return out
    }

    /// Stacks matrices with the same column count on top of each other.
    public static func vstack(_ parts: [SparseMatrix]) -> SparseMatrix {
        guard let first = parts.first else { return SparseMatrix(rows: 0, columns: 0, rowStart: [0], columnIndices: [], values: []) }
        precondition(parts.allSatisfy { $0.columns == first.columns }, "SparseMatrix.vstack: column counts differ")
        var starts = [0]
        var cols: [Int32] = []
        var vals: [Float] = []
        for p in parts {
            let base = cols.count
            starts.append(contentsOf: p.rowStart.dropFirst().map { $0 + base })
            cols.append(contentsOf: p.columnIndices)
            vals.append(contentsOf: p.values)
        }
        return SparseMatrix(rows: starts.count - 1, columns: first.columns, rowStart: starts, columnIndices: cols, values: vals)
    }
}
