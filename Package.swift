// swift-tools-version:6.0
import PackageDescription

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
        .target(
            name: "SemanticHashing",
            dependencies: ["CZlib"]
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
        .testTarget(name: "SemanticHashingTests", dependencies: ["SemanticHashing"]),
    ]
)
