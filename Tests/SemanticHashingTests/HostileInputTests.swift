import Foundation
import XCTest
@testable import SemanticHashing

/// One case for every hostile input that used to abort the process, allocate without bound, or
/// load silently wrong: each must now load correctly (sparse class ids) or throw a
/// `SemanticHashingError` whose message names the file and the offending value. (The CLI maps
/// `malformedInput` to exit 65, `io` to 74/66 and `invalidArgument` to 64; the fuzzer under
/// Sources/semhash-fuzz checks those exit codes on the release binary.)
final class HostileInputTests: XCTestCase {
    typealias W = FixtureWriters

    /// Asserts `body` throws an error whose message contains every fragment.
    func assertError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        do {
            _ = try body()
            XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
        } catch let error as SemanticHashingError {
            let text = error.description
            for f in fragments { XCTAssertTrue(text.contains(f), "'\(text)' lacks '\(f)'", file: file, line: line) }
        } catch {
            XCTFail("expected a SemanticHashingError, got \(error)", file: file, line: line)
        }
    }

    // MARK: class ids through a dictionary

    func testHugeLibSVMLabelsAreClassIdsNotCounts() throws {
        let dir = try TempDirectory()
        let train = try dir.write("train.svm", "3 1:1\n99999999 2:1\n2147483646 1:2\n3 2:2\n")
        let test = try dir.write("test.svm", "99999999 1:1\n")
        let data = try LibSVMLoader.load(paths: "\(train),\(test)", options: [:])
        XCTAssertEqual(data.classNames, ["3", "99999999", "2147483646"])
        XCTAssertEqual(data.train.labels.sets, [[0], [1], [2], [0]])
        XCTAssertEqual(data.test.labels.sets, [[1]])
        XCTAssertEqual(data.train.ids ?? [], ["train.svm:1", "train.svm:2", "train.svm:3", "train.svm:4"])
    }

    func testOrdinaryDenseNumberingIsKept() throws {
        let dir = try TempDirectory()
        // 0, 1, 3 used: at least half of 0…3, so the numbering stays 0…3 with class 2 empty.
        let train = try dir.write("train.svm", "0 1:1\n1 2:1\n3 1:2\n")
        let test = try dir.write("test.svm", "1 1:1\n")
        let data = try LibSVMLoader.load(paths: "\(train),\(test)", options: [:])
        XCTAssertEqual(data.classNames, ["0", "1", "2", "3"])
        XCTAssertEqual(data.train.labels.sets, [[0], [1], [3]])
        let oneBased = try LibSVMLoader.load(paths: "\(train),\(test)", options: ["labels": "0based"])
        XCTAssertEqual(oneBased.classCount, 4)
    }

    func testCSVLabel999999IsOneClass() throws {
        let dir = try TempDirectory()
        var text = "a,b,y\n"
        for i in 0..<10 { text += "\(i),\(i % 3),\(i % 2 == 0 ? 999_999 : 4)\n" }
        let data = try CSVLoader.load(path: try dir.write("t.csv", text), options: ["test": "2", "validation": "0"])
        XCTAssertEqual(data.classNames, ["4", "999999"])
        XCTAssertEqual(data.classCount, 2)
        XCTAssertEqual(data.test.ids ?? [], ["t.csv:10", "t.csv:11"])
    }

    func testMATClassNumberTwoBillionIsOneClass() throws {
        let dir = try TempDirectory()
        let (ir, jc, pr) = W.csc([[1, 0], [0, 2], [3, 0]])
        let mat = W.matHeader() + W.sparseMatrix("train", rows: 3, columns: 2, ir: ir, jc: jc, pr: pr)
            + W.denseMatrix("gnd_train", rows: 3, columns: 1, columnMajor: [1, 2e9, 1])
            + W.sparseMatrix("test", rows: 3, columns: 2, ir: ir, jc: jc, pr: pr)
            + W.denseMatrix("gnd_test", rows: 3, columns: 1, columnMajor: [2e9, 1, 1])
        let path = try dir.write("big.mat", Data(mat))
        let data = try MATLoader.load(path: path, options: ["validation": "0"])
        XCTAssertEqual(data.classNames, ["1", "2000000000"])
        XCTAssertEqual(data.train.labels.sets, [[0], [1], [0]])
        XCTAssertEqual(data.test.ids ?? [], ["big.mat test row 0", "big.mat test row 1", "big.mat test row 2"])
    }

    func testClassNumberingRules() throws {
        let sparse = try ClassNumbering(ids: [3, 99_999_999], base: 0, nameCount: nil, source: "f")
        XCTAssertEqual(sparse.names, ["3", "99999999"])
        XCTAssertEqual(sparse.index(of: 99_999_999), 1)
        let oneBased = try ClassNumbering(ids: [1, 2, 3], base: 1, nameCount: nil, source: "f")
        XCTAssertEqual(oneBased.names, ["0", "1", "2"])
        XCTAssertEqual(oneBased.index(of: 3), 2)
        assertError(["f", "class 5", "3 named classes"]) { try ClassNumbering(ids: [0, 5], base: 0, nameCount: 3, source: "f") }
        assertError(["f", "65537 distinct class ids"]) { try ClassNumbering(ids: Set(0...65_536), base: 0, nameCount: nil, source: "f") }
    }

    // MARK: sizes bounded before allocating

    func testHugeFeatureIndexIsAnError() throws {
        let dir = try TempDirectory()
        let train = try dir.write("train.svm", "0 1:1\n1 2147483647:1\n")
        let test = try dir.write("test.svm", "0 1:1\n")
        assertError(["train.svm:2", "2147483647", "limit"]) { try LibSVMLoader.load(paths: "\(train),\(test)", options: [:]) }
        assertError(["libsvm option features=99999999999"]) {
            try LibSVMLoader.load(paths: "\(train),\(test)", options: ["features": "99999999999"])
        }
    }

    func testSyntheticSizesAreBounded() throws {
        assertError(["synthetic docs=99999999999", "limit"]) { try DatasetSpec(parsing: "synthetic:docs=99999999999").load() }
        assertError(["synthetic docs=5000000", "100 000 000 words"]) { try DatasetSpec(parsing: "synthetic:docs=5000000,length=100").load() }
    }

    func testHugeMATDimensionIsAnError() throws {
        let dir = try TempDirectory()
        let mat = W.matHeader() + W.sparseMatrix("train", rows: 1 << 30, columns: 1, ir: [], jc: [0, 0], pr: [])
        let path = try dir.write("huge.mat", Data(mat))
        assertError(["huge.mat", "1073741824×1"]) { try MATLoader.load(path: path, options: [:]) }
    }

    func testZeroWidthNPYWithHugeRowCountIsAnError() throws {
        let dir = try TempDirectory()
        let x = try dir.write("x.npy", Data(npy(descr: "<f4", shape: "(99999999999, 0)", payload: [])))
        let y = try dir.write("y.npy", Data(npy(descr: "<f4", shape: "(1,)", payload: W.le32(Float(1).bitPattern))))
        assertError(["x.npy", "99999999999"]) { try NPYLoader.load(paths: "\(x),\(y)", options: [:]) }
    }

    func testInflateIsBounded() throws {
        let big = [UInt8](repeating: 0, count: 5000)
        assertError(["here", "more than 4096 bytes"]) { try Zlib.inflate(W.zlib(big), format: .zlib, location: "here", limit: 4096) }
        XCTAssertEqual(try Zlib.inflate(W.zlib(big), format: .zlib, location: "here", limit: 5000), big)
    }

    // MARK: NUL bytes and values beyond Float32

    func testNULByteEndsNothingSilently() throws {
        let dir = try TempDirectory()
        let test = try dir.write("test.svm", "0 1:1\n")
        let train = try dir.write("train.svm", Data("0 1:1\n1 2:1\n".utf8) + Data([0]) + Data("0 1:3\n1 1:1\n".utf8))
        assertError(["train.svm:3", "NUL byte at offset 12"]) { try LibSVMLoader.load(paths: "\(train),\(test)", options: [:]) }
        let arff = Data("@relation r\n@attribute a numeric\n@attribute c {0,1}\n@data\n1,0\n".utf8) + Data([0]) + Data("2,1\n".utf8)
        let a = try dir.write("a.arff", arff)
        assertError(["a.arff:6", "NUL byte"]) { try ARFFLoader.load(paths: "\(a),\(a)", options: ["labels": "1"]) }
        let csv = try dir.write("n.csv", Data("a,y\n".utf8) + Data("4".utf8) + Data([0]) + Data("garbage,1\n5,0\n6,1\n".utf8))
        assertError(["n.csv:2", "NUL byte"]) { try CSVLoader.load(path: csv, options: ["test": "1"]) }
    }

    func testValuesBeyondFloat32AreErrors() throws {
        let dir = try TempDirectory()
        let test = try dir.write("test.svm", "0 1:1\n")
        let train = try dir.write("train.svm", "0 1:1\n1 2:1e300\n")
        assertError(["train.svm:2", "1e+300", "Float32"]) { try LibSVMLoader.load(paths: "\(train),\(test)", options: [:]) }
        let log = try dir.write("log.svm", "0 1:1\n1 2:100\n")
        assertError(["log.svm:2", "100"]) { try LibSVMLoader.load(paths: "\(log),\(test)", options: ["values": "log1p"]) }

        let csv = try dir.write("v.csv", "a,y\n1,0\n1e300,1\n2,0\n")
        assertError(["v.csv:3", "1e+300"]) { try CSVLoader.load(path: csv, options: ["test": "1"]) }

        let arff = try dir.write("v.arff", "@relation r\n@attribute a numeric\n@attribute c {0,1}\n@data\n1e300,0\n")
        assertError(["v.arff:5", "1e+300"]) { try ARFFLoader.load(paths: "\(arff),\(arff)", options: ["labels": "1"]) }

        let x = try dir.write("x.npy", Data(npy(descr: "<f8", shape: "(2, 1)", payload: W.doubles([1, 1e300]))))
        let y = try dir.write("y.npy", Data(npy(descr: "<f8", shape: "(2,)", payload: W.doubles([0, 1]))))
        assertError(["x.npy", "row 1", "1e+300"]) { try NPYLoader.load(paths: "\(x),\(y)", options: [:]) }

        let mat = W.matHeader() + W.denseMatrix("train", rows: 2, columns: 1, columnMajor: [1, 1e300])
        let m = try dir.write("v.mat", Data(mat))
        assertError(["v.mat", "'train'", "1e+300"]) { try MATFileReader.read(path: m) }
    }

    // MARK: Mulan label files

    func testMalformedMulanXMLIsAnError() throws {
        let good = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<labels xmlns=\"http://mulan.sourceforge.net/labels\">\n<label name=\"a\"></label>\n<label name=\"b &amp; c\"/>\n</labels>\n"
        XCTAssertEqual(try MulanLabels.parse(Array(good.utf8), path: "l.xml"), ["a", "b & c"])
        let broken: [(String, String)] = [
            ("<labels>\n<label name=\"a\"></label>\n<lbel name=\"b\"></label>\n</labels>", "l.xml:3"),
            ("<labels>\n<label name=\"a\"></label>\n<label name=\"b\"></labex>\n</labels>", "l.xml:3"),
            ("<labels>\n<label name=a></label>\n</labels>", "l.xml:2"),
            ("<labels>\n<label name=\"a\"></label>\n", "l.xml:3"),
            ("<labels>\n<label name=\"a\"></label>\nstray\n</labels>", "l.xml:3"),
            ("<labels>\n<label name=\"a\"></label>\n<label name=\"a\"></label>\n</labels>", "l.xml:3"),
            ("<labels><label></label></labels>", "l.xml:1"),
        ]
        for (text, location) in broken {
            assertError([location]) { try MulanLabels.parse(Array(text.utf8), path: "l.xml") }
        }
    }

    /// A TMC folder: two word attributes, then `labels`, the same sparse `rows` as train and test,
    /// and `xml` as the label file.
    private func tmcDirectory(labels: [String], rows: [String], xml: String) throws -> TempDirectory {
        let dir = try TempDirectory()
        let attributes = (["w1", "w2"] + labels).map { "@attribute \($0) {0,1}\n" }.joined()
        let arff = "@relation r\n" + attributes + "@data\n" + rows.map { $0 + "\n" }.joined()
        try dir.write("tmc2007-500-train.arff", arff)
        try dir.write("tmc2007-500-test.arff", arff)
        try dir.write("tmc2007-500.xml", xml)
        return dir
    }

    func testTMCWithDamagedXMLIsRejectedNotReadAsFeatures() throws {
        let dir = try tmcDirectory(labels: ["L1", "L2"], rows: ["{0 1,2 1}", "{1 1,3 1}", "{0 1,3 1}"],
                                   xml: "<labels>\n<label name=\"L1\"></label>\n<label name=\"L2\"></lable>\n</labels>\n")
        assertError(["tmc2007-500.xml:3", "</lable>"]) { try TMCLoader.load(directory: dir.path, options: [:]) }
        try dir.write("tmc2007-500.xml", "<labels>\n<label name=\"L1\"></label>\n<label name=\"L2\"></label>\n</labels>\n")
        let data = try TMCLoader.load(directory: dir.path, options: ["validation": "0"])
        XCTAssertEqual([data.classCount, data.featureCount], [2, 2])
    }

    // MARK: model files

    private func tinyModel() throws -> Data {
        let config = ModelConfiguration(preset: .vdsh, bits: 4, inputDimensions: 5, classCount: 0, multiLabel: false, hiddenDimensions: 3)
        let metadata = ModelMetadata(dataset: "s", datasetName: "s", classNames: [], supervision: nil, labelledItems: 0,
                                     training: TrainingOptions(), trainSeconds: 0, finalLosses: [:], created: "", backend: "", version: "0")
        return try ModelFile(model: HashingVAE(configuration: config, seed: 1), preprocessing: .none, metadata: metadata).encoded()
    }

    /// Rewrites a model file's JSON header and tensor bytes and recomputes the checksum, so the
    /// damage reaches the decoder.
    private func rewrite(_ data: Data, header edit: (inout [String: Any]) -> Void, tensors: (inout [UInt8]) -> Void = { _ in }) throws -> Data {
        let bytes = [UInt8](data)
        let length = Int((16..<24).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1 - 16)) })
        var header = try JSONSerialization.jsonObject(with: Data(bytes[24..<(24 + length)])) as! [String: Any]
        edit(&header)
        var tensorBytes = Array(bytes[(24 + length)...])
        tensors(&tensorBytes)
        let newHeader = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let payload = newHeader + tensorBytes
        var out = Array(bytes[0..<12]) + W.le32(W.crc32(payload))
        out += W.le32(UInt32(newHeader.count)) + W.le32(0)
        return Data(out + payload)
    }

    func testModelTensorOf2To62RowsIsAnError() throws {
        let damaged = try rewrite(try tinyModel(), header: { h in
            var tensors = h["tensors"] as! [[String: Any]]
            tensors[0]["rows"] = 1 << 62
            h["tensors"] = tensors
        })
        assertError(["m.semhash", "4611686018427387904", "runs past the end"]) { try ModelFile.decode(damaged, path: "m.semhash") }
    }

    func testModelConfigurationLargerThanItsWeightsIsAnError() throws {
        let damaged = try rewrite(try tinyModel(), header: { h in
            var c = h["configuration"] as! [String: Any]
            c["inputDimensions"] = 1 << 40
            h["configuration"] = c
        })
        assertError(["m.semhash", "1099511627776 inputs"]) { try ModelFile.decode(damaged, path: "m.semhash") }
    }

    func testNaNWeightIsAnError() throws {
        let good = try tinyModel()
        XCTAssertNoThrow(try ModelFile.decode(try rewrite(good, header: { _ in }), path: "m.semhash"))
        let damaged = try rewrite(good, header: { _ in }, tensors: { t in
            let nan = W.le32(Float.nan.bitPattern)
            for k in 0..<4 { t[8 + k] = nan[k] }  // the third value of the first tensor
        })
        assertError(["m.semhash", "nan", "column 2"]) { try ModelFile.decode(damaged, path: "m.semhash") }
    }

    // MARK: temporary files and concurrent sweeps

    func testStaleTemporaryFilesOfDeadProcessesAreRemoved() throws {
        let dir = try TempDirectory()
        // A pid that cannot be running: above the kernel's pid_max (4 194 304 at most).
        let stale = try dir.write(".m.semhash.tmp-99999999-12345", "partial")
        let live = try dir.write(".m.semhash.tmp-\(getpid())-777", "ours")
        let other = try dir.write(".other.tmp-99999999-1", "another file's")
        try AtomicFile.write("model", to: dir.path + "/m.semhash")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live))
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
        XCTAssertEqual(String(decoding: try readFile(dir.path + "/m.semhash"), as: UTF8.self), "model")
    }

    func testSecondSweepOnOneResultsFileIsRefused() throws {
        let dir = try TempDirectory()
        let path = dir.path + "/results.csv"
        let first = try ResultsFile(path: path, exclusive: true)
        do {
            _ = try ResultsFile(path: path, exclusive: true)
            XCTFail("a second sweep must be refused")
        } catch let SemanticHashingError.io(p, reason) {
            XCTAssertEqual(p, path)
            XCTAssertTrue(reason.contains("another semhash sweep"), reason)
        }
        try first.removeAllRows()
        XCTAssertEqual(String(decoding: try readFile(path), as: UTF8.self), ExperimentResultRow.header + "\n")
    }

    func testExclusiveOpenDropsDuplicateRows() throws {
        let dir = try TempDirectory()
        let path = dir.path + "/results.csv"
        let writer = try ResultsFile(path: path)
        let cell = try ExperimentGrid(datasetSpec: "synthetic", datasetName: "synthetic", models: [.vdsh], bits: [8], levels: [0.5],
                                      runs: 2).cells(table: nil)
        for c in cell + cell {
            try writer.append(ExperimentResultRow(cell: c, metrics: ["p@100": 0.5], trainSeconds: 1, addedValidation: false))
        }
        XCTAssertEqual(try ResultsFile.readRows(path: path).count, 4)
        let sweep = try ResultsFile(path: path, exclusive: true)
        XCTAssertEqual(sweep.droppedDuplicates, 2)
        XCTAssertEqual(try sweep.rows().map(\.configHash), cell.map(\.configHash))
    }

    func testOptionErrorsNameTheOptionAndTheFile() throws {
        let dir = try TempDirectory()
        let csv = try dir.write("short.csv", "a,y\n1,0\n")
        assertError(["csv option test=4", "short.csv has only 1"]) { try CSVLoader.load(path: csv, options: ["test": "4"]) }
        assertError(["csv option sep=|", "',', ';', 'tab'"]) { try CSVLoader.load(path: csv, options: ["sep": "|"]) }
        assertError(["libsvm option labels=2based", "'0based', '1based'"]) {
            try LibSVMLoader.load(paths: "\(csv),\(csv)", options: ["labels": "2based"])
        }
        assertError(["npy option colour", "has no option 'colour'"]) { try NPYLoader.load(paths: "a,b", options: ["colour": "red"]) }
        assertError(["dataset spec", "unknown dataset kind 'nokind'"]) { try DatasetSpec(parsing: "nokind:x") }
    }

    // MARK: found by semhash-fuzz --seed 1 (each asserts the library message and the CLI exit code)

    func testNPYWithBytesAfterItsDataIsAnError() throws {
        let dir = try TempDirectory()
        // The header says 2 rows, the file holds 3: a damaged shape must not drop a row silently.
        let x = try dir.write("x.npy", Data(npy(descr: "<f4", shape: "(2, 1)", payload: [1, 2, 3].flatMap { W.le32(Float($0).bitPattern) })))
        let y = try dir.write("y.npy", Data(npy(descr: "<f4", shape: "(2,)", payload: [0, 1].flatMap { W.le32(Float($0).bitPattern) })))
        assertError(["x.npy, offset 136", "4 bytes after the data of shape [2, 1] (8 bytes)"]) { try NPYLoader.read(path: x) }
        let cli = try SemhashProcess().run(["datasets", "info", "npy:\(x),\(y)?test=1"])
        XCTAssertEqual(cli.status, 65, cli.stderr)
        XCTAssertTrue(cli.stderr.contains("x.npy, offset 136: 4 bytes after the data of shape [2, 1]"), cli.stderr)
    }

    func testNULByteInMulanXMLIsAnError() throws {
        let xml = Array("<labels xmlns=\"http://mulan".utf8) + [0] + Array(".org\">\n<label name=\"a\"></label>\n</labels>\n".utf8)
        assertError(["l.xml:1", "NUL byte at offset 27"]) { try MulanLabels.parse(xml, path: "l.xml") }
    }

    /// A TMC directory whose label file misses one `<label>` line: that label's attribute would
    /// otherwise become a word feature without a word of warning.
    func testTMCLabelMissingFromTheXMLIsAnError() throws {
        let dir = try tmcDirectory(labels: ["L1", "L2", "L3"], rows: ["{0 1,2 1}", "{1 1,3 1}", "{0 1,4 1}"],
                                   xml: "<labels>\n<label name=\"L1\"></label>\n<label name=\"L3\"></label>\n</labels>\n")
        assertError(["tmc2007-500.xml", "names 2 labels", "'L2' (attribute 3)", "must come last"]) {
            try TMCLoader.load(directory: dir.path, options: [:])
        }
        let cli = try SemhashProcess().run(["datasets", "info", "tmc:\(dir.path)"])
        XCTAssertEqual(cli.status, 65, cli.stderr)
        XCTAssertTrue(cli.stderr.contains("tmc2007-500.xml: names 2 labels, but the last 2 attributes"), cli.stderr)
        XCTAssertTrue(cli.stderr.contains("'L2' (attribute 3)"), cli.stderr)
        // The whole label list loads as before.
        try dir.write("tmc2007-500.xml", "<labels>\n<label name=\"L1\"></label>\n<label name=\"L2\"></label>\n<label name=\"L3\"></label>\n</labels>\n")
        let data = try TMCLoader.load(directory: dir.path, options: ["validation": "0"])
        XCTAssertEqual([data.classCount, data.featureCount], [3, 2])
    }

    func testBadQueryCodeIsAUsageError() throws {
        let dir = try TempDirectory()
        let codes = try dir.write("codes.txt", "a5 one\n0f two\n")
        let semhash = try SemhashProcess()
        let index = try semhash.run(["index", "--codes", codes, "--bits", "8", "--out", dir.path + "/i.smhi"])
        XCTAssertEqual(index.status, 0, index.stderr)
        let long = try semhash.run(["search", "--index", dir.path + "/i.smhi", "--query-code", "9223372036854775807"])
        XCTAssertEqual(long.status, 64, long.stderr)
        XCTAssertTrue(long.stderr.contains("--query-code: expected 2 hex digits (or 8 0/1 characters) for a 8-bit code, got 19 ('9223372036854775807')"), long.stderr)
        let sign = try semhash.run(["search", "--index", dir.path + "/i.smhi", "--query-code", "-0"])
        XCTAssertEqual(sign.status, 64, sign.stderr)
        XCTAssertTrue(sign.stderr.contains("--query-code: '-' is not a hex digit"), sign.stderr)
    }

    /// One-character paths: `NSString.deletingLastPathComponent` traps on them in
    /// swift-corelibs-foundation, which killed `index --out 1` and `libsvm:a,a` with SIGILL.
    func testOneCharacterPathsDoNotTrap() throws {
        XCTAssertEqual(["1", "x/", "a/b", "/a", "a//b", "/", "", "runs/m.semhash"].map { folder(of: $0) }, ["", "", "a", "/", "a", "/", "", "runs"])
        let dir = try TempDirectory()
        try dir.write("c", "a5 one\n0f two\n")
        try dir.write("a", "0 1:1\n1 2:1\n")
        let semhash = try SemhashProcess()
        let index = try semhash.run(["index", "--codes", "c", "--bits", "8", "--out", "1"], in: dir.path)
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertTrue(index.stderr.contains("indexed 2 items"), index.stderr)
        XCTAssertEqual(try IndexFile.read(dir.path + "/1").count, 2)
        let info = try semhash.run(["datasets", "info", "libsvm:a,a?validation=0", "--json"], in: dir.path)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("\"items\":2"), info.stdout)
        let missing = try semhash.run(["index", "--codes", "c", "--bits", "8", "--out", "x/1"], in: dir.path)
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("x/1: cannot write here: the folder x does not exist"), missing.stderr)
    }

    /// A key given twice in a dataset spec kept the last value silently (semhash-fuzz, 'synthetic:docs=10,docs=20').
    func testDatasetSpecKeyGivenTwiceIsAnError() throws {
        assertError(["synthetic docs", "given twice (again as '20')"]) { try DatasetSpec(parsing: "synthetic:docs=10,docs=20").load() }
        assertError(["synthetic docs", "given twice (again as '20')"]) { try DatasetSpec(parsing: "synthetic:docs=10?docs=20").load() }
        assertError(["dataset spec", "option 'test' is given twice in 'csv:a.csv?test=1&test=2'"]) { try DatasetSpec(parsing: "csv:a.csv?test=1&test=2") }
        let cli = try SemhashProcess().run(["datasets", "info", "synthetic:docs=100,docs=200"])
        XCTAssertEqual(cli.status, 64, cli.stderr)
        XCTAssertTrue(cli.stderr.contains("error: synthetic docs: given twice (again as '200'); give each key once"), cli.stderr)
    }

    // MARK: helpers

    private func npy(descr: String, shape: String, payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + payload
    }
}
