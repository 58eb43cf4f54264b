import XCTest
@testable import SemanticHashing

/// npy, csv and Fashion-MNIST (IDX) loaders, which share the dense split/standardise path.
final class DenseLoaderTests: XCTestCase {
    typealias W = FixtureWriters

    /// An .npy file (version 1 or 3) with the given dtype and raw little-endian payload.
    func npy(_ descr: String, shape: [Int], payload: [UInt8], version: UInt8 = 1, fortran: Bool = false) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let n = header.utf8.count
        out += version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : W.le32(UInt32(n))
        return Data(out + Array(header.utf8) + payload)
    }

    func f4(_ v: [Float]) -> [UInt8] { v.flatMap { W.le32($0.bitPattern) } }
    func i8(_ v: [Int64]) -> [UInt8] { v.flatMap { x -> [UInt8] in let u = UInt64(bitPattern: x); return W.le32(UInt32(u & 0xFFFF_FFFF)) + W.le32(UInt32(u >> 32)) } }

    func testNPYRoundTripSplitsAndStandardisation() throws {
        let dir = try TempDirectory()
        // 10 items × 2 features: feature 0 = i, feature 1 = 2i; class = i % 2.
        let x = try dir.write("x.npy", npy("<f4", shape: [10, 2], payload: f4((0..<10).flatMap { [Float($0), Float(2 * $0)] })))
        let y = try dir.write("y.npy", npy("<i8", shape: [10], payload: i8((0..<10).map { Int64($0 % 2) }), version: 3))
        let raw = try NPYLoader.load(paths: "\(x),\(y)", options: ["test": "2", "validation": "0", "standardize": "false"])
        XCTAssertEqual(raw.train.features.denseRows.map { $0[1] }, (0..<8).map { Float(2 * $0) })
        XCTAssertEqual(raw.test.features.denseRows, [[8, 16], [9, 18]])
        XCTAssertEqual(raw.test.labels.sets, [[0], [1]])
        XCTAssertEqual(raw.reconstruction, .gaussian)
        let z = try NPYLoader.load(paths: "\(x),\(y)", options: ["test": "2", "validation": "0"])
        // Train mean of 0…7 is 3.5 and population std √5.25; test item 8 → (8 − 3.5)/√5.25.
        XCTAssertEqual(z.test.features.denseRows[0][0], Float((8 - 3.5) / 5.25.squareRoot()), accuracy: 1e-5)
        XCTAssertEqual(z.train.features.denseRows.map { $0[0] }.reduce(0, +), 0, accuracy: 1e-4)
        let v = try NPYLoader.load(paths: "\(x),\(y)", options: [:])  // 20 % test, 10 % of the rest validation
        XCTAssertEqual([v.train.count, v.validation?.count ?? 0, v.test.count], [8, 0, 2])
    }

    func testNPYMultiHotAndErrors() throws {
        let dir = try TempDirectory()
        let x = try dir.write("x.npy", npy("<f8", shape: [3, 1], payload: [1.0, 2.0, 3.0].flatMap { d -> [UInt8] in
            W.le32(UInt32(d.bitPattern & 0xFFFF_FFFF)) + W.le32(UInt32(d.bitPattern >> 32)) }))
        let y = try dir.write("y.npy", npy("|u1", shape: [3, 2], payload: [1, 1, 0, 1, 0, 0]))
        let data = try NPYLoader.load(paths: "\(x),\(y)", options: ["test": "1", "validation": "0", "standardize": "false"])
        XCTAssertTrue(data.isMultiLabel)
        XCTAssertEqual(data.train.labels.sets, [[0, 1], [1]])
        XCTAssertEqual(data.test.labels.sets, [[]])
        assertMalformed("f.npy, offset", reasonContains: "fortran_order") {
            try NPYLoader.read(path: try dir.write("f.npy", self.npy("<f4", shape: [1, 1], payload: self.f4([1]), fortran: true)))
        }
        assertMalformed("t.npy, offset", reasonContains: "truncated") {
            try NPYLoader.read(path: try dir.write("t.npy", self.npy("<f4", shape: [4, 4], payload: self.f4([1, 2]))))
        }
        assertMalformed("m.npy, offset 0", reasonContains: "magic") { try NPYLoader.read(path: try dir.write("m.npy", Data("hello world!".utf8))) }
        assertMalformed("d.npy, offset", reasonContains: "dtype") {
            try NPYLoader.read(path: try dir.write("d.npy", self.npy(">f4", shape: [1], payload: self.f4([1]))))
        }
        let nan = try dir.write("nan.npy", npy("<f4", shape: [3, 1], payload: f4([1, .nan, 2])))
        assertMalformed("nan.npy, element 1", reasonContains: "NaN") { try NPYLoader.load(paths: "\(nan),\(y)", options: [:]) }
        let badY = try dir.write("by.npy", npy("<f4", shape: [3], payload: f4([0, 1.5, 1])))
        assertMalformed("by.npy, row 1", reasonContains: "class id") { try NPYLoader.load(paths: "\(x),\(badY)", options: [:]) }
    }

    func testCSV() throws {
        let dir = try TempDirectory()
        let path = try dir.write("flowers.csv", """
        length,"species name",width
        1.5,rose,2
        2,tulip,3

        "3",rose,4
        4,daisy,5
        5,tulip,6
        """)
        let data = try CSVLoader.load(path: path, options: ["label": "species name", "test": "2", "validation": "0", "standardize": "false"])
        XCTAssertEqual(data.classNames, ["daisy", "rose", "tulip"])
        XCTAssertEqual(data.featureNames, ["length", "width"])
        XCTAssertEqual(data.train.features.denseRows, [[1.5, 2], [2, 3], [3, 4]])
        XCTAssertEqual(data.train.labels.sets, [[1], [2], [1]])
        XCTAssertEqual(data.test.labels.sets, [[0], [2]])
        let ids = try CSVLoader.load(path: try dir.write("ids.csv", "a,b,y\n1,2,0\n3,4,2\n5,6,1\n7,8,0\n"), options: ["test": "1"])
        XCTAssertEqual(ids.classNames, ["0", "1", "2"])
        assertMalformed("bad.csv:3", reasonContains: "header has 2 columns") { try CSVLoader.load(path: try dir.write("bad.csv", "a,y\n1,0\n2\n"), options: [:]) }
        assertMalformed("bad.csv:2", reasonContains: "not a number") { try CSVLoader.load(path: try dir.write("bad.csv", "a,y\nx,0\n"), options: [:]) }
        assertMalformed("bad.csv:2", reasonContains: "NaN") { try CSVLoader.load(path: try dir.write("bad.csv", "a,y\nnan,0\n1,1\n"), options: [:]) }
        assertMalformed("bad.csv", reasonContains: "empty") { try CSVLoader.load(path: try dir.write("bad.csv", ""), options: [:]) }
        XCTAssertThrowsError(try CSVLoader.load(path: path, options: ["label": "colour"]))
    }

    func idx(magic: UInt32, dims: [Int], data: [UInt8]) -> [UInt8] {
        W.be32(magic) + dims.flatMap { W.be32(UInt32($0)) } + data
    }

    func testFashionMNISTFromIDXFiles() throws {
        let dir = try TempDirectory()
        // 5 training and 2 test "images" of 2×2 pixels, gzip'd and plain.
        let trainPixels: [UInt8] = (0..<20).map { UInt8($0 * 10) }
        try dir.write("train-images-idx3-ubyte.gz", Data(W.gzip(idx(magic: 0x803, dims: [5, 2, 2], data: trainPixels))))
        try dir.write("train-labels-idx1-ubyte.gz", Data(W.gzip(idx(magic: 0x801, dims: [5], data: [0, 9, 3, 3, 1]))))
        try dir.write("t10k-images-idx3-ubyte", Data(idx(magic: 0x803, dims: [2, 2, 2], data: [255, 0, 0, 255, 51, 51, 51, 51])))
        try dir.write("t10k-labels-idx1-ubyte", Data(idx(magic: 0x801, dims: [2], data: [7, 8])))
        let data = try FashionMNISTLoader.load(directory: dir.path, options: ["standardize": "false"])
        XCTAssertEqual(data.classNames.count, 10)
        XCTAssertEqual(data.classNames[9], "Ankle boot")
        XCTAssertNil(data.validation)  // fewer than 1 000 images: no default validation split
        XCTAssertEqual(data.train.features.denseRows[1], [40, 50, 60, 70].map { Float($0) / 255 })
        XCTAssertEqual(data.train.labels.sets, [[0], [9], [3], [3], [1]])
        XCTAssertEqual(data.test.features.denseRows, [[1, 0, 0, 1], [0.2, 0.2, 0.2, 0.2]])
        XCTAssertEqual(data.reconstruction, .gaussian)
        let withVal = try FashionMNISTLoader.load(directory: dir.path, options: ["validation": "2"])
        XCTAssertEqual([withVal.train.count, withVal.validation?.count ?? 0], [3, 2])

        try dir.write("t10k-labels-idx1-ubyte", Data(idx(magic: 0x803, dims: [2], data: [7, 8])))
        assertMalformed("t10k-labels-idx1-ubyte, offset 0", reasonContains: "magic") { try FashionMNISTLoader.load(directory: dir.path, options: [:]) }
        try dir.write("t10k-labels-idx1-ubyte", Data(idx(magic: 0x801, dims: [3], data: [7, 8])))
        assertMalformed("t10k-labels-idx1-ubyte, offset 8", reasonContains: "need 3 bytes") { try FashionMNISTLoader.load(directory: dir.path, options: [:]) }
        try dir.write("t10k-labels-idx1-ubyte", Data(idx(magic: 0x801, dims: [2], data: [7, 12])))
        assertMalformed("t10k-labels-idx1-ubyte, offset 9", reasonContains: "label 12") { try FashionMNISTLoader.load(directory: dir.path, options: [:]) }
    }

    func testInstalledFashionMNISTWhenAvailable() throws {
        guard FileManager.default.fileExists(atPath: FashionMNISTLoader.defaultDirectory),
              ProcessInfo.processInfo.environment["SEMHASH_SHARED"] != nil else { throw XCTSkip("SEMHASH_SHARED not set or no Fashion-MNIST") }
        let data = try FashionMNISTLoader.load(directory: "", options: [:])
        XCTAssertEqual([data.train.count, data.validation?.count ?? 0, data.test.count], [59_000, 1_000, 10_000])
        XCTAssertEqual(data.featureCount, 784)
    }
}
