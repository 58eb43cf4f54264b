import XCTest
@testable import SemanticHashing

/// Both dense backends against a double-precision triple loop.
final class ComputeBackendTests: XCTestCase {
    private static func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout RandomSource) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in rng.uniform(-1, 1) })
    }

    /// α·op(A)·op(B) + β·C in Double; β = 0 ignores C entirely.
    private static func reference(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool,
                                  alpha: Float, beta: Float, c: Matrix) -> Matrix {
        let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns, n = tb ? b.rows : b.columns
        // Transposing up front keeps the inner loop contiguous; unsafe buffers keep debug builds quick.
        let left = ta ? a.transposed() : a, right = tb ? b : b.transposed()
        var out = Matrix(rows: m, columns: n)
        left.storage.withUnsafeBufferPointer { l in
            right.storage.withUnsafeBufferPointer { r in
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k { sum += Double(l[i * k + p]) * Double(r[j * k + p]) }
                        out.storage[i * n + j] = Float(Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i, j])))
                    }
                }
            }
        }
        return out
    }

    private func checkBackend(_ backend: ComputeBackend, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomSource(seed: 7)
        let shapes = [(1, 1, 1), (7, 13, 5), (5, 7, 13), (6, 8, 1), (13, 17, 300), (100, 500, 500),
                      (37, 1029, 19), (2, 3000, 4), (300, 3, 600)]
        let scalars: [(alpha: Float, beta: Float)] = [(1, 0), (1, 1), (0.5, 0.5), (-2, 0), (1.5, 1)]
        for (m, n, k) in shapes {
            for ta in [false, true] {
                for tb in [false, true] {
                    let a = ta ? Self.randomMatrix(k, m, &rng) : Self.randomMatrix(m, k, &rng)
                    let b = tb ? Self.randomMatrix(n, k, &rng) : Self.randomMatrix(k, n, &rng)
                    let (alpha, beta) = scalars[(m + n + k + (ta ? 1 : 0) + (tb ? 2 : 0)) % scalars.count]
                    let c0 = Self.randomMatrix(m, n, &rng)
                    var c = c0
                    backend.gemm(a, transposeA: ta, b, transposeB: tb, alpha: alpha, beta: beta, into: &c)
                    let expected = Self.reference(a, ta, b, tb, alpha: alpha, beta: beta, c: c0)
                    // Float accumulation over k terms of size ≤ 1: error grows about like √k·ε·k.
                    let tolerance = Float(1e-5) * Float(max(k, 1)) * max(1, abs(alpha))
                    let worst = zip(c.storage, expected.storage).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertLessThanOrEqual(worst, tolerance,
                                             "\(backend.name) m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb) α=\(alpha) β=\(beta)",
                                             file: file, line: line)
                }
            }
        }
    }

    func testPortableMatchesReference() {
        checkBackend(.portable)
    }

    func testBLASMatchesReference() throws {
        guard let blas = ComputeBackend.blas else { throw XCTSkip("no BLAS library on this machine") }
        checkBackend(blas)
    }

    func testBetaZeroOverwritesNaN() throws {
        let a = Matrix([[1, 2], [3, 4]]), b = Matrix([[1, 0], [0, 1]])
        for backend in [ComputeBackend.portable] + [ComputeBackend.blas].compactMap({ $0 }) {
            var c = Matrix(rows: 2, columns: 2, repeating: .nan)
            backend.gemm(a, b, beta: 0, into: &c)
            XCTAssertEqual(c, a, backend.name)
            var large = Matrix(rows: 50, columns: 70, repeating: .nan)
            backend.gemm(Matrix(rows: 50, columns: 30, repeating: 1), Matrix(rows: 30, columns: 70, repeating: 2),
                         beta: 0, into: &large)
            XCTAssertEqual(large, Matrix(rows: 50, columns: 70, repeating: 60), backend.name)
        }
    }

    func testEmptyShapes() {
        for backend in [ComputeBackend.portable] + [ComputeBackend.blas].compactMap({ $0 }) {
            var empty = Matrix(rows: 0, columns: 4)
            backend.gemm(Matrix(rows: 0, columns: 3), Matrix(rows: 3, columns: 4), into: &empty)
            XCTAssertEqual(empty.count, 0)
            var noColumns = Matrix(rows: 3, columns: 0)
            backend.gemm(Matrix(rows: 3, columns: 2), Matrix(rows: 2, columns: 0), into: &noColumns)
            XCTAssertEqual(noColumns.rows, 3)
            // k = 0: the product is zero, so C ← β·C (and β = 0 clears NaN).
            var c = Matrix(rows: 2, columns: 2, repeating: 3)
            backend.gemm(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), beta: 0.5, into: &c)
            XCTAssertEqual(c, Matrix(rows: 2, columns: 2, repeating: 1.5), backend.name)
            var nan = Matrix(rows: 2, columns: 2, repeating: .nan)
            backend.gemm(Matrix(rows: 0, columns: 2), transposeA: true, Matrix(rows: 0, columns: 2), into: &nan)
            XCTAssertEqual(nan, Matrix(rows: 2, columns: 2), backend.name)
        }
        XCTAssertEqual(LinearAlgebra.product(Matrix(rows: 0, columns: 0), Matrix(rows: 0, columns: 0)).count, 0)
    }

    func testBackendSelectionFollowsEnvironment() throws {
        XCTAssertTrue(try ComputeBackend.selected(environment: ["SEMHASH_BACKEND": "swift"]) === ComputeBackend.portable)
        XCTAssertThrowsError(try ComputeBackend.selected(environment: ["SEMHASH_BACKEND": "gpu"])) { error in
            XCTAssertEqual(error as? ComputeBackendError, .unknownBackend("gpu"))
        }
        if let blas = ComputeBackend.blas {
            XCTAssertTrue(try ComputeBackend.selected(environment: [:]) === blas)
            XCTAssertTrue(try ComputeBackend.selected(environment: ["SEMHASH_BACKEND": "blas"]) === blas)
            XCTAssertTrue(blas.name.contains("BLAS"), blas.name)
            if blas.name.hasPrefix("OpenBLAS") {
                // OpenBLAS picks its kernels by processor; the name must say which ran.
                XCTAssertNotNil(blas.name.range(of: #"^OpenBLAS \([^,]+, core [A-Za-z0-9_]+\)"#, options: .regularExpression), blas.name)
            }
        } else {
            XCTAssertThrowsError(try ComputeBackend.selected(environment: ["SEMHASH_BACKEND": "blas"]))
        }
        XCTAssertTrue(ComputeBackend.portable.name.hasPrefix("Swift (portable, "), ComputeBackend.portable.name)
        // The thread count is said once: the portable name already carries it.
        XCTAssertEqual(ComputeBackend.portable.nameWithThreads, ComputeBackend.portable.name)
        if let blas = ComputeBackend.blas {
            let threads = ParallelExecution.threadCount
            XCTAssertEqual(blas.nameWithThreads, "\(blas.name), \(threads) thread\(threads == 1 ? "" : "s")")
        }
    }
}

final class OpenBLASCoreAdviceTests: XCTestCase {
    func testAdviceOnlyWhenOpenBLASChoseKernelsOlderThanTheProcessor() {
        XCTAssertEqual(ComputeBackend.coreAdvice(core: "Prescott", hasAVX2: true, hasAVX512: true),
                       "OpenBLAS chose its Prescott kernels, but this processor has AVX-512; OPENBLAS_CORETYPE=SkylakeX in the environment makes the products about three times faster (codes then differ in their last bits, as with any change of BLAS kernels)")
        XCTAssertEqual(ComputeBackend.coreAdvice(core: "Nehalem", hasAVX2: true, hasAVX512: false)?.contains("OPENBLAS_CORETYPE=Haswell"), true)
        XCTAssertNil(ComputeBackend.coreAdvice(core: "Prescott", hasAVX2: false, hasAVX512: false), "an old processor gets no advice")
        XCTAssertNil(ComputeBackend.coreAdvice(core: "Haswell", hasAVX2: true, hasAVX512: false))
        XCTAssertNil(ComputeBackend.coreAdvice(core: "SkylakeX", hasAVX2: true, hasAVX512: true))
        XCTAssertNil(ComputeBackend.coreAdvice(core: "Zen", hasAVX2: true, hasAVX512: false))
    }

    func testOpenBLASIsAskedForTheKernelsTheProcessorRunsUnlessTheUserChose() {
        XCTAssertEqual(BLASLibrary.requestedCore(environment: [:], hasAVX2: true, hasAVX512: true), "SkylakeX")
        XCTAssertEqual(BLASLibrary.requestedCore(environment: ["PATH": "/bin"], hasAVX2: true, hasAVX512: false), "Haswell")
        XCTAssertNil(BLASLibrary.requestedCore(environment: [:], hasAVX2: false, hasAVX512: false), "OpenBLAS's own choice")
        XCTAssertNil(BLASLibrary.requestedCore(environment: ["OPENBLAS_CORETYPE": "Prescott"], hasAVX2: true, hasAVX512: true))
        XCTAssertNil(BLASLibrary.requestedCore(environment: ["OPENBLAS_CORETYPE": ""], hasAVX2: true, hasAVX512: true))
    }

    /// On a processor with AVX2 the loaded OpenBLAS runs kernels that use it, whatever model it
    /// thinks the processor is (unless the user named a core, or the build ignores the request).
    func testLoadedOpenBLASRunsKernelsWithAVX2WhereTheProcessorHasIt() throws {
        guard let core = ComputeBackend.blas.flatMap({ _ in BLASLibrary.load()?.coreName }), ProcessorFeatures.supportsX86_64_v3 else {
            throw XCTSkip("needs OpenBLAS on a processor with AVX2")
        }
        let requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        guard requested == "SkylakeX" || requested == "Haswell" else { throw XCTSkip("OPENBLAS_CORETYPE=\(requested ?? "") set by the user") }
        XCTAssertFalse(ComputeBackend.coresWithoutAVX2.contains(core), core)
    }
}
