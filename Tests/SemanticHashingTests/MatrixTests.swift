import XCTest
@testable import SemanticHashing

final class MatrixTests: XCTestCase {
    func testGEMMMatchesHandComputedProduct() {
        let a = Matrix([[1, 2], [3, 4], [5, 6]])
        let b = Matrix([[1, 0, 2], [0, 1, 3]])
        XCTAssertEqual(LinearAlgebra.product(a, b), Matrix([[1, 2, 8], [3, 4, 18], [5, 6, 28]]))
        XCTAssertEqual(LinearAlgebra.product(a, transposeA: true, a), Matrix([[35, 44], [44, 56]]))
    }

    func testSparseProductsMatchDense() {
        let s = SparseMatrix(rows: 2, columns: 3, entries: [(0, 2, 2), (1, 0, 1), (1, 2, -1)])
        let w = Matrix([[1, 2], [3, 4], [5, 6]])
        var c = Matrix(rows: 2, columns: 2)
        LinearAlgebra.sparseTimesDense(s, w, into: &c)
        XCTAssertEqual(c, LinearAlgebra.product(s.densified(), w))
        let g = Matrix([[1, 1], [2, 3]])
        let grad = LinearAlgebra.sparseTransposeTimesDense(s, g)
        XCTAssertEqual(grad.rowIndices, [0, 2])
        XCTAssertEqual(grad.densified(), LinearAlgebra.product(s.densified(), transposeA: true, g))
    }

    func testRandomSourceIsReproducible() {
        var a = RandomSource(seed: 20), b = RandomSource(seed: 20)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        XCTAssertEqual(a.permutation(10).sorted(), Array(0..<10))
    }
}
