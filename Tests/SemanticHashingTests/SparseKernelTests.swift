import XCTest
@testable import SemanticHashing

/// The sparse first-layer kernels against the same products on densified inputs.
final class SparseKernelTests: XCTestCase {
    /// A bag-of-words-like matrix: `perRow` distinct random columns per row (some rows empty).
    private static func randomSparse(rows: Int, columns: Int, perRow: Int, _ rng: inout RandomSource) -> SparseMatrix {
        var entries: [(Int, Int, Float)] = []
        for i in 0..<rows where i % 7 != 3 {
            var used = Set<Int>()
            while used.count < min(perRow, columns) { used.insert(rng.integer(below: columns)) }
            for j in used { entries.append((i, j, Float(1 + rng.integer(below: 3)) * rng.uniform(0.5, 1))) }
        }
        return SparseMatrix(rows: rows, columns: columns, entries: entries)
    }

    private static func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout RandomSource) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in rng.uniform(-1, 1) })
    }

    /// Sequential row-by-row dense products, adding terms in the order the kernels promise.
    private static func denseProduct(_ a: Matrix, transposeA: Bool, _ b: Matrix) -> Matrix {
        let m = transposeA ? a.columns : a.rows, k = transposeA ? a.rows : a.columns
        var out = Matrix(rows: m, columns: b.columns)
        for i in 0..<m {
            for p in 0..<k {
                let x = transposeA ? a[p, i] : a[i, p]
                if x == 0 { continue }
                for j in 0..<b.columns { out[i, j] += x * b[p, j] }
            }
        }
        return out
    }

    func testSparseTimesDenseEqualsDenseProduct() {
        var rng = RandomSource(seed: 11)
        for (rows, columns, width, perRow) in [(1, 1, 1, 1), (7, 13, 5, 3), (30, 200, 37, 12), (100, 2000, 500, 40), (3, 50, 8, 50)] {
            let s = Self.randomSparse(rows: rows, columns: columns, perRow: perRow, &rng)
            let w = Self.randomMatrix(columns, width, &rng)
            var c = Matrix(rows: rows, columns: width, repeating: .nan)
            LinearAlgebra.sparseTimesDense(s, w, into: &c)
            XCTAssertEqual(c, Self.denseProduct(s.densified(), transposeA: false, w), "\(rows)×\(columns)·\(width)")
            let blasLike = LinearAlgebra.product(s.densified(), w)
            let worst = zip(c.storage, blasLike.storage).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4)
        }
    }

    func testSparseTimesDenseAccumulates() {
        var rng = RandomSource(seed: 12)
        let s = Self.randomSparse(rows: 20, columns: 300, perRow: 9, &rng)
        let w = Self.randomMatrix(300, 70, &rng)
        let start = Self.randomMatrix(20, 70, &rng)
        var c = start
        LinearAlgebra.sparseTimesDense(s, w, accumulate: true, into: &c)
        var expected = start
        LinearAlgebra.gemm(s.densified(), w, beta: 1, into: &expected)
        for (x, y) in zip(c.storage, expected.storage) { XCTAssertEqual(x, y, accuracy: 1e-4) }
    }

    func testSparseTransposeTimesDenseMatchesDenseOnTouchedRows() {
        var rng = RandomSource(seed: 13)
        for (rows, columns, width, perRow) in [(1, 1, 1, 1), (7, 13, 5, 3), (100, 10_000, 500, 40), (64, 300, 33, 30)] {
            let s = Self.randomSparse(rows: rows, columns: columns, perRow: perRow, &rng)
            let g = Self.randomMatrix(rows, width, &rng)
            let gradient = LinearAlgebra.sparseTransposeTimesDense(s, g)
            let used = Set(s.columnIndices)
            XCTAssertEqual(gradient.rowIndices, used.sorted())
            XCTAssertEqual(gradient.fullRows, columns)
            let dense = Self.denseProduct(s.densified(), transposeA: true, g)
            XCTAssertEqual(gradient.densified(), dense, "\(rows)×\(columns)ᵀ·\(width)")
        }
    }

    func testEmptySparseShapes() {
        let none = SparseMatrix(rows: 3, columns: 10, entries: [])
        var c = Matrix(rows: 3, columns: 4, repeating: .nan)
        LinearAlgebra.sparseTimesDense(none, Matrix(rows: 10, columns: 4, repeating: 1), into: &c)
        XCTAssertEqual(c, Matrix(rows: 3, columns: 4))
        let gradient = LinearAlgebra.sparseTransposeTimesDense(none, Matrix(rows: 3, columns: 4, repeating: 1))
        XCTAssertEqual(gradient.rowIndices, [])
        XCTAssertEqual(gradient.values.rows, 0)
        let zeroRows = SparseMatrix(rows: 0, columns: 5, rowStart: [0], columnIndices: [], values: [])
        var empty = Matrix(rows: 0, columns: 2)
        LinearAlgebra.sparseTimesDense(zeroRows, Matrix(rows: 5, columns: 2), into: &empty)
        XCTAssertEqual(LinearAlgebra.sparseTransposeTimesDense(zeroRows, Matrix(rows: 0, columns: 2)).values.count, 0)
        let s = SparseMatrix(rows: 2, columns: 3, entries: [(0, 1, 1)])
        var noWidth = Matrix(rows: 2, columns: 0)
        LinearAlgebra.sparseTimesDense(s, Matrix(rows: 3, columns: 0), into: &noWidth)
        XCTAssertEqual(LinearAlgebra.sparseTransposeTimesDense(s, Matrix(rows: 2, columns: 0)).rowIndices, [1])
    }
}
