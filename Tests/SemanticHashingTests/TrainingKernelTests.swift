import VectorKernels
import XCTest
@testable import SemanticHashing

/// The fused and parallel paths of a training step against the plain computations they replace:
/// same bits, not just close (the regression codes depend on it).
final class TrainingKernelTests: XCTestCase {
    // MARK: Threads

    func testWorkerPoolRunsEveryItemOnceAcrossManyJobs() {
        for count in [2, 3, 17, 1000] {
            for _ in 0..<50 {
                var hits = [Int](repeating: 0, count: count)
                hits.withUnsafeMutableBufferPointer { h in
                    let base = h.baseAddress!
                    WorkerPool.shared.run(count) { item in base[item] += 1 }
                }
                XCTAssertEqual(hits, [Int](repeating: 1, count: count), "count \(count)")
            }
        }
    }

    func testNestedParallelForRunsInline() {
        var totals = [Int](repeating: 0, count: 8)
        totals.withUnsafeMutableBufferPointer { t in
            let base = t.baseAddress!
            WorkerPool.shared.run(8) { outer in
                // The pool is busy with the outer job, so this runs on the calling thread.
                WorkerPool.shared.run(5) { inner in base[outer] += inner + 1 }
            }
        }
        XCTAssertEqual(totals, [Int](repeating: 15, count: 8))
    }

    /// Blocks of C computed separately, with the portable kernel, equal the whole product.
    func testBlockedProductEqualsWholeProduct() {
        let shapes = [(100, 2_000, 16), (16, 2_000, 100), (100, 16, 1_000), (60, 300, 50), (99, 70, 300)]
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = ta ? GradientChecker.random(k, m, seed: 1) : GradientChecker.random(m, k, seed: 1)
                let b = tb ? GradientChecker.random(n, k, seed: 2) : GradientChecker.random(k, n, seed: 2)
                let start = GradientChecker.random(m, n, seed: 3)
                var whole = start, blocked = start
                func run(_ c: inout Matrix, threads: Int) {
                    a.storage.withUnsafeBufferPointer { ap in
                        b.storage.withUnsafeBufferPointer { bp in
                            c.storage.withUnsafeMutableBufferPointer { cp in
                                BlockedGEMM.run(ta, tb, m, n, k, 0.5, ap.baseAddress!, a.columns, bp.baseAddress!, b.columns,
                                                1, cp.baseAddress!, n, threads: threads) { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
                                    // One task per call, so the split is BlockedGEMM's alone.
                                    PortableGEMMReference.serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
                                }
                            }
                        }
                    }
                }
                run(&whole, threads: 1)
                run(&blocked, threads: 3)
                XCTAssertEqual(whole, blocked, "\(m)×\(n)×\(k) ta \(ta) tb \(tb)")
            }
        }
    }

    /// With the installed BLAS, blocks of the step's products (as `ComputeBackend.blas` runs them)
    /// give the product of one call, up to rounding: OpenBLAS computes the elements at the edges of
    /// its register tiles with other kernels, so where the blocks start moves a few percent of the
    /// elements by an ulp or so (as OpenBLAS's own threads do).
    func testBLASBlocksGiveTheProductOfOneCall() throws {
        guard let library = BLASLibrary.load(threadCount: 1), library.runsOnCallingThread else {
            throw XCTSkip("no single-threaded BLAS library on this machine")
        }
        let cases: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool, beta: Float)] = [
            (100, 10_000, 16, false, false, 0), (16, 10_000, 100, true, false, 1),   // decoder forward, ∂W
            (100, 32, 10_000, false, true, 0),                                       // decoder ∂code (row blocks)
            (100, 500, 500, false, false, 1), (500, 500, 100, true, false, 1), (100, 500, 500, false, true, 0),
        ]
        for t in cases {
            let a = t.ta ? GradientChecker.random(t.k, t.m, seed: 21) : GradientChecker.random(t.m, t.k, seed: 21)
            let b = t.tb ? GradientChecker.random(t.n, t.k, seed: 22) : GradientChecker.random(t.k, t.n, seed: 22)
            let start = GradientChecker.random(t.m, t.n, seed: 23)
            var one = start, blocks = start
            func run(_ c: inout Matrix, threads: Int) {
                a.storage.withUnsafeBufferPointer { ap in
                    b.storage.withUnsafeBufferPointer { bp in
                        c.storage.withUnsafeMutableBufferPointer { cp in
                            BlockedGEMM.run(t.ta, t.tb, t.m, t.n, t.k, 1, ap.baseAddress!, a.columns, bp.baseAddress!, b.columns,
                                            t.beta, cp.baseAddress!, t.n, threads: threads, kernel: library.gemm)
                        }
                    }
                }
            }
            run(&one, threads: 1)
            run(&blocks, threads: 2)
            let scale = Float(t.k).squareRoot()
            let worst = zip(one.storage, blocks.storage).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-5 * scale, "\(t)")
        }
    }

    // MARK: Softmax reconstruction

    func testBiasFoldedIntoSoftmaxEqualsAddingItFirst() {
        let (n, d) = (7, 45)
        let logits = GradientChecker.random(n, d, seed: 4, scale: 3)
        let bias = GradientChecker.random(1, d, seed: 5)
        var entries: [(Int, Int, Float)] = []
        for i in 0..<n where i != 3 { for j in stride(from: i, to: d, by: 6) { entries.append((i, j, Float(1 + j % 3))) } }
        let target = SparseMatrix(rows: n, columns: d, entries: entries)  // row 3 empty
        var withBias = logits
        for i in 0..<n { for j in 0..<d { withBias[i, j] += bias.storage[j] } }
        let plain = ReconstructionLoss.distribution(logits: withBias, target: .sparse(target))
        var fused = logits
        var columnSums = GradientChecker.random(1, d, seed: 6)
        let startSums = columnSums
        let value = fused.storage.withUnsafeMutableBufferPointer { l in
            bias.storage.withUnsafeBufferPointer { b in
                columnSums.storage.withUnsafeMutableBufferPointer { s in
                    SoftmaxReconstructionKernel.run(logits: l.baseAddress!, rows: n, columns: d, bias: b.baseAddress!,
                                                    targets: .init(.sparse(target)), columnSums: s.baseAddress!)
                }
            }
        }
        XCTAssertEqual(value, plain.value)
        XCTAssertEqual(fused, plain.gradient)
        // Column sums: added onto what was there, row after row.
        var expected = startSums
        for i in 0..<n { for j in 0..<d { expected.storage[j] += plain.gradient[i, j] } }
        XCTAssertEqual(columnSums, expected)
        XCTAssertEqual(fused.row(3), [Float](repeating: 0, count: d), "a row without target has no gradient")
    }

    /// Without bias or column sums (no second pass), and with a target whose probability falls
    /// under the clip, the gradient is still the plain computation's, element for element.
    func testSoftmaxWithoutColumnSumsAndWithAClippedTarget() {
        let (n, d) = (5, 40)
        var logits = GradientChecker.random(n, d, seed: 8, scale: 2)
        logits[2, 7] = -40  // q ≈ e^-40: clipped, so its target term has no gradient
        var entries: [(Int, Int, Float)] = []
        for i in 0..<n { for j in stride(from: 7 - i % 2, to: d, by: 9) { entries.append((i, j, Float(1 + j % 2))) } }
        let target = SparseMatrix(rows: n, columns: d, entries: entries)
        let plain = ReconstructionLoss.distribution(logits: logits, target: .sparse(target))
        var fused = logits
        let value = fused.storage.withUnsafeMutableBufferPointer { l in
            SoftmaxReconstructionKernel.run(logits: l.baseAddress!, rows: n, columns: d, bias: nil,
                                            targets: .init(.sparse(target)), columnSums: nil)
        }
        XCTAssertEqual(value, plain.value)
        XCTAssertEqual(fused, plain.gradient)
        XCTAssertGreaterThan(fused[2, 7], 0, "the clipped target keeps only the softmax's own term")
    }

    func testExpWithoutOverflowClampEqualsSoftmaxExpOnNonPositiveArguments() {
        var x: Float = -110
        while x <= 0 {
            let v = SIMD16<Float>((0..<16).map { x + Float($0) * 1e-3 })
            XCTAssertEqual(VectorKernelBodies.nonPositiveExp(v), VectorKernelBodies.softmaxExp(v), "\(x)")
            x += 0.0371
        }
        XCTAssertEqual(VectorKernelBodies.nonPositiveExp(SIMD16(repeating: 0)), SIMD16(repeating: 1))
    }

    // MARK: BatchNorm

    func testRectifyingBatchNormEqualsReLUThenBatchNorm() {
        let x = GradientChecker.random(9, 21, seed: 8)
        let upstream = GradientChecker.random(9, 21, seed: 9)
        let fused = BatchNorm(features: 21), plain = BatchNorm(features: 21)
        for p in [fused.gamma, plain.gamma] { p.value = GradientChecker.random(1, 21, seed: 10) }
        let relu = Activations.relu(x)
        XCTAssertEqual(fused(x, training: true, rectifying: true), plain(relu, training: true))
        XCTAssertEqual(fused.backward(upstream), Activations.reluBackward(output: relu, gradient: plain.backward(upstream)))
        XCTAssertEqual(fused.gamma.gradient, plain.gamma.gradient)
        XCTAssertEqual(fused.beta.gradient, plain.beta.gradient)
        XCTAssertEqual(fused.movingVariance, plain.movingVariance)
        XCTAssertEqual(fused(x, training: false, rectifying: true), plain(relu, training: false))
    }

    /// Blocks of columns on several threads give what one scalar loop per column gives.
    func testBatchNormOverColumnBlocksEqualsScalarLoops() {
        let (n, c) = (100, 300)
        let x = GradientChecker.random(n, c, seed: 16)
        let norm = BatchNorm(features: c)
        norm.gamma.value = GradientChecker.random(1, c, seed: 17)
        norm.beta.value = GradientChecker.random(1, c, seed: 18)
        let y = norm(x, training: true)
        var expected = Matrix(rows: n, columns: c)
        for j in 0..<c {
            var mean: Float = 0, variance: Float = 0
            for i in 0..<n { mean += x[i, j] }
            mean /= Float(n)
            for i in 0..<n { let d = x[i, j] - mean; variance += d * d }
            variance /= Float(n)
            let s = 1 / (variance + norm.epsilon).squareRoot()
            for i in 0..<n { expected[i, j] = norm.gamma.value[0, j] * ((x[i, j] - mean) * s) + norm.beta.value[0, j] }
        }
        XCTAssertEqual(y, expected)
    }

    // MARK: Adam

    func testDenseAdamWithRowSparseGradientClearsItsGradient() {
        let p = Parameter(name: "w", value: Matrix([[1, 1], [2, 2], [3, 3]]))
        let adam = Adam(parameters: [p], lazyRowUpdates: false)
        p.rowSparseGradient = RowSparseMatrix(fullRows: 3, rowIndices: [1], values: Matrix([[1, -1]]))
        adam.step()
        XCTAssertNil(p.rowSparseGradient)
        XCTAssertEqual(p.gradient, Matrix(rows: 3, columns: 2), "the folded rows must not carry into the next step")
        // Dense Adam moves the untouched rows too once they have momentum; on step 1 they had none.
        XCTAssertEqual(p.value.row(0), [1, 1])
        XCTAssertEqual(p.value[1, 0], 2 - 1e-3, accuracy: 1e-6)
    }

    /// One parallel loop over all parameters gives what one parameter at a time gives.
    func testAdamOverManyParametersEqualsOneAtATime() {
        func parameters() -> [Parameter] {
            [Parameter(name: "a", value: GradientChecker.random(300, 500, seed: 11)),
             Parameter(name: "b", value: GradientChecker.random(1, 7, seed: 12)),
             Parameter(name: "c", value: GradientChecker.random(1000, 40, seed: 13))]
        }
        let together = parameters(), apart = parameters()
        let adam = Adam(parameters: together)
        let single = apart.map { Adam(parameters: [$0]) }
        for step in 0..<3 {
            for (k, (p, q)) in zip(together, apart).enumerated() {
                let g = GradientChecker.random(p.value.rows, p.value.columns, seed: UInt64(100 + 10 * step + k))
                if k == 2 {
                    let rows: [Int32] = [3, 40, 41, 999]
                    let values = GradientChecker.random(rows.count, 40, seed: UInt64(200 + step))
                    p.rowSparseGradient = RowSparseMatrix(fullRows: 1000, rowIndices: rows, values: values)
                    q.rowSparseGradient = RowSparseMatrix(fullRows: 1000, rowIndices: rows, values: values)
                } else {
                    p.gradient = g
                    q.gradient = g
                }
            }
            adam.step()
            single.forEach { $0.step() }
            for (p, q) in zip(together, apart) { XCTAssertEqual(p.value, q.value, p.name) }
        }
    }

    /// Applying Sᵀ·G row by row as it is computed gives what applying the materialised rows gives.
    func testAdamOnAProductGradientEqualsAdamOnItsRows() {
        var entries: [(Int, Int, Float)] = []
        for i in 0..<30 { for j in stride(from: (i * 7) % 11, to: 2_000, by: 37 + i) { entries.append((i, j, Float(1 + (i + j) % 4))) } }
        let s = SparseMatrix(rows: 30, columns: 2_000, entries: entries)
        let fused = Parameter(name: "w", value: GradientChecker.random(2_000, 64, seed: 30))
        let plain = Parameter(name: "w", value: fused.value)
        let fusedAdam = Adam(parameters: [fused]), plainAdam = Adam(parameters: [plain])
        for step in 0..<3 {
            let g = GradientChecker.random(30, 64, seed: UInt64(31 + step))
            fused.rowGradientProduct = SparseTransposeProduct(s, g)
            plain.rowSparseGradient = SparseKernels.sparseTransposeTimesDense(s, g)
            XCTAssertEqual(fused.rowSparseGradient?.values, plain.rowSparseGradient?.values)
            fusedAdam.step()
            plainAdam.step()
            XCTAssertFalse(fused.hasRowSparseGradient)
            XCTAssertEqual(fused.value, plain.value, "step \(step)")
        }
    }

    // MARK: Profiler

    func testProfilerRecordsTheProductsOfAStep() {
        let a = GradientChecker.random(4, 3, seed: 14), b = GradientChecker.random(5, 3, seed: 15)
        var c = Matrix(rows: 4, columns: 5)
        let profiler = PhaseProfiler.install(recordingProducts: true)
        PhaseProfiler.during(.normalization) {
            LinearAlgebra.gemm(a, b, transposeB: true, beta: 0, into: &c)
        }
        PhaseProfiler.uninstall()
        XCTAssertEqual(profiler.products, [PhaseProfiler.ProductCall(transposeA: false, transposeB: true, m: 4, n: 5, k: 3,
                                                                     lda: 3, ldb: 3, ldc: 5, alpha: 1, beta: 0)])
        XCTAssertEqual(ProductReplay(profiler.products).flops, 2 * 4 * 5 * 3)
        XCTAssertGreaterThan(profiler.seconds[PhaseProfiler.Phase.products.rawValue], 0)
        XCTAssertGreaterThan(profiler.seconds[PhaseProfiler.Phase.normalization.rawValue], 0)
    }
}

/// A plain single-threaded product (C ← α·op(A)·op(B) + β·C) with one fixed order of summation,
/// so two ways of splitting C can be compared bit for bit.
enum PortableGEMMReference {
    static func serial(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]) }
                c[i * ldc + j] = alpha * sum + beta * c[i * ldc + j]
            }
        }
    }
}
