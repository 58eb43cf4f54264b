import Foundation
import VectorKernels
import XCTest
@testable import SemanticHashing

final class VectorMathKernelTests: XCTestCase {
    /// Max relative error of `VectorMath.exp` against double-precision `Foundation.exp` over
    /// every normal-result input from −87.3 to 88.7 on a fine grid plus random points.
    func testExpIsAccurateOverTheNormalRange() {
        var inputs: [Float] = stride(from: -87.3, through: 88.7, by: 0.000_37).map { Float($0) }
        var rng = RandomSource(seed: 5)
        inputs += (0..<200_000).map { _ in rng.uniform(-87.3, 88.7) }
        inputs += [0, -0.0, 1, -1, 1e-8, -1e-8, 0.346_573_6, -0.346_573_6, 88.72, -87.33]
        var outputs = inputs
        VectorMath.exp(&outputs)
        var worst = 0.0, worstInput: Float = 0
        for (x, y) in zip(inputs, outputs) {
            let exact = Foundation.exp(Double(x))
            let relative = abs(Double(y) - exact) / exact
            if relative > worst { worst = relative; worstInput = x }
        }
        XCTAssertLessThan(worst, 2.5e-7, "worst at x = \(worstInput)")
        print("VectorMath.exp: max relative error \(worst) at x = \(worstInput) over \(inputs.count) inputs")
    }

    /// The softmax's exp: as accurate as `exp` on [−87.33, 88], 0 below, e^88 above.
    func testSoftmaxExpIsAccurateAndClamps() {
        var rng = RandomSource(seed: 6)
        let inputs: [Float] = (0..<100_000).map { _ in rng.uniform(-87.33, 88) } + [0, -1e-8, 1e-8, -87.33, 88, -0.3465736]
        var worst = 0.0
        for chunk in stride(from: 0, to: inputs.count, by: 16) {
            var lanes = SIMD16<Float>(repeating: 0)
            let slice = inputs[chunk..<min(chunk + 16, inputs.count)]
            for (lane, x) in slice.enumerated() { lanes[lane] = x }
            let result = VectorKernelBodies.softmaxExp(lanes)
            for (lane, x) in slice.enumerated() {
                let exact = Foundation.exp(Double(x))
                worst = max(worst, abs(Double(result[lane]) - exact) / exact)
            }
        }
        XCTAssertLessThan(worst, 2.5e-7)
        let edges = VectorKernelBodies.softmaxExp(SIMD16(-200, -1e30, -.infinity, 100, .infinity, .nan, 0, -87.33,
                                                 0, 0, 0, 0, 0, 0, 0, 0))
        let ceiling = Foundation.exp(88.0)
        for lane in 0..<3 { XCTAssertEqual(edges[lane], 0, "lane \(lane)") }
        XCTAssertEqual(Double(edges[7]), Foundation.exp(Double(Float(-87.33))), accuracy: 1e-44)
        for lane in 3..<5 { XCTAssertEqual(Double(edges[lane]), ceiling, accuracy: ceiling * 3e-7, "lane \(lane)") }
        XCTAssertTrue(edges[5].isNaN)
        XCTAssertEqual(edges[6], 1)
    }

    func testExpEdgeCases() {
        XCTAssertEqual(VectorMath.exp(0), 1)
        XCTAssertEqual(VectorMath.exp(89), .infinity)
        XCTAssertEqual(VectorMath.exp(.infinity), .infinity)
        XCTAssertEqual(VectorMath.exp(-.infinity), 0)
        XCTAssertEqual(VectorMath.exp(-200), 0)
        XCTAssertEqual(VectorMath.exp(-1e30), 0)
        XCTAssertTrue(VectorMath.exp(.nan).isNaN)
        // Subnormal results: right to within the subnormal spacing.
        for x: Float in [-88, -95, -100, -103] {
            XCTAssertEqual(Double(VectorMath.exp(x)), Foundation.exp(Double(x)), accuracy: 2e-45, "x = \(x)")
        }
        let nearOverflow: Float = 88.72
        XCTAssertLessThan(abs(Double(VectorMath.exp(nearOverflow)) / Foundation.exp(Double(nearOverflow)) - 1), 3e-7)
        // Lengths that are not multiples of 16 go through the tail path.
        var values: [Float] = [0, 1, 2, -1, 0.5]
        VectorMath.exp(&values)
        for (y, x) in zip(values, [0, 1, 2, -1, 0.5] as [Double]) { XCTAssertEqual(Double(y), Foundation.exp(x), accuracy: 1e-6) }
    }

    func testSoftmaxRowsNormalisesAndReturnsLogSumExp() {
        var rng = RandomSource(seed: 6)
        for (rows, columns) in [(1, 1), (3, 7), (5, 33), (100, 10_000)] {
            let original = (0..<(rows * columns)).map { _ in rng.uniform(-20, 20) }
            var logits = original
            let lse = VectorMath.softmaxRows(logits: &logits, rows: rows, columns: columns)
            for i in 0..<rows {
                let row = original[(i * columns)..<((i + 1) * columns)].map(Double.init)
                let m = row.max()!
                let expected = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
                XCTAssertEqual(Double(lse[i]), expected, accuracy: 1e-5 * max(1, abs(expected)))
                var total = 0.0
                for j in 0..<columns {
                    let p = Double(logits[i * columns + j])
                    XCTAssertEqual(p, Foundation.exp(row[j] - expected), accuracy: 1e-6)
                    total += p
                }
                XCTAssertEqual(total, 1, accuracy: 1e-5)
            }
        }
    }

    func testSoftmaxIsStableForHugeLogits() {
        var m = Matrix([[1000, 1000, -1000], [-5e4, -5e4 + 2, -5e4 + 1]])
        let lse = VectorMath.softmaxRows(&m)
        XCTAssertEqual(m[0, 0], 0.5, accuracy: 1e-7)
        XCTAssertEqual(m[0, 2], 0)
        XCTAssertEqual(Double(lse[0]), 1000 + Foundation.log(2.0), accuracy: 1e-3)
        XCTAssertEqual(m[1, 1], Float(Foundation.exp(2.0) / (1 + Foundation.exp(2.0) + Foundation.exp(1.0))), accuracy: 1e-6)
        XCTAssertTrue(m.storage.allSatisfy { $0.isFinite })
        var empty = Matrix(rows: 0, columns: 4)
        XCTAssertEqual(VectorMath.softmaxRows(&empty), [])
    }

    func testBLASOneHelpers() {
        var rng = RandomSource(seed: 8)
        for count in [0, 1, 7, 8, 17, 1001] {
            let x = (0..<count).map { _ in rng.uniform(-1, 1) }
            var y = (0..<count).map { _ in rng.uniform(-1, 1) }
            let expectedDot = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(Double(VectorMath.dot(x, y)), expectedDot, accuracy: 1e-4)
            XCTAssertEqual(Double(VectorMath.sum(x)), x.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-4)
            let before = y
            VectorMath.axpy(-0.5, x, &y)
            for i in 0..<count { XCTAssertEqual(y[i], before[i] + -0.5 * x[i]) }
            VectorMath.scale(&y, by: 3)
            for i in 0..<count { XCTAssertEqual(y[i], 3 * (before[i] + -0.5 * x[i])) }
        }
    }
}
