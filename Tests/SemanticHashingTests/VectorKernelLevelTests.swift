import VectorKernels
import XCTest
@testable import SemanticHashing

/// The AVX2 and AVX-512 builds of the element-wise kernels against the portable one, bit for bit,
/// on every level this processor supports (the others are skipped, and say so).
/// Only optimised builds put the bodies into the wide modules (nothing is inlined at -Onone, so a
/// debug build's wrappers reach the baseline bodies); run these in release as well:
/// `swift test -c release -Xswiftc -enable-testing --filter VectorKernelLevelTests`.
final class VectorKernelLevelTests: XCTestCase {
    private func wideLevels() throws -> [VectorKernelLevel] {
        let levels = VectorKernelLevel.allCases.filter { $0 != .portable && $0.isSupported }
        if levels.isEmpty { throw XCTSkip("this processor runs the portable kernels only") }
        return levels
    }

    /// Random values with the edges a softmax or an optimiser meets; lengths that leave a tail.
    private func values(_ count: Int, seed: UInt64, scale: Float = 10) -> [Float] {
        var rng = RandomSource(seed: seed)
        var x = (0..<count).map { _ in rng.uniform(-scale, scale) }
        let edges: [Float] = [0, -0.0, 1e-30, -90, 100, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
        for (k, edge) in edges.enumerated() where k * 7 < count { x[k * 7] = edge }
        return x
    }

    private func assertBitIdentical(_ a: [Float], _ b: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), message, file: file, line: line)
    }

    func testExponentiateMaximumScaleAxpyMatchPortable() throws {
        let portable = PortableVectorKernels.self
        for level in try wideLevels() {
            let kernels = level.kernels
            for count in [0, 1, 15, 16, 17, 500, 10_007] {
                let x = values(count, seed: UInt64(count)), b = values(count, seed: UInt64(count) + 99, scale: 3)
                for bias in [false, true] {
                    var p = x, w = x
                    let bp: UnsafePointer<Float>? = nil
                    b.withUnsafeBufferPointer { bb in
                        let bptr = bias ? bb.baseAddress : bp
                        let (mp, mw) = (p.withUnsafeBufferPointer { portable.maximum($0.baseAddress ?? UnsafePointer(bitPattern: 4)!, count: count, plus: bptr) },
                                        w.withUnsafeBufferPointer { kernels.maximum($0.baseAddress ?? UnsafePointer(bitPattern: 4)!, count: count, plus: bptr) })
                        XCTAssertEqual(mp.bitPattern, mw.bitPattern, "\(level) maximum, \(count), bias \(bias)")
                        let shift = mp.isFinite ? mp : 0
                        let sp = p.withUnsafeMutableBufferPointer { portable.exponentiate($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 4)!, count: count, plus: bptr, shiftedBy: shift) }
                        let sw = w.withUnsafeMutableBufferPointer { kernels.exponentiate($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 4)!, count: count, plus: bptr, shiftedBy: shift) }
                        XCTAssertEqual(sp.bitPattern, sw.bitPattern, "\(level) exponentiate sum, \(count), bias \(bias)")
                    }
                    assertBitIdentical(p, w, "\(level) exponentiate, \(count), bias \(bias)")
                }
                var p = x, w = x
                p.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { portable.scale(base, count: count, by: 0.3) } }
                w.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { kernels.scale(base, count: count, by: 0.3) } }
                assertBitIdentical(p, w, "\(level) scale, \(count)")
                b.withUnsafeBufferPointer { bb in
                    p.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { portable.axpy(-1.7, bb.baseAddress!, base, count: count) } }
                    w.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { kernels.axpy(-1.7, bb.baseAddress!, base, count: count) } }
                }
                assertBitIdentical(p, w, "\(level) axpy, \(count)")
            }
        }
    }

    func testAdamUpdateMatchesPortable() throws {
        for level in try wideLevels() {
            for count in [1, 16, 33, 1_000] {
                let g = values(count, seed: 1).map { $0.isFinite ? $0 / 10 : 0.5 }
                var results: [[Float]] = []
                for kernels in [PortableVectorKernels.self, level.kernels] as [any VectorKernelSet.Type] {
                    var w = values(count, seed: 2).map { $0.isFinite ? $0 : 1 }
                    var m = values(count, seed: 3).map { $0.isFinite ? $0 / 100 : 0 }
                    var v = values(count, seed: 4).map { $0.isFinite ? abs($0) / 100 : 0 }
                    var cleared = g
                    for _ in 0..<3 {
                        kernels.adamUpdate(&w, g, &m, &v, count: count, rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7,
                                           clearing: &cleared)
                    }
                    XCTAssertEqual(cleared, [Float](repeating: 0, count: count))
                    results.append(w + m + v)
                }
                assertBitIdentical(results[0], results[1], "\(level) Adam, \(count)")
            }
        }
    }

    func testWeightedRowSumMatchesPortable() throws {
        for level in try wideLevels() {
            for width in [1, 8, 16, 500, 503] {
                let source = values(40 * width, seed: UInt64(width)).map { $0.isFinite ? $0 : 2 }
                var rng = RandomSource(seed: 7)
                for count in [0, 1, 3, 4, 9] {
                    let indices = (0..<count).map { _ in Int32(rng.uniform(0, 39.99)) }
                    let weights = (0..<count).map { _ in rng.uniform(-2, 2) }
                    var results: [[Float]] = []
                    for kernels in [PortableVectorKernels.self, level.kernels] as [any VectorKernelSet.Type] {
                        for accumulate in [false, true] {
                            var out = values(width, seed: 11).map { $0.isFinite ? $0 : 0 }
                            indices.withUnsafeBufferPointer { i in
                                weights.withUnsafeBufferPointer { w in
                                    source.withUnsafeBufferPointer { s in
                                        kernels.weightedRowSum(indices: i.baseAddress, weights: w.baseAddress, count: count,
                                                               source: s.baseAddress, width: width, into: &out, accumulate: accumulate)
                                    }
                                }
                            }
                            results.append(out)
                        }
                    }
                    assertBitIdentical(results[0] + results[1], results[2] + results[3], "\(level) weightedRowSum, width \(width), \(count) rows")
                }
            }
        }
    }

    func testLevelChoiceFollowsTheEnvironment() {
        let supportsAll: (VectorKernelLevel) -> Bool = { _ in true }
        let portableOnly: (VectorKernelLevel) -> Bool = { $0 == .portable }
        XCTAssertEqual(ProcessorFeatures.chosenLevel(variable: "V", isSupported: supportsAll, environment: [:]), VectorKernelLevel.avx512)
        XCTAssertEqual(ProcessorFeatures.chosenLevel(variable: "V", isSupported: portableOnly, environment: [:]), VectorKernelLevel.portable)
        XCTAssertEqual(ProcessorFeatures.chosenLevel(variable: "V", isSupported: supportsAll, environment: ["V": " avx2 "]), VectorKernelLevel.avx2)
        // Unknown or unsupported names fall back to the automatic choice.
        XCTAssertEqual(ProcessorFeatures.chosenLevel(variable: "V", isSupported: supportsAll, environment: ["V": "sse9"]), VectorKernelLevel.avx512)
        XCTAssertEqual(ProcessorFeatures.chosenLevel(variable: "V", isSupported: portableOnly, environment: ["V": "avx512"]), VectorKernelLevel.portable)
    }
}
