import Foundation

/// Reads Fashion-MNIST from its IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each optionally gzip'd as `.gz`):
/// big-endian headers with magic 0x00000803 (images: count, rows, columns) and 0x00000801
/// (labels: count), then unsigned bytes. Pixels are scaled to [0, 1] and then z-scored with
/// training statistics; a seeded 1 000 training images become the validation split (as the
/// paper does for CIFAR-10); reconstruction is Gaussian. The stand-in for the paper's image data.
///
/// Spec: `fashion-mnist:DIR`; an empty DIR means `/usr/share/datasets/fashion-mnist` (where the
/// Debian package `dataset-fashion-mnist` installs it). Options `validation=N|FRACTION` (1000),
/// `seed` (20), `standardize=false`, `train=N`/`test=N` (use only the first N items, for quick runs).
/// Item ids are "train-images row N" / "t10k-images row N" (0-based).
///
/// ```swift
/// let images = try FashionMNISTLoader.load(directory: "/usr/share/datasets/fashion-mnist", options: [:])
/// ```
public enum FashionMNISTLoader {
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "fashion-mnist", known: ["validation", "seed", "standardize", "train", "test"])
        let dir = directory.isEmpty ? defaultDirectory : directory
        let trainLimit = try o.positiveInt("train"), testLimit = try o.positiveInt("test")
        var (trainX, trainY) = try readPair(dir, "train")
        var (testX, testY) = try readPair(dir, "t10k")
        if let n = trainLimit, n < trainX.rows { trainX = trainX.gatherRows(0..<n); trainY = Array(trainY.prefix(n)) }
        if let n = testLimit, n < testX.rows { testX = testX.gatherRows(0..<n); testY = Array(testY.prefix(n)) }
        guard trainX.columns == testX.columns else {
            throw SemanticHashingError.malformedInput(location: dir, reason: "train images have \(trainX.columns) pixels, test images \(testX.columns)")
        }
        let validationCount = options["validation"] == nil ? (trainX.rows > 1000 ? 1000 : 0)
            : try o.rowCount("validation", total: trainX.rows, defaultFraction: 0, source: dir)
        var data = try DenseDatasetBuilder.build(
            name: "fashion-mnist", features: trainX, labels: Labels(singleLabel: trainY, classCount: 10),
            ids: (0..<trainX.rows).map { "train-images row \($0)" },
            test: (testX, Labels(singleLabel: testY, classCount: 10)), testIDs: (0..<testX.rows).map { "t10k-images row \($0)" },
            classNames: classNames, testCount: 0, validationCount: validationCount,
            seed: try o.seed(default: 20), standardize: try o.flag("standardize", default: true),
            settings: [("format", "IDX (Fashion-MNIST)"), ("directory", dir), ("pixels", "scaled to [0, 1]")])
        data.featureNames = (0..<trainX.columns).map { "px\($0 / 28)_\($0 % 28)" }
        return data
    }

    /// Reads `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]`.
    static func readPair(_ dir: String, _ prefix: String) throws -> (Matrix, [Int]) {
        let imagesPath = try find(dir, "\(prefix)-images-idx3-ubyte")
        let labelsPath = try find(dir, "\(prefix)-labels-idx1-ubyte")
        let (imageDims, pixels) = try readIDX(imagesPath, magic: 0x0000_0803, dimensions: 3)
        let (labelDims, labelBytes) = try readIDX(labelsPath, magic: 0x0000_0801, dimensions: 1)
        guard imageDims[0] == labelDims[0] else {
            throw SemanticHashingError.malformedInput(location: labelsPath, reason: "\(labelDims[0]) labels for \(imageDims[0]) images in \(imagesPath)")
        }
        for (i, l) in labelBytes.enumerated() where l > 9 {
            throw SemanticHashingError.malformedInput(location: "\(labelsPath), offset \(8 + i)", reason: "label \(l) is not a class 0…9")
        }
        let width = imageDims[1] * imageDims[2]
        let images = Matrix(rows: imageDims[0], columns: width, storage: pixels.map { Float($0) / 255 })
        return (images, labelBytes.map(Int.init))
    }

    static func find(_ dir: String, _ name: String) throws -> String {
        for candidate in ["\(dir)/\(name)", "\(dir)/\(name).gz"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw SemanticHashingError.missingInput(path: "\(dir)/\(name)[.gz]", reason: "no such file")
    }

    /// Reads an IDX file of unsigned bytes: magic, `dimensions` big-endian sizes, then the data.
    public static func readIDX(_ path: String, magic: UInt32, dimensions: Int) throws -> (dims: [Int], data: [UInt8]) {
        let bytes = try Zlib.readMaybeGzip(path)
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else {
            throw SemanticHashingError.malformedInput(location: "\(path), offset 0", reason: "too short for an IDX header (\(bytes.count) bytes)")
        }
        guard u32(0) == magic else {
            throw SemanticHashingError.malformedInput(location: "\(path), offset 0",
                                                      reason: String(format: "magic 0x%08X, expected 0x%08X", u32(0), magic))
        }
        let dims = (0..<dimensions).map { Int(u32(4 + 4 * $0)) }
        let (count, overflow) = dims.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        guard !overflow, bytes.count - headerSize == count else {
            throw SemanticHashingError.malformedInput(location: "\(path), offset \(headerSize)",
                                                      reason: "dimensions \(dims) need \(count) bytes of data, the file has \(bytes.count - headerSize)")
        }
        return (dims, Array(bytes[headerSize...]))
    }
}
