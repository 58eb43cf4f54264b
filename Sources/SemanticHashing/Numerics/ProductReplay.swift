import Dispatch

/// The dense products of a training step, replayed back to back with nothing else: the floor a
/// step's wall time is measured against.
///
/// ```
/// floor = Σ_calls time(gemm(call))    same shapes, transposes, α, β, backend and thread count
/// ```
/// Each call gets its own operands (uniform in [−1, 1), allocated once), so the replay measures
/// the products, not allocation; the values do not matter to the speed of a product.
///
/// ```swift
/// let replay = ProductReplay(profiler.products)
/// let start = DispatchTime.now(); replay.run(); let seconds = …
/// ```
public final class ProductReplay: @unchecked Sendable {
    // Buffers are private and only touched by `run`, one caller at a time.

    public let calls: [PhaseProfiler.ProductCall]
    private var operands: [(a: [Float], b: [Float], c: [Float])]
    private let backend: ComputeBackend

    public init(_ calls: [PhaseProfiler.ProductCall], backend: ComputeBackend = .current, seed: UInt64 = 7) {
        self.calls = calls
        self.backend = backend
        var random = RandomSource(seed: seed)
        func buffer(_ count: Int) -> [Float] { (0..<count).map { _ in random.uniform(-1, 1) } }
        operands = calls.map { call in
            let aRows = call.transposeA ? call.k : call.m
            let bRows = call.transposeB ? call.n : call.k
            return (buffer(aRows * call.lda), buffer(bRows * call.ldb), buffer(call.m * call.ldc))
        }
    }

    /// Floating-point operations of one replay (2·m·n·k per product).
    public var flops: Double { calls.reduce(0) { $0 + $1.flops } }

    /// Runs every product once, in the recorded order; adds each one's seconds to `perCall` when given.
    public func run(perCall: UnsafeMutablePointer<Double>? = nil) {
        for index in calls.indices {
            let start = perCall == nil ? 0 : DispatchTime.now().uptimeNanoseconds
            let call = calls[index]
            operands[index].a.withUnsafeBufferPointer { a in
                operands[index].b.withUnsafeBufferPointer { b in
                    operands[index].c.withUnsafeMutableBufferPointer { c in
                        backend.gemm(transposeA: call.transposeA, transposeB: call.transposeB, m: call.m, n: call.n, k: call.k,
                                     alpha: call.alpha, a: a.baseAddress!, lda: call.lda, b: b.baseAddress!, ldb: call.ldb,
                                     beta: call.beta, c: c.baseAddress!, ldc: call.ldc)
                    }
                }
            }
            if let perCall { perCall[index] += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }
        }
    }
}
