#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Where a training step spends its wall time, and which dense products it calls.
///
/// ```
/// seconds[phase] = Σ wall time while `phase` was the innermost phase entered
/// products: every dense GEMM (recorded with its shapes when `recordsProducts`)
/// sparseInput: the sparse first-layer products
/// ```
/// Time is exclusive: a product inside the reconstruction counts as `products`, not twice. Only
/// the thread that installed the profiler is timed (the phases are entered on the thread that
/// drives the step; worker threads inside a phase belong to it). With no profiler installed,
/// `during` costs one load and a branch.
///
/// ```swift
/// let profiler = PhaseProfiler.install()
/// _ = model.trainingStep(batch, random: &rng); adam.step()
/// print(PhaseProfiler.uninstall().seconds)
/// ```
public final class PhaseProfiler: @unchecked Sendable {
    // Mutated only on `owner` while installed; read by the installer after `uninstall`.

    /// What a step was doing.
    public enum Phase: Int, CaseIterable, Sendable {
        case products, sparseInput, reconstruction, normalization, latent, supervision, optimizer, gathering, other

        public var name: String {
            switch self {
            case .products: return "products"
            case .sparseInput: return "sparse input layer"
            case .reconstruction: return "softmax/reconstruction"
            case .normalization: return "BatchNorm+ReLU"
            case .latent: return "latent (sample, KL)"
            case .supervision: return "supervision heads"
            case .optimizer: return "Adam"
            case .gathering: return "data gathering"
            case .other: return "other"
            }
        }

        /// A short key for JSON.
        public var key: String {
            switch self {
            case .products: return "products"
            case .sparseInput: return "sparse_input"
            case .reconstruction: return "reconstruction"
            case .normalization: return "batchnorm"
            case .latent: return "latent"
            case .supervision: return "supervision"
            case .optimizer: return "adam"
            case .gathering: return "gathering"
            case .other: return "other"
            }
        }
    }

    /// One dense product as the backend received it (row-major, BLAS conventions).
    public struct ProductCall: Sendable, Equatable {
        public var transposeA: Bool, transposeB: Bool
        public var m: Int, n: Int, k: Int
        public var lda: Int, ldb: Int, ldc: Int
        public var alpha: Float, beta: Float
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// Seconds per phase, indexed by `Phase.rawValue`.
    public private(set) var seconds = [Double](repeating: 0, count: Phase.allCases.count)
    /// The products called while installed, in order, when `recordsProducts`.
    public private(set) var products: [ProductCall] = []
    public let recordsProducts: Bool
    private var current = Phase.other
    private var mark: UInt64
    private let owner: pthread_t

    nonisolated(unsafe) private static var active: PhaseProfiler?

    private init(recordsProducts: Bool) {
        self.recordsProducts = recordsProducts
        owner = pthread_self()
        mark = DispatchTime.now().uptimeNanoseconds
    }

    /// Starts timing on the calling thread (time until the first phase counts as `other`).
    @discardableResult
    public static func install(recordingProducts: Bool = false) -> PhaseProfiler {
        let profiler = PhaseProfiler(recordsProducts: recordingProducts)
        active = profiler
        return profiler
    }

    /// Stops timing and returns the profiler with its totals.
    @discardableResult
    public static func uninstall() -> PhaseProfiler? {
        guard let profiler = active else { return nil }
        _ = profiler.switchTo(.other)
        active = nil
        return profiler
    }

    /// Runs `body` as `phase` (on the profiled thread; elsewhere it just runs `body`).
    @inline(__always)
    public static func during<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        guard let profiler = active, pthread_equal(profiler.owner, pthread_self()) != 0 else { return try body() }
        let previous = profiler.switchTo(phase)
        defer { _ = profiler.switchTo(previous) }
        return try body()
    }

    /// Runs a dense product `body` as `products`, recording its shape when asked.
    @inline(__always)
    static func product(_ call: @autoclosure () -> ProductCall, _ body: () -> Void) {
        guard let profiler = active, pthread_equal(profiler.owner, pthread_self()) != 0 else { return body() }
        if profiler.recordsProducts { profiler.products.append(call()) }
        let previous = profiler.switchTo(.products)
        body()
        _ = profiler.switchTo(previous)
    }

    private func switchTo(_ phase: Phase) -> Phase {
        let now = DispatchTime.now().uptimeNanoseconds
        seconds[current.rawValue] += Double(now &- mark) * 1e-9
        mark = now
        let previous = current
        current = phase
        return previous
    }
}
