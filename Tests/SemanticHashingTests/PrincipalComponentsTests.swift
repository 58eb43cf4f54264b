import Foundation
import XCTest
@testable import SemanticHashing

/// The randomized eigensolver and PCA against a dense Jacobi eigendecomposition of the same
/// covariance, on sparse and dense data; the centred products against explicit centring.
final class PrincipalComponentsTests: XCTestCase {
    func testCenteredProductsMatchExplicitCentring() throws {
        let data = try SyntheticCorpus.load(argument: "docs=60,val=0,test=1,vocab=40,classes=2,seed=3", options: [:])
        let x = data.train.features
        let dense = x.denseMatrix
        let mean = x.columnMeans()
        for j in 0..<dense.columns {
            let expected = (0..<dense.rows).reduce(0.0) { $0 + Double(dense[$1, j]) } / Double(dense.rows)
            XCTAssertEqual(Double(mean.storage[j]), expected, accuracy: 1e-6)
        }
        var centredDense = dense
        for i in 0..<dense.rows { for j in 0..<dense.columns { centredDense[i, j] -= mean.storage[j] } }
        let w = GradientChecker.random(dense.columns, 3, seed: 4)
        let g = GradientChecker.random(dense.rows, 3, seed: 5)
        for input in [x, FeatureMatrix.dense(dense)] {
            let centred = CenteredFeatures(input)
            assertClose(centred.times(w), LinearAlgebra.product(centredDense, w), 1e-4)
            assertClose(centred.transposeTimes(g), LinearAlgebra.product(centredDense, transposeA: true, g), 1e-4)
            var covariance = LinearAlgebra.product(centredDense, transposeA: true, LinearAlgebra.product(centredDense, w))
            for k in covariance.storage.indices { covariance.storage[k] /= Float(dense.rows) }
            assertClose(centred.covarianceTimes(w), covariance, 1e-4)
        }
    }

    func testRowBlocksAndBlockwiseMapCoverEveryRow() throws {
        let data = try SyntheticCorpus.load(argument: "docs=50,val=0,test=1,vocab=30,classes=2", options: [:])
        let x = data.train.features
        XCTAssertEqual(x.rowBlock(10..<13).denseRows, Array(x.denseRows[10..<13]))
        XCTAssertEqual(FeatureMatrix.dense(x.denseMatrix).rowBlock(10..<13).denseRows, Array(x.denseRows[10..<13]))
        let w = GradientChecker.random(30, 2, seed: 1)
        XCTAssertEqual(x.mapRowBlocks(blockRows: 7, outputColumns: 2) { $0.times(w) }, x.times(w))
    }

    /// An explicit diagonal operator: the top eigenvectors are coordinate axes, values exact.
    func testSolverOnADiagonalOperator() {
        let d = 200
        let diagonal = (0..<d).map { Float(100) / Float($0 + 1) }
        let result = RandomizedEigensolver.largestEigenpairs(count: 4, dimension: d, seed: 9) { q in
            var out = q
            for i in 0..<d { for j in 0..<q.columns { out[i, j] *= diagonal[i] } }
            return out
        }
        XCTAssertTrue(result.converged)
        for j in 0..<4 {
            XCTAssertEqual(result.values[j], Double(diagonal[j]), accuracy: 1e-3 * Double(diagonal[j]))
            XCTAssertEqual(result.vectors[j, j], 1, accuracy: 1e-4)
        }
        assertOrthonormalColumns(result.vectors, accuracy: 1e-5)
    }

    /// Bag-of-words data (sparse, Zipf-like columns): PCA by the randomized solver agrees with a
    /// dense eigendecomposition of the covariance, for sparse and dense input.
    func testPCAMatchesDenseEigendecompositionOnSparseText() throws {
        let data = try SyntheticCorpus.load(argument: "docs=500,val=0,test=1,vocab=160,classes=4,seed=11", options: [:])
        try checkAgainstDense(data.train.features, count: 6)
    }

    /// Dense data with a 1/j variance spectrum in random directions.
    func testPCAMatchesDenseEigendecompositionOnPowerLawSpectrum() throws {
        let n = 400, d = 80
        var rng = RandomSource(seed: 12)
        let basis = Orthonormalization.orthonormalColumns(of: GradientChecker.random(d, d, seed: 13))
        var z = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { z[i, j] = rng.normal() / Float(j + 1).squareRoot() } }
        var x = LinearAlgebra.product(z, basis, transposeB: true)
        for i in 0..<n { for j in 0..<d { x[i, j] += 3 + Float(j % 5) } }   // a mean to remove
        try checkAgainstDense(.dense(x), count: 10)
    }

    func testExactWhenTheBlockCoversTheSpace() throws {
        let data = try SyntheticCorpus.load(argument: "docs=80,val=0,test=1,vocab=20,classes=2,seed=2", options: [:])
        // k + oversampling ≥ D: Q = I, one product, exact up to rounding.
        let pca = PrincipalComponents.fit(data.train.features, count: 5, seed: 1)
        let reference = denseCovarianceEigen(data.train.features)
        for j in 0..<5 { XCTAssertEqual(pca.variances[j], reference.values[j], accuracy: 1e-5 * reference.values[0]) }
    }

    func testSeedReproducibility() throws {
        let data = try SyntheticCorpus.load(argument: "docs=300,val=0,test=1,vocab=120,classes=3,seed=4", options: [:])
        let a = PrincipalComponents.fit(data.train.features, count: 4, seed: 7)
        let b = PrincipalComponents.fit(data.train.features, count: 4, seed: 7)
        XCTAssertEqual(a.directions, b.directions)
        XCTAssertEqual(a.variances, b.variances)
        let c = PrincipalComponents.fit(data.train.features, count: 4, seed: 8)
        XCTAssertNotEqual(a.directions, c.directions)   // other start, same answer within tolerance
        for j in 0..<4 { XCTAssertEqual(a.variances[j], c.variances[j], accuracy: 1e-4 * a.variances[0]) }
    }

    // MARK: helpers

    private func checkAgainstDense(_ x: FeatureMatrix, count k: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = denseCovarianceEigen(x)
        let d = x.columns
        let inputs: [FeatureMatrix] = [x, .dense(x.denseMatrix)]
        for input in inputs {
            let pca = PrincipalComponents.fit(input, count: k, seed: 20)
            XCTAssertLessThan(k + RandomizedEigensolver.defaultOversampling(count: k), d, "the test must exercise the iteration", file: file, line: line)
            assertOrthonormalColumns(pca.directions, accuracy: 1e-5, file: file, line: line)
            for j in 0..<k {
                XCTAssertEqual(pca.variances[j], reference.values[j], accuracy: 1e-4 * reference.values[j], "variance \(j)", file: file, line: line)
                // Each direction, where the eigenvalue is separated from its neighbours by ≥ 2 %.
                let gapBelow = j + 1 < d ? reference.values[j] - reference.values[j + 1] : .infinity
                let gapAbove = j > 0 ? reference.values[j - 1] - reference.values[j] : .infinity
                if min(gapBelow, gapAbove) > 0.02 * reference.values[j] {
                    let v = reference.vector(j)
                    let cosine = (0..<d).reduce(0.0) { $0 + v[$1] * Double(pca.directions[$1, j]) }
                    XCTAssertGreaterThan(abs(cosine), 0.9999, "direction \(j)", file: file, line: line)
                }
            }
            // The whole k-dimensional subspace: ‖Pᵀ·V_k‖²_F = k when the spans agree.
            var captured = 0.0
            for j in 0..<k {
                let v = reference.vector(j)
                for c in 0..<k {
                    let dot = (0..<d).reduce(0.0) { $0 + v[$1] * Double(pca.directions[$1, c]) }
                    captured += dot * dot
                }
            }
            XCTAssertEqual(captured, Double(k), accuracy: 1e-3, "subspace", file: file, line: line)
        }
    }

    private func denseCovarianceEigen(_ x: FeatureMatrix) -> SymmetricEigendecomposition {
        let m = x.denseMatrix
        let n = m.rows, d = m.columns
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(m[i, j]) / Double(n) } }
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<n {
            for a in 0..<d {
                let xa = Double(m[i, a]) - mean[a]
                if xa == 0 { continue }
                for b in 0..<d { c[a * d + b] += xa * (Double(m[i, b]) - mean[b]) / Double(n) }
            }
        }
        return SymmetricEigendecomposition(symmetric: c, size: d)
    }

    private func assertClose(_ a: Matrix, _ b: Matrix, _ tolerance: Float, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rows, b.rows, file: file, line: line)
        XCTAssertEqual(a.columns, b.columns, file: file, line: line)
        let scale = max(1, b.storage.reduce(0) { max($0, abs($1)) })
        for k in a.storage.indices { XCTAssertEqual(a.storage[k], b.storage[k], accuracy: tolerance * scale, file: file, line: line) }
    }
}

extension FeatureMatrix {
    /// The matrix densified, for reference computations.
    var denseMatrix: Matrix {
        switch self { case .sparse(let s): return s.densified(); case .dense(let d): return d }
    }
}
