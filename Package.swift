// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "semhash",
    products: [
        .library(name: "SemanticHashing", targets: ["SemanticHashing"]),
        .executable(name: "semhash", targets: ["semhash"]),
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
        .testTarget(name: "SemanticHashingTests", dependencies: ["SemanticHashing"]),
    ]
)
