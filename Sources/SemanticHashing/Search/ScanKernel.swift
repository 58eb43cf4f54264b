import Foundation

/// The bit-sliced kernel a flat scan runs on. Both give identical results; they differ in how
/// many codes one vector operation decides:
///
/// ```
/// portable: SIMD2<UInt64>, 128 codes per block — SSE2 on any x86-64, NEON on arm64
/// avx2:     SIMD4<UInt64>, 256 codes per block — x86-64-v3 processors (AVX2, BMI1/2, POPCNT, …)
/// avx512:   SIMD8<UInt64>, 512 codes per block — x86-64-v4 processors (AVX-512 F, BW, CD, DQ, VL)
/// fastest = SEMHASH_SCAN_KERNEL if set and supported, else the widest supported
/// ```
///
/// The AVX2 and AVX-512 kernels live in modules compiled for x86-64-v3 and -v4 and are reached
/// only when `isSupported` (read from the processor's flags at run time) says they may run.
///
/// ```swift
/// let index = LinearScanIndex(codes: database, kernel: .portable)
/// print(ScanKernel.fastest)   // avx2 on most x86-64 machines since 2013
/// ```
public enum ScanKernel: String, CaseIterable, Sendable {
    case portable
    case avx2
    case avx512

    /// Whether this processor (and operating system) can run the kernel.
    public var isSupported: Bool { ProcessorFeatures.canRun(build: rawValue) }

    /// The kernel new indexes use unless told otherwise.
    public static let fastest: ScanKernel =
        ProcessorFeatures.chosenLevel(variable: "SEMHASH_SCAN_KERNEL", isSupported: \.isSupported)
}
