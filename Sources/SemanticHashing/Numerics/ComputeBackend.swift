import Foundation

/// Where dense matrix products run: a BLAS library found at run time (OpenBLAS, reference BLAS,
/// Accelerate), or the portable multi-threaded Swift kernel.
///
/// ```
/// gemm:  C ← α·op(A)·op(B) + β·C        op(X) = X or Xᵀ;  β = 0 overwrites C
/// ```
///
/// `current` is BLAS when a library loads, unless the environment variable `SEMHASH_BACKEND` says
/// otherwise: `swift` forces the portable kernel; `blas` requires BLAS (without one, `current`
/// warns on stderr and falls back; `ComputeBackend.selected(environment:)` throws instead).
///
/// ```swift
/// print(ComputeBackend.current.name)            // "OpenBLAS (libopenblas.so.0, core Haswell)"
/// var c = Matrix(rows: 2, columns: 2)
/// ComputeBackend.portable.gemm(a, transposeA: true, b, into: &c)
/// ```
public final class ComputeBackend: @unchecked Sendable {
    // Immutable after init, and both kernels are safe to call from any thread.

    /// Which implementation a backend uses.
    public enum Kind: String, Sendable {
        case blas
        case portable
    }

    /// Human-readable name, e.g. "OpenBLAS (libopenblas.so.0, core Haswell)" or "Swift (portable, 2 threads)".
    public let name: String
    public let kind: Kind
    private let gemmImpl: GEMMFunction
    private let libraryThreadingImpl: ((() -> Void) -> Void)?

    typealias GEMMFunction = (_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                              _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                              _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void

    init(name: String, kind: Kind, advice: String? = nil, gemm: @escaping GEMMFunction,
         libraryThreading: ((() -> Void) -> Void)? = nil) {
        self.name = name
        self.advice = advice
        self.kind = kind
        self.gemmImpl = gemm
        self.libraryThreadingImpl = libraryThreading
    }

    /// `name` with the worker thread count, unless the name already gives it (the portable one).
    public var nameWithThreads: String {
        kind == .portable ? name : "\(name), \(ParallelExecution.threadCount) thread\(ParallelExecution.threadCount == 1 ? "" : "s")"
    }

    /// A note for the user when OpenBLAS chose kernels older than the processor (it does not know
    /// every virtual CPU's model and falls back to SSE3 ones), else nil.
    public let advice: String?

    /// Whether `withLibraryThreading` runs anything differently (OpenBLAS only).
    public var hasLibraryThreading: Bool { libraryThreadingImpl != nil }

    /// Runs `body` with the products on the BLAS library's own threads instead of our blocks, to
    /// compare the two (`semhash bench step`). Not for use while other threads run products.
    public func withLibraryThreading(_ body: () -> Void) {
        guard let libraryThreadingImpl else { return body() }
        withoutActuallyEscaping(body) { libraryThreadingImpl($0) }
    }

    /// The backend chosen at start-up (see the type's documentation for `SEMHASH_BACKEND`).
    public static let current: ComputeBackend = {
        do {
            return try selected(environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("warning: \(error); using \(portable.name)\n".utf8))
            return portable
        }
    }()

    /// The portable Swift kernel, always available.
    public static let portable = ComputeBackend(
        name: "Swift (portable, \(ParallelExecution.threadCount) thread\(ParallelExecution.threadCount == 1 ? "" : "s"))",
        kind: .portable, gemm: PortableGEMM.gemm)

    /// The BLAS library found at run time, or nil when none of `libopenblas.so.0`, `libblas.so.3`
    /// (Accelerate on macOS) loads. OpenBLAS is set to one thread of its own: products large
    /// enough to share are split into blocks of C on the `WorkerPool` (`BlockedGEMM`), so the
    /// products and the work between them use the same threads.
    public static let blas: ComputeBackend? = {
        guard let library = BLASLibrary.load(threadCount: 1) else { return nil }
        let dispatch = BLASDispatch(library: library)
        let advice = library.coreName.flatMap {
            coreAdvice(core: $0, hasAVX2: ProcessorFeatures.supportsX86_64_v3, hasAVX512: ProcessorFeatures.supportsX86_64_v4)
        }
        return ComputeBackend(name: library.displayName, kind: .blas, advice: advice) { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            if dispatch.splitsProducts {
                BlockedGEMM.run(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads: ParallelExecution.threadCount,
                                kernel: library.gemm)
            } else {
                library.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            }
        } libraryThreading: { body in
            // For comparison only (bench step): the library's own threads, no blocks of ours.
            library.setLibraryThreads(ParallelExecution.threadCount)
            dispatch.splitsProducts = false
            body()
            dispatch.splitsProducts = library.runsOnCallingThread
            library.setLibraryThreads(1)
        }
    }()

    /// OpenBLAS kernel families without AVX2 (its names, as `openblas_get_corename` gives them).
    static let coresWithoutAVX2: Set<String> = [
        "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington",
        "Nehalem", "Sandybridge", "Opteron", "Barcelona", "Bobcat", "Bulldozer", "Piledriver", "Steamroller", "Nano",
    ]

    /// The advice for an OpenBLAS that chose `core` on a processor with (or without) AVX2/AVX-512.
    static func coreAdvice(core: String, hasAVX2: Bool, hasAVX512: Bool) -> String? {
        guard hasAVX2, coresWithoutAVX2.contains(core) else { return nil }
        let better = hasAVX512 ? "SkylakeX" : "Haswell"
        return "OpenBLAS chose its \(core) kernels, but this processor has \(hasAVX512 ? "AVX-512" : "AVX2"); "
            + "OPENBLAS_CORETYPE=\(better) in the environment makes the products about three times faster "
            + "(codes then differ in their last bits, as with any change of BLAS kernels)"
    }

    /// The backend that `environment["SEMHASH_BACKEND"]` asks for: unset or empty → BLAS if found,
    /// else portable; `swift`/`portable` → portable; `blas` → BLAS or an error.
    public static func selected(environment: [String: String]) throws -> ComputeBackend {
        let request = environment["SEMHASH_BACKEND"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch request {
        case "":
            return blas ?? portable
        case "swift", "portable":
            return portable
        case "blas":
            guard let blas else {
                throw ComputeBackendError.blasUnavailable(tried: BLASLibrary.candidatePaths)
            }
            return blas
        default:
            throw ComputeBackendError.unknownBackend(request)
        }
    }

    /// C ← α·op(A)·op(B) + β·C on this backend.
    public func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                     alpha: Float = 1, beta: Float = 0, into c: inout Matrix) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
             a: a.storage, lda: a.columns, b: b.storage, ldb: b.columns, beta: beta, c: &c.storage, ldc: c.columns)
    }

    /// Array form used by `LinearAlgebra`; shapes are checked by the caller. Empty products
    /// return before any buffer's (possibly nil) base address is used.
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float, c: inout [Float], ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // Nothing to multiply; BLAS would also reject the zero leading dimensions.
            c.withUnsafeMutableBufferPointer { cp in
                PortableGEMM.scaleOutput(cp.baseAddress!, rows: m, columns: n, ldc: ldc, by: beta)
            }
            return
        }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc)
                }
            }
        }
    }

    /// Pointer form, the one place every dense product passes through (so `PhaseProfiler` sees
    /// them all). Shapes are checked by the caller; m, n, k > 0.
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        PhaseProfiler.product(.init(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                    lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)) {
            gemmImpl(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }
}

/// Why the requested compute backend cannot be used.
public enum ComputeBackendError: Error, CustomStringConvertible, Equatable {
    case blasUnavailable(tried: [String])
    case unknownBackend(String)

    public var description: String {
        switch self {
        case .blasUnavailable(let tried):
            return "SEMHASH_BACKEND=blas, but no BLAS library could be loaded (tried \(tried.joined(separator: ", ")))"
        case .unknownBackend(let value):
            return "SEMHASH_BACKEND='\(value)' is not one of 'blas', 'swift'"
        }
    }
}

/// Whether the BLAS backend splits products itself; switched only by `withLibraryThreading`.
private final class BLASDispatch: @unchecked Sendable {
    var splitsProducts: Bool
    init(library: BLASLibrary) { splitsProducts = library.runsOnCallingThread }
}
