extension Matrix {
    /// Matrices with the same row count side by side: [A | B | …].
    ///
    /// ```
    /// hstack([A, B])[i, j] = A[i, j] for j < A.columns, else B[i, j − A.columns]
    /// ```
    public static func hstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, columns: 0) }
        precondition(parts.allSatisfy { $0.rows == first.rows }, "Matrix.hstack: row counts differ")
        let width = parts.reduce(0) { $0 + $1.columns }
        var out = Matrix(rows: first.rows, columns: width)
        var offset = 0
        for part in parts {
            for i in 0..<part.rows {
                for j in 0..<part.columns { out.storage[i * width + offset + j] = part.storage[i * part.columns + j] }
            }
            offset += part.columns
        }
        return out
    }
}
