import VectorKernels
import XCTest
@testable import SemanticHashing

/// Every layer's backward against finite differences of a random linear read-out of its output.
final class LayerGradientTests: XCTestCase {
    /// loss = Σ readout ⊙ y, so ∂loss/∂y = readout.
    private func readout(_ y: Matrix, _ r: Matrix) -> Float {
        zip(y.storage, r.storage).reduce(0) { $0 + $1.0 * $1.1 }
    }

    func testDenseGradients() {
        var rng = RandomSource(seed: 1)
        let layer = Dense(inputDimensions: 5, outputDimensions: 4, random: &rng)
        var x = GradientChecker.random(3, 5, seed: 2)
        let r = GradientChecker.random(3, 4, seed: 3)
        _ = layer(x)
        let dx = layer.backward(r)!
        GradientChecker.check(layer.weight, analytic: layer.weight.gradient) { self.readout(layer.apply(.dense(x)), r) }
        GradientChecker.check(layer.bias, analytic: layer.bias.gradient) { self.readout(layer.apply(.dense(x)), r) }
        GradientChecker.check("x", matrix: &x, analytic: dx) { self.readout(layer.apply(.dense($0)), r) }
    }

    func testDenseOverSparseInputGivesRowSparseWeightGradient() {
        var rng = RandomSource(seed: 4)
        let layer = Dense(inputDimensions: 8, outputDimensions: 3, random: &rng)
        let s = SparseMatrix(rows: 2, columns: 8, entries: [(0, 1, 2), (0, 6, 1), (1, 6, -1), (1, 3, 0.5)])
        let r = GradientChecker.random(2, 3, seed: 5)
        _ = layer(.sparse(s))
        XCTAssertNil(layer.backward(r))
        let sparse = layer.weight.rowSparseGradient!
        XCTAssertEqual(sparse.rowIndices, [1, 3, 6])
        GradientChecker.check(layer.weight, analytic: sparse.densified()) { self.readout(layer.apply(.sparse(s)), r) }
    }

    func testBatchNormTrainingGradients() {
        let norm = BatchNorm(features: 4)
        norm.gamma.value = GradientChecker.random(1, 4, seed: 6)
        norm.beta.value = GradientChecker.random(1, 4, seed: 7)
        var x = GradientChecker.random(6, 4, seed: 8, scale: 2)
        let r = GradientChecker.random(6, 4, seed: 9)
        _ = norm(x, training: true)
        let dx = norm.backward(r)
        let gammaGrad = norm.gamma.gradient, betaGrad = norm.beta.gradient
        GradientChecker.check("x", matrix: &x, analytic: dx, loss: { self.readout(norm($0, training: true), r) }, step: 1e-3)
        GradientChecker.check(norm.gamma, analytic: gammaGrad, loss: { self.readout(norm(x, training: true), r) })
        GradientChecker.check(norm.beta, analytic: betaGrad, loss: { self.readout(norm(x, training: true), r) })
    }

    func testBatchNormStatistics() {
        let norm = BatchNorm(features: 1)
        let y = norm(Matrix([[1], [3]]), training: true)
        // mean 2, variance 1, ε = 1e-3
        XCTAssertEqual(y[0, 0], -1 / (1.001 as Float).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(norm.movingMean[0, 0], 0.02, accuracy: 1e-7)
        XCTAssertEqual(norm.movingVariance[0, 0], 0.99 + 0.01 * 1, accuracy: 1e-7)
        let inference = norm(Matrix([[2]]), training: false)
        XCTAssertEqual(inference[0, 0], (2 - 0.02) / (1.0 + 0.001 as Float).squareRoot(), accuracy: 1e-5)
    }

    func testReLUBackwardMasksNegativeInputs() {
        let y = Activations.relu(Matrix([[-1, 2, 0]]))
        XCTAssertEqual(y, Matrix([[0, 2, 0]]))
        XCTAssertEqual(Activations.reluBackward(output: y, gradient: Matrix([[5, 6, 7]])), Matrix([[0, 6, 0]]))
    }

    func testAdamFirstStepMovesByLearningRate() {
        let p = Parameter(name: "w", value: Matrix([[1, -1]]))
        p.gradient = Matrix([[0.5, -2]])
        let adam = Adam(parameters: [p])
        adam.step()
        // First step: m̂/√v̂ = sign(g), so w moves by lr (up to ε).
        XCTAssertEqual(p.value[0, 0], 1 - 1e-3, accuracy: 1e-6)
        XCTAssertEqual(p.value[0, 1], -1 + 1e-3, accuracy: 1e-6)
        XCTAssertEqual(p.gradient, Matrix([[0, 0]]))
    }

    func testLazyAdamTouchesOnlyGradientRows() {
        let p = Parameter(name: "w", value: Matrix([[1, 1], [2, 2], [3, 3]]))
        p.rowSparseGradient = RowSparseMatrix(fullRows: 3, rowIndices: [1], values: Matrix([[1, -1]]))
        let lazy = Adam(parameters: [p])
        lazy.step()
        XCTAssertEqual(p.value.row(0), [1, 1])
        XCTAssertEqual(p.value.row(2), [3, 3])
        XCTAssertEqual(p.value[1, 0], 2 - 1e-3, accuracy: 1e-6)
        XCTAssertNil(p.rowSparseGradient)
    }
}

final class VectorSquareRootTests: XCTestCase {
    /// Lane values spread over the normal range, each lane different, for both square roots.
    private func sweep(_ body: (SIMD16<Float>) -> Void) {
        var v: Float = 1e-37
        while v < 1e37 {
            var lanes = SIMD16<Float>()
            for lane in 0..<16 { lanes[lane] = v * (1 + Float(lane) / 16) }
            body(lanes)
            v *= 1.013
        }
    }

    func testNewtonSquareRootIsWithinTwoTenthsOfAMillionth() {
        var worst: Float = 0
        sweep { lanes in
            let root = VectorKernelBodies.newtonSquareRoot(lanes)
            for lane in 0..<16 { worst = max(worst, abs(root[lane] - lanes[lane].squareRoot()) / lanes[lane].squareRoot()) }
        }
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertGreaterThan(worst, 0, "the sweep should reach inputs where Newton is not exact")
        XCTAssertEqual(VectorKernelBodies.newtonSquareRoot(SIMD16(repeating: 0))[0], 0)
        XCTAssertEqual(VectorKernelBodies.newtonSquareRoot(SIMD16(repeating: -1))[0], 0)
    }

    func testSquareRootIsCorrectlyRoundedOnX86() throws {
        #if arch(x86_64)
        var mismatches = 0
        sweep { lanes in
            let root = VectorKernelBodies.squareRoot(lanes)
            for lane in 0..<16 where root[lane] != lanes[lane].squareRoot() { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(VectorKernelBodies.squareRoot(SIMD16(repeating: 0))[0], 0)
        #else
        throw XCTSkip("the hardware square root is used on x86-64 only")
        #endif
    }
}
