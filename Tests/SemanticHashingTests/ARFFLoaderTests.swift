import XCTest
@testable import SemanticHashing

final class ARFFLoaderTests: XCTestCase {
    let header = """
    % a comment
    @relation 'toy data'

    @attribute alpha {0,1}
    @attribute 'two words' numeric
    @attribute gamma real
    @attribute L1 {0,1}
    @attribute "L 2" {0,1}

    @data

    """

    func testSparseRowsWithMulanLabels() throws {
        let dir = try TempDirectory()
        let train = try dir.write("train.arff", header + "{0 1,2 2.5,3 1}\n{1 -1,4 1, 3 1}\n{}\n% c\n{2 4}\n")
        let test = try dir.write("test.arff", header + "{4 1}\n")
        let xml = try dir.write("labels.xml", "<?xml version=\"1.0\"?>\n<labels xmlns=\"http://mulan.sourceforge.net/labels\">\n<label name=\"L1\"></label>\n<label name=\"L 2\"></label>\n</labels>\n")
        let data = try ARFFLoader.load(paths: "\(train),\(test)", options: ["labels": xml])
        XCTAssertEqual(data.featureNames, ["alpha", "two words", "gamma"])
        XCTAssertEqual(data.classNames, ["L1", "L 2"])
        XCTAssertTrue(data.isMultiLabel)
        XCTAssertEqual(data.train.count, 4)
        XCTAssertNil(data.validation)
        XCTAssertEqual(data.train.features.denseRows, [[1, 0, 2.5], [0, -1, 0], [0, 0, 0], [0, 0, 4]])
        XCTAssertEqual(data.train.labels.sets, [[0], [0, 1], [], []])
        XCTAssertEqual(data.test.labels.sets, [[1]])
        // labels=2 names the same attributes.
        let byCount = try ARFFLoader.load(paths: "\(train),\(test)", options: ["labels": "2", "validation": "1", "seed": "3"])
        XCTAssertEqual(byCount.train.count + (byCount.validation?.count ?? 0), 4)
        XCTAssertEqual(byCount.validation?.count, 1)
    }

    func testDenseRowsWithSingleNominalClass() throws {
        let dir = try TempDirectory()
        let h = "@RELATION iris\n@ATTRIBUTE a NUMERIC\n@ATTRIBUTE b NUMERIC\n@ATTRIBUTE class {setosa,'big one',other}\n@DATA\n"
        let train = try dir.write("train.arff", h + "1.5, 2, setosa\n0,0,'big one'\n3,1e1,other % c\n")
        let test = try dir.write("test.arff", h + "1,1,other\n")
        let data = try ARFFLoader.load(paths: train, options: ["labels": "1", "test": test])
        XCTAssertFalse(data.isMultiLabel)
        XCTAssertEqual(data.classNames, ["setosa", "big one", "other"])
        XCTAssertEqual(data.train.labels.sets, [[0], [1], [2]])
        XCTAssertEqual(data.train.features.denseRows, [[1.5, 2], [0, 0], [3, 10]])
    }

    func testBadInputNamesFileAndLine() throws {
        let dir = try TempDirectory()
        let h = "@relation r\n@attribute a numeric\n@attribute b {0,1}\n@data\n"  // data starts on line 5
        let test = try dir.write("test.arff", h + "1,1\n")
        func load(_ text: String) throws -> Dataset {
            try ARFFLoader.load(paths: "\(try dir.write("bad.arff", text)),\(test)", options: ["labels": "1"])
        }
        assertMalformed("bad.arff:6", reasonContains: "not a number") { try load(h + "1,0\nx,1\n") }
        assertMalformed("bad.arff:5", reasonContains: "not one of") { try load(h + "1,2\n") }
        assertMalformed("bad.arff:5", reasonContains: "1 values but 2") { try load(h + "1\n") }
        assertMalformed("bad.arff:5", reasonContains: "more values") { try load(h + "1,1,1\n") }
        assertMalformed("bad.arff:5", reasonContains: "out of range") { try load(h + "{0 1,5 1}\n") }
        assertMalformed("bad.arff:5", reasonContains: "not closed") { try load(h + "{0 1\n") }
        assertMalformed("bad.arff:5", reasonContains: "finite") { try load(h + "1e999,1\n") }
        assertMalformed("bad.arff:5", reasonContains: "'?'") { try load(h + "?,1\n") }
        assertMalformed("bad.arff:2", reasonContains: "only numeric and nominal") { try load("@relation r\n@attribute s string\n@data\n") }
        assertMalformed("bad.arff:1", reasonContains: "expected @relation") { try load("hello\n") }
        assertMalformed("bad.arff", reasonContains: "no @data") { try load("@relation r\n@attribute a numeric\n") }
        assertMalformed("bad.arff", reasonContains: "empty") { try load("") }
        assertMalformed("bad.arff", reasonContains: "no data rows") { try load(h) }
        let xml = try dir.write("l.xml", "<labels><label name=\"zzz\"></label></labels>")
        assertMalformed("l.xml", reasonContains: "zzz") {
            try ARFFLoader.load(paths: "\(test),\(test)", options: ["labels": xml])
        }
    }

    func testTFIDFValuesMatchHandComputedWeights() throws {
        let dir = try TempDirectory()
        let h = "@relation r\n@attribute a numeric\n@attribute b numeric\n@attribute c numeric\n@attribute y {0,1}\n@data\n"
        let train = try dir.write("train.arff", h + "{0 1,1 1,3 1}\n{0 1}\n{2 2,3 1}\n")
        let test = try dir.write("test.arff", h + "{0 1,2 1}\n{3 1}\n")
        let data = try ARFFLoader.load(paths: "\(train),\(test)", options: ["labels": "1", "values": "tfidf"])
        // n = 3, df = (2, 1, 1): idf a = ln(4/3) + 1, idf b = idf c = ln(2) + 1; rows scaled to unit l2.
        let ia = log(4.0 / 3) + 1, ib = log(2.0) + 1
        let n1 = (ia * ia + ib * ib).squareRoot()
        let expectedTrain: [[Double]] = [[ia / n1, ib / n1, 0], [1, 0, 0], [0, 0, 1]]
        let expectedTest: [[Double]] = [[ia / n1, 0, ib / n1], [0, 0, 0]]
        for (got, want) in zip(data.train.features.denseRows + data.test.features.denseRows, expectedTrain + expectedTest) {
            for (g, w) in zip(got, want) { XCTAssertEqual(Double(g), w, accuracy: 1e-6) }
        }
        XCTAssertEqual(try ARFFLoader.load(paths: "\(train),\(test)", options: ["labels": "1"]).train.features.denseRows[2], [0, 0, 2])
        XCTAssertThrowsError(try ARFFLoader.load(paths: "\(train),\(test)", options: ["labels": "1", "values": "idf"])) { error in
            XCTAssertTrue("\(error)".contains("arff option values=idf: not one of 'stored', 'tfidf'"), "\(error)")
        }
        let negative = try dir.write("neg.arff", h + "1,0,0,1\n0,-2,0,0\n")
        assertMalformed("neg.arff:8", reasonContains: "non-negative") {
            try ARFFLoader.load(paths: "\(negative),\(test)", options: ["labels": "1", "values": "tfidf"])
        }
    }

    func testTMCDirectoryLayoutAndSeededValidation() throws {
        let dir = try TempDirectory()
        var h = "@relation tmc\n"
        for w in ["w0", "w1", "w2"] { h += "@attribute \(w) {0,1}\n" }
        for c in ["class01", "class02"] { h += "@attribute \(c) {0,1}\n" }
        h += "@data\n"
        let rows = (0..<20).map { i in "{\(i % 3) 1,\(3 + i % 2) 1}" }.joined(separator: "\n")
        try dir.write("tmc2007-500-train.arff", h + rows + "\n{0 1}\n")
        try dir.write("tmc2007-500-test.arff", h + "{1 1,3 1,4 1}\n")
        try dir.write("tmc2007-500.xml", "<labels><label name=\"class01\"></label><label name=\"class02\"></label></labels>")
        let a = try TMCLoader.load(directory: dir.path, options: [:])
        XCTAssertEqual(a.train.count, 19)
        XCTAssertEqual(a.validation?.count, 2)  // ⌊0.1 · 21⌋
        XCTAssertEqual(a.test.labels.sets, [[0, 1]])
        let all = a.train.labels.sets + (a.validation?.labels.sets ?? [])
        XCTAssertEqual(all.filter(\.isEmpty).count, 1)  // the unlabelled row is kept
        let b = try TMCLoader.load(directory: dir.path, options: [:])
        XCTAssertEqual(a.validation?.features.denseRows, b.validation?.features.denseRows)
        // TMC's input is tf-idf by default (design.md, Datasets); values=stored keeps the 0/1 words.
        XCTAssertTrue(a.settings.contains { $0.key == "values" && $0.value.hasPrefix("tf-idf") })
        let stored = try TMCLoader.load(directory: dir.path, options: ["values": "stored"])
        XCTAssertTrue(stored.settings.contains { $0.key == "values" && $0.value.hasPrefix("as stored") })
    }

    func testSharedTMCWhenAvailable() throws {
        guard let root = ProcessInfo.processInfo.environment["SEMHASH_SHARED"] else { throw XCTSkip("SEMHASH_SHARED not set") }
        let d = "\(root)/datasets/tmc2007-500"
        let tmc = try ARFFLoader.load(paths: "\(d)/tmc2007-500-train.arff,\(d)/tmc2007-500-test.arff", options: ["labels": "\(d)/tmc2007-500.xml"])
        XCTAssertEqual(tmc.train.count, 21519)
        XCTAssertEqual(tmc.test.count, 7077)
        XCTAssertEqual(tmc.classCount, 22)
        XCTAssertEqual(tmc.featureCount, 500)
        XCTAssertEqual(tmc.train.labels.cardinality, 2.23, accuracy: 0.005)
        XCTAssertEqual(tmc.test.labels.cardinality, 1.95, accuracy: 0.005)
    }
}
