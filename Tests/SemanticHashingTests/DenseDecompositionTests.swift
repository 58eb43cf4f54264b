import Foundation
import XCTest
@testable import SemanticHashing

/// The small dense decompositions behind the baselines: symmetric eigendecomposition, SVD,
/// orthonormalisation; hand-computed cases and reconstruction identities.
final class DenseDecompositionTests: XCTestCase {
    func testEigenTwoByTwo() {
        let e = SymmetricEigendecomposition(symmetric: [2, 1, 1, 2], size: 2)
        XCTAssertEqual(e.values[0], 3, accuracy: 1e-14)
        XCTAssertEqual(e.values[1], 1, accuracy: 1e-14)
        let h = Double(0.5).squareRoot()
        assertEqual(e.vector(0), [h, h], accuracy: 1e-14)
        // Largest-magnitude entry positive: (−1, 1)/√2 has a tie, the first maximum (−) is flipped.
        XCTAssertEqual(abs(e.vector(1)[0]), h, accuracy: 1e-14)
        XCTAssertEqual(e.vector(1)[0] + e.vector(1)[1], 0, accuracy: 1e-14)
    }

    func testEigenTridiagonalHandComputed() {
        // The 1-D Laplacian: λ = 2 + √2, 2, 2 − √2 with vectors (1, −√2, 1)/2, (1, 0, −1)/√2, (1, √2, 1)/2.
        let e = SymmetricEigendecomposition(symmetric: [2, -1, 0, -1, 2, -1, 0, -1, 2], size: 3)
        let r = Double(2.0).squareRoot()
        assertEqual(e.values, [2 + r, 2, 2 - r], accuracy: 1e-13)
        assertEqual(e.vector(0).map(abs), [0.5, r / 2, 0.5], accuracy: 1e-13)
        XCTAssertLessThan(e.vector(0)[0] * e.vector(0)[1], 0)
        assertEqual(e.vector(1).map(abs), [1 / r, 0, 1 / r], accuracy: 1e-13)
        assertEqual(e.vector(2), [0.5, r / 2, 0.5], accuracy: 1e-13)
    }

    func testEigenReconstructsRandomSymmetricMatrix() {
        let n = 30
        var rng = RandomSource(seed: 3)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { let v = rng.uniformDouble() * 2 - 1; a[i * n + j] = v; a[j * n + i] = v } }
        let e = SymmetricEigendecomposition(symmetric: a, size: n)
        XCTAssertEqual(e.values, e.values.sorted(by: >))
        for i in 0..<n {
            for j in 0..<n {
                var reconstructed = 0.0, gram = 0.0
                for k in 0..<n {
                    reconstructed += e.vectors[i * n + k] * e.values[k] * e.vectors[j * n + k]
                    gram += e.vectors[k * n + i] * e.vectors[k * n + j]
                }
                XCTAssertEqual(reconstructed, a[i * n + j], accuracy: 1e-12)
                XCTAssertEqual(gram, i == j ? 1 : 0, accuracy: 1e-12)
            }
        }
        // Trace = sum of eigenvalues.
        XCTAssertEqual(e.values.reduce(0, +), (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }, accuracy: 1e-12)
    }

    func testEigenOfDiagonalWithRepeatsAndOfEmpty() {
        let e = SymmetricEigendecomposition(symmetric: [1, 0, 0, 0, 5, 0, 0, 0, 1], size: 3)
        XCTAssertEqual(e.values, [5, 1, 1])
        XCTAssertEqual(e.vector(0), [0, 1, 0])
        XCTAssertEqual(SymmetricEigendecomposition(symmetric: [], size: 0).values, [])
    }

    func testSVDHandComputed() {
        // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
        let svd = SingularValueDecomposition(Matrix([[3, 0], [4, 5]]))
        assertEqual(svd.singularValues, [Double(45.0).squareRoot(), Double(5.0).squareRoot()], accuracy: 1e-13)
        assertReconstructs(svd, [3, 0, 4, 5])
    }

    func testSVDReconstructsRandomSquareAndTallMatrices() {
        for (m, n, seed) in [(12, 12, 5), (9, 4, 6)] as [(Int, Int, UInt64)] {
            var rng = RandomSource(seed: seed)
            let a = (0..<(m * n)).map { _ in rng.uniformDouble() * 2 - 1 }
            let svd = SingularValueDecomposition(rowMajor: a, rows: m, columns: n)
            XCTAssertEqual(svd.singularValues, svd.singularValues.sorted(by: >))
            assertReconstructs(svd, a)
        }
    }

    func testSVDOfRankDeficientMatrixStillHasOrthonormalFactors() {
        let svd = SingularValueDecomposition(Matrix([[1, 1], [1, 1]]))
        assertEqual(svd.singularValues, [2, 0], accuracy: 1e-14)
        assertReconstructs(svd, [1, 1, 1, 1])
        let r = svd.orthogonalFactor()
        assertOrthonormalColumns(r, accuracy: 1e-6)
    }

    func testOrthogonalFactorRecoversTheRotationOfAPolarDecomposition() {
        // M = R₀·S with S symmetric positive definite: the nearest orthogonal matrix is R₀.
        let r0 = Orthonormalization.orthonormalColumns(of: GradientChecker.random(4, 4, seed: 7))
        let s = Matrix([[3, 0.5, 0, 0], [0.5, 2, 0.2, 0], [0, 0.2, 1, 0.1], [0, 0, 0.1, 0.5]])
        let r = SingularValueDecomposition(LinearAlgebra.product(r0, s)).orthogonalFactor()
        for k in r.storage.indices { XCTAssertEqual(r.storage[k], r0.storage[k], accuracy: 1e-5) }
    }

    func testOrthonormalizationKeepsTheSpanAndCompletesDependentColumns() {
        var a = GradientChecker.random(50, 8, seed: 8)
        let q = Orthonormalization.orthonormalColumns(of: a)
        assertOrthonormalColumns(q, accuracy: 1e-6)
        // Q·Qᵀ·A = A: every column of A lies in span(Q).
        let back = LinearAlgebra.product(q, LinearAlgebra.product(q, transposeA: true, a))
        for k in a.storage.indices { XCTAssertEqual(back.storage[k], a.storage[k], accuracy: 1e-5) }
        // Column 3 = column 0 + column 1, column 5 = 0: still 8 orthonormal columns, first ones keep their span.
        for i in 0..<50 { a[i, 3] = a[i, 0] + a[i, 1]; a[i, 5] = 0 }
        let q2 = Orthonormalization.orthonormalColumns(of: a)
        assertOrthonormalColumns(q2, accuracy: 1e-6)
        let back2 = LinearAlgebra.product(q2, LinearAlgebra.product(q2, transposeA: true, a))
        for k in a.storage.indices { XCTAssertEqual(back2.storage[k], a.storage[k], accuracy: 1e-5) }
    }

    func testBlockOrthonormalizationAcrossSeveralBlocks() {
        // 36 columns = blocks of 16, 16, 4; columns scaled over 10 orders of magnitude, a later
        // column depending on columns in earlier blocks, and a zero column.
        var a = GradientChecker.random(60, 36, seed: 9)
        for j in 0..<36 { for i in 0..<60 { a[i, j] *= powf(10, Float(j % 11) - 5) } }
        for i in 0..<60 { a[i, 20] = a[i, 2] - 2 * a[i, 17]; a[i, 33] = 0 }
        let q = Orthonormalization.orthonormalColumns(of: a)
        XCTAssertGreaterThan(a.columns, Orthonormalization.blockWidth * 2)
        assertOrthonormalColumns(q, accuracy: 1e-6)
        // span(Q) ⊇ span(A), column by column relative to each column's size.
        let back = LinearAlgebra.product(q, LinearAlgebra.product(q, transposeA: true, a))
        for j in 0..<36 {
            let size = (0..<60).reduce(Float(0)) { max($0, abs(a[$1, j])) }
            for i in 0..<60 { XCTAssertEqual(back[i, j], a[i, j], accuracy: 1e-4 * max(size, 1e-30)) }
        }
        // The leading columns of Q span the leading columns of A (Gram–Schmidt order).
        let first = Orthonormalization.orthonormalColumns(of: a.gatherColumns(0..<5))
        let overlap = LinearAlgebra.product(first, transposeA: true, q.gatherColumns(0..<5))
        for j in 0..<5 { XCTAssertEqual(abs(overlap[j, j]), 1, accuracy: 1e-5) }
    }

    func testMatrixColumnStacking() {
        let m = Matrix.hstack([Matrix([[1, 2], [3, 4]]), Matrix([[5], [6]]), Matrix(rows: 2, columns: 0)])
        XCTAssertEqual(m, Matrix([[1, 2, 5], [3, 4, 6]]))
    }

    // MARK: helpers

    private func assertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
    }

    private func assertReconstructs(_ svd: SingularValueDecomposition, _ a: [Double], file: StaticString = #filePath, line: UInt = #line) {
        let m = svd.rows, n = svd.columns
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += svd.u[i * n + k] * svd.singularValues[k] * svd.v[j * n + k] }
                XCTAssertEqual(s, a[i * n + j], accuracy: 1e-12, file: file, line: line)
            }
        }
        for p in 0..<n {
            for q in 0..<n {
                var uu = 0.0, vv = 0.0
                for i in 0..<m { uu += svd.u[i * n + p] * svd.u[i * n + q] }
                for i in 0..<n { vv += svd.v[i * n + p] * svd.v[i * n + q] }
                XCTAssertEqual(uu, p == q ? 1 : 0, accuracy: 1e-12, file: file, line: line)
                XCTAssertEqual(vv, p == q ? 1 : 0, accuracy: 1e-12, file: file, line: line)
            }
        }
    }
}

extension Matrix {
    /// The columns in `range`, as a new matrix.
    func gatherColumns(_ range: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (k, j) in range.enumerated() { out[i, k] = self[i, j] } }
        return out
    }
}

/// Asserts QᵀQ = I.
func assertOrthonormalColumns(_ q: Matrix, accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    let gram = LinearAlgebra.product(q, transposeA: true, q)
    for i in 0..<gram.rows {
        for j in 0..<gram.columns {
            XCTAssertEqual(gram[i, j], i == j ? 1 : 0, accuracy: accuracy, "QᵀQ[\(i), \(j)]", file: file, line: line)
        }
    }
}
