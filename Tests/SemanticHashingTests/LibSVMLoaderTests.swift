import XCTest
@testable import SemanticHashing

final class LibSVMLoaderTests: XCTestCase {
    func testReadsLabelsFeaturesAndLog1pCounts() throws {
        let dir = try TempDirectory()
        let l2 = log(3.0), l1 = log(2.0)
        let train = try dir.write("train.svm", """
        # a comment line
        1 1:\(l1) 3:\(l2)
        0
        2 4:\(l1)   # trailing comment
        1 2:\(l2) 1:\(l1)
        """)
        let test = try dir.write("test.svm", "0 2:\(l1)\r\n2 3:\(l2)\n")
        let data = try LibSVMLoader.load(paths: "\(train),\(test)", options: ["values": "log1p", "validation": "1"])
        XCTAssertEqual(data.train.count, 3)
        XCTAssertEqual(data.validation?.count, 1)
        XCTAssertEqual(data.test.count, 2)
        XCTAssertEqual(data.featureCount, 4)
        XCTAssertEqual(data.classNames, ["0", "1", "2"])
        XCTAssertEqual(data.train.labels.sets, [[1], [0], [2]])
        XCTAssertEqual(data.validation?.labels.sets, [[1]])
        XCTAssertEqual(data.train.target.denseRows, [[1, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 1]])
        XCTAssertEqual(data.validation?.target.denseRows, [[1, 2, 0, 0]])  // unordered indices sorted
        XCTAssertEqual(data.train.features.denseRows[0][2], Float(l2), accuracy: 1e-6)
        XCTAssertEqual(data.test.target.denseRows, [[0, 1, 0, 0], [0, 0, 2, 0]])
        XCTAssertFalse(data.isMultiLabel)
    }

    func testMultiLabelUnlabelledRowsAndSideFiles() throws {
        let dir = try TempDirectory()
        let train = try dir.write("train.svm", "0,2 1:0.5\n 2:1.5\n1 3:2\n2,0,2 1:1\n")
        let test = try dir.write("test.svm", "1 1:1\n")
        try dir.write("classes.txt", "red\ngreen\nblue\n")
        try dir.write("vocab.txt", "a\nb\nc\nd\ne\n")
        try dir.write("split.txt", "n_train_part 3\nn_val_part 1\n")
        let data = try LibSVMLoader.load(paths: "\(train),\(test)", options: [:])
        XCTAssertTrue(data.isMultiLabel)
        XCTAssertEqual(data.classNames, ["red", "green", "blue"])
        XCTAssertEqual(data.featureCount, 5)
        XCTAssertEqual(data.featureNames, ["a", "b", "c", "d", "e"])
        XCTAssertEqual(data.train.labels.sets, [[0, 2], [], [1]])
        XCTAssertEqual(data.validation?.labels.sets, [[0, 2]])
        XCTAssertNil(data.train.reconstructionTarget)
        XCTAssertEqual(data.train.features.denseRows[1], [0, 1.5, 0, 0, 0])
        XCTAssertEqual(data.train.texts, ["a", "b", "c"])
        XCTAssertEqual(data.validation?.texts, ["a"])
    }

    func testOneBasedLabelsAndTestOption() throws {
        let dir = try TempDirectory()
        let train = try dir.write("a.svm", "1 1:1\n2 2:1\n")
        let test = try dir.write("b.svm", "2 1:1\n")
        let data = try LibSVMLoader.load(paths: train, options: ["test": test, "labels": "1based", "features": "3"])
        XCTAssertEqual(data.train.labels.sets, [[0], [1]])
        XCTAssertEqual(data.featureCount, 3)
        XCTAssertNil(data.validation)
    }

    func testMissingTestIsAClearError() throws {
        let dir = try TempDirectory()
        let train = try dir.write("a.svm", "1 1:1\n")
        XCTAssertThrowsError(try LibSVMLoader.load(paths: train, options: [:])) { error in
            XCTAssertTrue("\(error)".contains("test"))
        }
    }

    func testBadInputNamesFileAndLine() throws {
        let dir = try TempDirectory()
        let test = try dir.write("test.svm", "0 1:1\n")
        func load(_ text: String, _ options: [String: String] = [:]) throws -> Dataset {
            try LibSVMLoader.load(paths: "\(try dir.write("bad.svm", text)),\(test)", options: options)
        }
        assertMalformed("bad.svm:2", reasonContains: "index 0") { try load("0 1:1\n0 0:1\n") }
        assertMalformed("bad.svm:3", reasonContains: "not a number") { try load("0 1:1\n\n0 2:abc\n") }
        assertMalformed("bad.svm:1", reasonContains: "finite") { try load("0 1:1e400\n") }
        assertMalformed("bad.svm:1", reasonContains: "not a number") { try load("0 1:nan\n") }
        assertMalformed("bad.svm:1", reasonContains: "integer class") { try load("x 1:1\n") }
        assertMalformed("bad.svm:1", reasonContains: "index:value") { try load("0 1:1 7\n") }
        assertMalformed("bad.svm:1", reasonContains: "twice") { try load("0 2:1 1:1 2:3\n") }
        assertMalformed("bad.svm:2", reasonContains: "beyond") { try load("0 1:1\n0 9:1\n", ["features": "4"]) }
        assertMalformed("bad.svm:1", reasonContains: "negative") { try load("0 1:-1\n", ["values": "log1p"]) }
        assertMalformed("bad.svm", reasonContains: "empty") { try load("# nothing\n\n") }
        try dir.write("classes.txt", "x\ny\n")
        assertMalformed("bad.svm:2", reasonContains: "class 5") { try load("0 1:1\n5 1:1\n") }
    }

    func testBadSplitFile() throws {
        let dir = try TempDirectory()
        let train = try dir.write("train.svm", "0 1:1\n1 1:1\n0 2:1\n")
        let test = try dir.write("test.svm", "0 1:1\n")
        try dir.write("split.txt", "n_train_part 1\nn_val_part 1\n")
        assertMalformed("split.txt", reasonContains: "≠ 3") { try LibSVMLoader.load(paths: "\(train),\(test)", options: [:]) }
        try dir.write("split.txt", "n_train_part 2\nn_val_part one\n")
        assertMalformed("split.txt:2") { try LibSVMLoader.load(paths: "\(train),\(test)", options: [:]) }
    }

    func testSharedReferenceFilesWhenAvailable() throws {
        guard let root = ProcessInfo.processInfo.environment["SEMHASH_SHARED"] else { throw XCTSkip("SEMHASH_SHARED not set") }
        let s = "\(root)/datasets/snippets-reference"
        let snippets = try LibSVMLoader.load(paths: "\(s)/train.svm,\(s)/test.svm", options: ["values": "log1p"])
        XCTAssertEqual([snippets.train.count, snippets.validation?.count ?? 0, snippets.test.count], [9054, 1006, 2280])
        XCTAssertEqual(snippets.classCount, 8)
        XCTAssertEqual(snippets.featureCount, 10000)
        let rows = try SupervisionMask.readLabeledRows(path: "\(s)/labeled_rows_p0.1.txt", rowCount: 10060)
        XCTAssertEqual(rows.count, 1005)
        let n = "\(root)/datasets/20news-reference"
        let news = try LibSVMLoader.load(paths: "\(n)/train.svm,\(n)/test.svm", options: [:])
        XCTAssertEqual([news.train.count, news.validation?.count ?? 0, news.test.count], [10164, 1131, 7532])
        XCTAssertEqual(news.classCount, 20)
    }
}
