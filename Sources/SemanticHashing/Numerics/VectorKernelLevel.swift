import Foundation
import VectorKernels
import VectorKernelsAVX2
import VectorKernelsAVX512

/// The build of the training step's element-wise kernels (Adam, the softmax over the vocabulary,
/// the sparse first layer's row sums) that runs. All three compute the same bits; they differ in
/// register width:
///
/// ```
/// portable: the toolchain's baseline (SSE2 on x86-64: 4 floats a register), any processor
/// avx2:     x86-64-v3 (8 floats a register)
/// avx512:   x86-64-v4 (16 floats a register)
/// current = SEMHASH_VECTOR_KERNEL if set and supported, else the widest supported
/// ```
///
/// ```swift
/// VectorKernelLevel.kernels.scale(row, count: d, by: 0.5)
/// print(VectorKernelLevel.current)   // avx512 on an AVX-512 machine
/// ```
public enum VectorKernelLevel: String, CaseIterable, Sendable {
    case portable
    case avx2
    case avx512

    /// Whether this processor (and operating system) can run the build.
    public var isSupported: Bool { ProcessorFeatures.canRun(build: rawValue) }

    /// The build's kernels (call only when `isSupported`).
    public var kernels: any VectorKernelSet.Type {
        switch self {
        case .portable: PortableVectorKernels.self
        case .avx2: AVX2VectorKernels.self
        case .avx512: AVX512VectorKernels.self
        }
    }

    /// The build the library runs, chosen once per process.
    public static let current: VectorKernelLevel =
        ProcessorFeatures.chosenLevel(variable: "SEMHASH_VECTOR_KERNEL", isSupported: \.isSupported)

    /// `current.kernels`.
    static let kernels: any VectorKernelSet.Type = current.kernels
}
