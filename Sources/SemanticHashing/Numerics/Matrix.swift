/// A dense, row-major matrix of `Float`.
///
/// ```
/// element(i, j) = storage[i * columns + j]
/// ```
///
/// ```swift
/// var m = Matrix(rows: 2, columns: 3)
/// m[1, 2] = 4
/// ```
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [Float]

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(storage.count == rows * columns,
                     "Matrix: storage has \(storage.count) elements, shape \(rows)×\(columns) needs \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from nested rows (all of the same length); handy in tests.
    public init(_ nested: [[Float]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "Matrix: ragged rows")
        self.init(rows: nested.count, columns: columns, storage: nested.flatMap { $0 })
    }

    public var count: Int { storage.count }
    public var shape: (rows: Int, columns: Int) { (rows, columns) }

    @inlinable
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// One row as an array (a copy).
    public func row(_ i: Int) -> [Float] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: some Collection<Int>) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "Matrix.gatherRows: row \(i) out of 0..<\(rows)")
                    for j in 0..<columns { dst[k * columns + j] = src[i * columns + j] }
                }
            }
        }
        return out
    }

    /// Reinterprets the shape without moving data.
    public func reshaped(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: storage)
    }

    public func transposed() -> Matrix {
        var out = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { out.storage[j * rows + i] = storage[i * columns + j] } }
        return out
    }

    /// Stacks matrices with the same column count on top of each other.
    public static func vstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, columns: 0) }
        precondition(parts.allSatisfy { $0.columns == first.columns }, "Matrix.vstack: column counts differ")
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: first.columns,
                      storage: parts.flatMap { $0.storage })
    }
}
