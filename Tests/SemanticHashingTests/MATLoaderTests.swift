import XCTest
@testable import SemanticHashing

final class MATLoaderTests: XCTestCase {
    typealias W = FixtureWriters

    func sparse(_ name: String, _ rows: [[Double]]) -> [UInt8] {
        let (ir, jc, pr) = W.csc(rows)
        return W.sparseMatrix(name, rows: rows.count, columns: rows.first?.count ?? 0, ir: ir, jc: jc, pr: pr)
    }

    func testVDSHLayoutUncompressedAndCompressed() throws {
        let dir = try TempDirectory()
        let train: [[Double]] = [[0.5, 0, 0.25], [0, 0, 0], [0, 1, 0], [0.1, 0.2, 0.3]]
        var file = W.matHeader()
        file += sparse("train", train)
        file += W.denseMatrix("gnd_train", rows: 4, columns: 1, columnMajor: [1, 2, 3, 1])
        file += W.compressed(sparse("test", [[0, 0, 2], [1, 0, 0]]))
        file += W.compressed(W.denseMatrix("gnd_test", rows: 2, columns: 1, columnMajor: [3, 2]))
        file += W.compressed(sparse("cv", [[0, 3, 0]]))
        file += W.denseMatrix("gnd_cv", rows: 1, columns: 1, columnMajor: [2], asUInt8: true)
        let path = try dir.write("toy.mat", Data(file))

        let vars = try MATFileReader.read(path: path)
        XCTAssertEqual(Set(vars.keys), ["train", "gnd_train", "test", "gnd_test", "cv", "gnd_cv"])
        guard case .sparse(let csc)? = vars["train"] else { return XCTFail("train not sparse") }
        XCTAssertEqual(csc.toCSR().densified(), Matrix(train.map { $0.map(Float.init) }))

        let data = try MATLoader.load(path: path, options: [:])
        XCTAssertEqual(data.name, "toy")
        XCTAssertEqual(data.train.count, 3)  // the all-zero row is dropped
        XCTAssertEqual(data.train.features.denseRows, [[0.5, 0, 0.25], [0, 1, 0], [0.1, 0.2, 0.3]])
        XCTAssertEqual(data.train.labels.sets, [[0], [2], [0]])  // 1-based class numbers
        XCTAssertEqual(data.test.labels.sets, [[2], [1]])
        XCTAssertEqual(data.test.features.denseRows, [[0, 0, 2], [1, 0, 0]])
        XCTAssertEqual(data.validation?.labels.sets, [[1]])
        XCTAssertEqual(data.classCount, 3)
        XCTAssertFalse(data.isMultiLabel)
    }

    func testMultiHotLabelsTransposedFeaturesAndNoCV() throws {
        let dir = try TempDirectory()
        var file = W.matHeader()
        // Features stored features × items (3 × 5); labels items × classes (5 × 2), sparse.
        file += sparse("train", [[1, 0, 0, 2, 1], [0, 1, 0, 0, 1], [0, 0, 3, 0, 1]])
        file += sparse("gnd_train", [[1, 1], [0, 1], [1, 0], [0, 0], [1, 0]])
        file += W.compressed(sparse("test", [[1], [1], [0]]))
        file += W.denseMatrix("gnd_test", rows: 1, columns: 2, columnMajor: [0, 1])
        let path = try dir.write("multi.mat", Data(file))
        let data = try MATLoader.load(path: path, options: ["validation": "1", "seed": "5"])
        XCTAssertTrue(data.isMultiLabel)
        XCTAssertEqual(data.featureCount, 3)
        XCTAssertEqual(data.train.count + (data.validation?.count ?? 0), 5)
        XCTAssertEqual(data.validation?.count, 1)
        let all = DataSplit.vstack([data.train, data.validation!])
        let pairs = zip(all.features.denseRows, all.labels.sets).map { "\($0)\($1)" }.sorted()
        XCTAssertEqual(pairs, ["[0.0, 0.0, 3.0][0]", "[0.0, 1.0, 0.0][1]", "[1.0, 0.0, 0.0][0, 1]",
                               "[1.0, 1.0, 1.0][0]", "[2.0, 0.0, 0.0][]"])
        XCTAssertEqual(data.test.features.denseRows, [[1, 1, 0]])
        XCTAssertEqual(data.test.labels.sets, [[1]])
    }

    func testBadFiles() throws {
        let dir = try TempDirectory()
        assertMalformed("short.mat, offset 0", reasonContains: "too short") { try MATFileReader.read(path: try dir.write("short.mat", Data([1, 2, 3]))) }
        var header = W.matHeader()
        header[126] = 0x41
        assertMalformed("bad.mat, offset 126", reasonContains: "endian") { try MATFileReader.read(path: try dir.write("bad.mat", Data(header))) }
        let full = W.matHeader() + sparse("train", [[1, 0], [0, 2]])
        assertMalformed("cut.mat, offset 128", reasonContains: "truncated") {
            try MATFileReader.read(path: try dir.write("cut.mat", Data(full.prefix(full.count - 12))))
        }
        var corrupt = W.matHeader() + W.compressed(sparse("train", [[1, 0], [0, 2]]))
        corrupt[128 + 8 + 3] ^= 0xFF  // inside the deflate block header
        assertMalformed("z.mat, offset 128", reasonContains: "compressed") { try MATFileReader.read(path: try dir.write("z.mat", Data(corrupt))) }
        let noLabels = W.matHeader() + sparse("train", [[1]]) + sparse("test", [[1]])
        assertMalformed("nolabels.mat", reasonContains: "gnd_train") {
            try MATLoader.load(path: try dir.write("nolabels.mat", Data(noLabels)), options: [:])
        }
        let nan = W.matHeader() + W.denseMatrix("train", rows: 1, columns: 1, columnMajor: [.nan])
        assertMalformed("nan.mat", reasonContains: "NaN") { try MATFileReader.read(path: try dir.write("nan.mat", Data(nan))) }
        let (ir, jc, pr) = W.csc([[1, 0], [0, 2]])
        let badRow = W.matHeader() + W.sparseMatrix("train", rows: 1, columns: 2, ir: ir, jc: jc, pr: pr)
        assertMalformed("row.mat", reasonContains: "row index 1") { try MATFileReader.read(path: try dir.write("row.mat", Data(badRow))) }
    }

    func testZlibAndGzipInflate() throws {
        let payload = (0..<200_000).map { UInt8($0 % 251) }
        XCTAssertEqual(try Zlib.inflate(W.zlib(payload), format: .zlib, location: "x"), payload)
        // Two gzip members concatenated inflate to both payloads.
        let twoMembers = W.gzip(Array(payload.prefix(10))) + W.gzip(Array(payload.suffix(5)))
        XCTAssertEqual(try Zlib.inflate(twoMembers, format: .gzip, location: "x"), Array(payload.prefix(10)) + Array(payload.suffix(5)))
        let gz = W.gzip(payload)
        assertMalformed("x.gz", reasonContains: "truncated") { try Zlib.inflate(Array(gz.prefix(1000)), format: .gzip, location: "x.gz") }
    }
}
