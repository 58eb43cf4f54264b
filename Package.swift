// swift-tools-version:6.0
import PackageDescription

// The four-lane scan kernel and the training step's element-wise kernels are compiled once more for
// x86-64-v3 (AVX2, BMI1/2, POPCNT, …), the eight-lane scan kernel and the element-wise kernels
// again for x86-64-v4 (AVX-512), each called only after a run-time check of the processor;
// everything else keeps the toolchain's baseline target.
// `-Xcc -march=…` because Swift's own `-target-cpu` rejects the x86-64-v3 level name; the clang
// importer's target options set the code generator's features as well. Other architectures
// build the module for their baseline and never call it.
#if arch(x86_64)
let avx2KernelSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
let avx512KernelSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v4"])]
#else
let avx2KernelSettings: [SwiftSetting] = []
let avx512KernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "semhash",
    products: [
        .library(name: "SemanticHashing", targets: ["SemanticHashing"]),
        .executable(name: "semhash", targets: ["semhash"]),
        // Hostile-input fuzzer for the release binary; not part of `swift test` (see Sources/semhash-fuzz/README.md).
        .executable(name: "semhash-fuzz", targets: ["semhash-fuzz"]),
    ],
    targets: [
        // The system zlib, for MAT-file v5 compressed elements and gzip'd IDX files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The bit-sliced Hamming kernel, generic over the lane width (inlined by its callers).
        .target(name: "BitSlicedScan"),
        .target(name: "BitSlicedScanAVX2", dependencies: ["BitSlicedScan"], swiftSettings: avx2KernelSettings),
        .target(name: "BitSlicedScanAVX512", dependencies: ["BitSlicedScan"], swiftSettings: avx512KernelSettings),
        // Adam, softmax and sparse-row loops, written once (inlined by the modules below).
        .target(name: "VectorKernels"),
        .target(name: "VectorKernelsAVX2", dependencies: ["VectorKernels"], swiftSettings: avx2KernelSettings),
        .target(name: "VectorKernelsAVX512", dependencies: ["VectorKernels"], swiftSettings: avx512KernelSettings),
        .target(
            name: "SemanticHashing",
            dependencies: ["CZlib", "BitSlicedScan", "BitSlicedScanAVX2", "BitSlicedScanAVX512",
                           "VectorKernels", "VectorKernelsAVX2", "VectorKernelsAVX512"]
        ),
        .executableTarget(
            name: "semhash",
            dependencies: ["SemanticHashing"]
        ),
        .executableTarget(
            name: "semhash-fuzz",
            dependencies: ["SemanticHashing"],
            exclude: ["README.md"]
        ),
        .testTarget(name: "SemanticHashingTests", dependencies: ["SemanticHashing", "BitSlicedScan", "BitSlicedScanAVX2", "BitSlicedScanAVX512",
                                                              "VectorKernels", "VectorKernelsAVX2", "VectorKernelsAVX512"]),
    ]
)
