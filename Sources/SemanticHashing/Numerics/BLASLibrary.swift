import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CBLAS library opened at run time with `dlopen`, so the package builds and runs without one.
///
/// Computes, through the library's `cblas_sgemm` in row-major order,
/// ```
/// C ← α·op(A)·op(B) + β·C        op(X) = X or Xᵀ,  A: m×k, B: k×n, C: m×n after op
/// ```
///
/// ```swift
/// if let blas = BLASLibrary.load() {
///     print(blas.displayName)     // "OpenBLAS (libopenblas.so.0, core Haswell)"
/// }
/// ```
final class BLASLibrary: @unchecked Sendable {
    // Immutable after init; the C function itself is thread-safe, hence @unchecked Sendable.

    /// `cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)`; the
    /// enums are C `int`s, and LP64 OpenBLAS/reference BLAS use 32-bit integer dimensions.
    typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32,
                                      Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32,
                                      Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreadCount = @convention(c) (Int32) -> Void
    typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?

    private static let rowMajor: Int32 = 101
    private static let noTranspose: Int32 = 111
    private static let transpose: Int32 = 112

    /// The libraries tried, in order of preference.
    static var candidatePaths: [String] {
        #if os(macOS)
        return ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "libopenblas.dylib", "libblas.dylib"]
        #else
        return ["libopenblas.so.0", "libblas.so.3"]
        #endif
    }

    let path: String
    /// The kernel family OpenBLAS chose for this processor ("Haswell", "SkylakeX", …), nil for other libraries.
    let coreName: String?
    /// "OpenBLAS (libopenblas.so.0, core Haswell)", "Accelerate (…)" or "BLAS (libblas.so.3)".
    /// OpenBLAS's kernels are named because it picks them by processor (OPENBLAS_CORETYPE
    /// overrides it), and they change both the speed and the last bits of every product.
    let displayName: String
    /// Whether a call runs on the calling thread only, so callers may split a product into
    /// blocks and run them on their own threads: OpenBLAS (set to one thread of its own) and the
    /// reference BLAS; not Accelerate, which threads internally.
    let runsOnCallingThread: Bool
    private let sgemm: SGEMM
    private let setThreadCount: SetThreadCount?

    private init(path: String, displayName: String, coreName: String?, runsOnCallingThread: Bool, sgemm: @escaping SGEMM,
                 setThreadCount: SetThreadCount?) {
        self.path = path
        self.coreName = coreName
        self.displayName = displayName
        self.runsOnCallingThread = runsOnCallingThread
        self.sgemm = sgemm
        self.setThreadCount = setThreadCount
    }

    /// Sets OpenBLAS's own thread count (no effect on other libraries).
    func setLibraryThreads(_ count: Int) {
        setThreadCount?(Int32(clamping: count))
    }

    /// The first candidate library that opens and exports `cblas_sgemm`, or nil. The handle stays
    /// open for the life of the process (the function pointer must stay valid). OpenBLAS is set
    /// to `threadCount` threads of its own, and asked for the kernels the processor can run
    /// (`requestedCore`).
    static func load(threadCount: Int? = nil) -> BLASLibrary? {
        if let core = requestedCore(environment: ProcessInfo.processInfo.environment,
                                    hasAVX2: ProcessorFeatures.supportsX86_64_v3, hasAVX512: ProcessorFeatures.supportsX86_64_v4) {
            setenv("OPENBLAS_CORETYPE", core, 0)
        }
        for path in candidatePaths {
            guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let symbol = dlsym(handle, "cblas_sgemm") else {
                dlclose(handle)
                continue
            }
            let isOpenBLAS = dlsym(handle, "openblas_get_config") != nil
            let setter = isOpenBLAS ? dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreadCount.self) } : nil
            if let threadCount { setter?(Int32(clamping: threadCount)) }
            let shortName = path.split(separator: "/").last.map(String.init) ?? path
            let isAccelerate = path.contains("Accelerate")
            let family = isOpenBLAS ? "OpenBLAS" : (isAccelerate ? "Accelerate" : "BLAS")
            let core = dlsym(handle, "openblas_get_corename")
                .flatMap { unsafeBitCast($0, to: CoreName.self)() }
                .map { String(cString: $0) }
                .flatMap { $0.isEmpty ? nil : $0 }
            return BLASLibrary(path: path, displayName: "\(family) (\(shortName)\(core.map { ", core \($0)" } ?? ""))", coreName: core,
                               runsOnCallingThread: isOpenBLAS ? threadCount == 1 : !isAccelerate,
                               sgemm: unsafeBitCast(symbol, to: SGEMM.self), setThreadCount: setter)
        }
        return nil
    }

    /// The kernel family to ask OpenBLAS for before it loads, or nil to leave its choice alone.
    /// OpenBLAS picks kernels by processor model, and a model it does not know (many virtual
    /// processors) gets its SSE3 "Prescott" kernels: on a 2-core AVX-512 Xeon VM they made the
    /// products 3.2× and `train` on Snippets 1.9× slower than "SkylakeX". Where the processor
    /// lists AVX-512 or AVX2 (the check that also picks semhash's own kernels), the family those
    /// features run is named: "SkylakeX" or "Haswell", the kernels OpenBLAS itself picks for the
    /// processors it knows with them. A value the user set, even empty, is kept; a build of
    /// OpenBLAS for one processor ignores the variable.
    static func requestedCore(environment: [String: String], hasAVX2: Bool, hasAVX512: Bool) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, hasAVX2 else { return nil }
        return hasAVX512 ? "SkylakeX" : "Haswell"
    }

    /// C ← α·op(A)·op(B) + β·C in row-major storage. Callers have checked the shapes; empty
    /// problems never reach the library (it rejects leading dimensions of 0).
    func gemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        precondition(m <= Int32.max && n <= Int32.max && k <= Int32.max && lda <= Int32.max
                     && ldb <= Int32.max && ldc <= Int32.max, "BLAS gemm: dimensions exceed 32-bit BLAS integers")
        sgemm(Self.rowMajor,
              transposeA ? Self.transpose : Self.noTranspose,
              transposeB ? Self.transpose : Self.noTranspose,
              Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
