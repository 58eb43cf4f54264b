import Foundation
import XCTest
@testable import SemanticHashing

final class NewsgroupsLoaderTests: XCTestCase {
    /// Training posts in load order (groups sorted, files in numeric order) and their bodies' tokens.
    private let trainPosts: [(group: String, id: String, bytes: Data)] = [
        ("alt.atheism", "9", Data("From: a@b\nSubject: God question\nOrganization: Xylophone University\n\nIs there a god? Faith and reason.\n".utf8)),
        ("alt.atheism", "10", Data("From: c@d\nSubject: Faith\n\nfaith faith reason\n".utf8)),
        ("alt.atheism", "100", Data("From: e@f\n\nthe and of it is\n".utf8)),
        ("alt.atheism", "200", Data("From: nobody\nSubject: header only".utf8)),
        ("alt.atheism", "300", Data("From: g@h\n\nreason and god\n".utf8)),
        ("sci.space", "5", Data("From: x\nSubject: Orbit\n \nLines: 12\n\nThe orbit of the moon\n".utf8)),
        ("sci.space", "6", Data("From: q\n\ncaf".utf8) + Data([0xE9]) + Data(" rocket rocket\n".utf8)),
        ("sci.space", "7", Data("From: r\n\nrocket orbit launch\n".utf8)),
        ("sci.space", "8", Data("From: s\n\nmoon launch\n".utf8)),
        ("sci.space", "9", Data("From: t\n\nlaunch pad\n".utf8)),
    ]

    private func fixture() throws -> String {
        let dir = try TextFixtures.folder()
        for p in trainPosts { try TextFixtures.write(p.bytes, to: "\(dir)/20news-bydate-train/\(p.group)/\(p.id)") }
        try TextFixtures.write("From: u\nSubject: Second\n\ngod faith\n", to: dir + "/20news-bydate-test/alt.atheism/20")
        try TextFixtures.write("From: v\nSubject: First\n\nreason god zebra\n", to: dir + "/20news-bydate-test/alt.atheism/3")
        try TextFixtures.write("From: w\n\nrocket moon\n", to: dir + "/20news-bydate-test/sci.space/11")
        return dir
    }

    func testBuildsTFIDFFromPostBodies() throws {
        let dir = try fixture()
        let data = try NewsgroupsLoader.load(directory: dir, options: [:])
        XCTAssertEqual(data.name, "20news")
        XCTAssertEqual(data.classNames, ["alt.atheism", "sci.space"])
        XCTAssertEqual(data.validation?.count, 1)
        XCTAssertEqual(data.test.count, 3)
        XCTAssertNil(data.train.reconstructionTarget)

        // Posts 100 (only stop words) and 200 (no blank line: all header) are empty; they are
        // dropped when they fall in the train part.
        let partition = SeededPartition(count: 10, seed: 20)
        let emptyInTrain = partition.train.filter { $0 == 2 || $0 == 3 }.count
        XCTAssertEqual(data.train.count, 9 - emptyInTrain)

        let vocabulary = Set(data.featureNames ?? [])
        XCTAssertEqual(vocabulary, ["caf", "faith", "god", "launch", "lines", "moon", "orbit", "pad",
                                    "reason", "rocket"])
        guard case .sparse(let x) = data.train.features, case .text(let v) = data.preprocessing else { return XCTFail() }
        for i in 0..<x.rows {
            let norm = x.row(i).map { Double($0.value * $0.value) }.reduce(0, +).squareRoot()
            XCTAssertEqual(norm, 1, accuracy: 1e-5)
        }
        // idf over all 10 training posts: "rocket" is in 2 → ln(11/3) + 1.
        let rocket = try XCTUnwrap(v.vocabulary.firstIndex(of: "rocket"))
        XCTAssertEqual(v.inverseDocumentFrequency?[rocket] ?? 0, log(11.0 / 3.0) + 1, accuracy: 1e-12)
        XCTAssertEqual(v.fittedDocumentCount, 10)

        // Test posts in numeric file order; display = subject — body.
        XCTAssertEqual(data.test.texts, ["First — reason god zebra", "Second — god faith", "rocket moon"])
        XCTAssertEqual(data.test.labels.classes, [0, 0, 1])
        XCTAssertTrue(data.train.texts!.contains("caf\u{E9} rocket rocket"))
    }

    func testOptionsAndErrors() throws {
        let dir = try fixture()
        XCTAssertEqual(try NewsgroupsLoader.load(directory: dir, options: ["features": "3"]).featureCount, 3)
        XCTAssertThrowsError(try NewsgroupsLoader.load(directory: dir, options: ["lemmatizer": "none"]))

        try TextFixtures.write("From: u\n\ngod\n", to: dir + "/20news-bydate-test/comp.graphics/1")
        XCTAssertThrowsError(try NewsgroupsLoader.load(directory: dir, options: [:])) { error in
            XCTAssertEqual(TextFixtures.location(of: error), dir + "/20news-bydate-test/comp.graphics")
        }
        try FileManager.default.removeItem(atPath: dir + "/20news-bydate-test")
        XCTAssertThrowsError(try NewsgroupsLoader.load(directory: dir, options: [:])) { error in
            XCTAssertEqual(error as? SemanticHashingError, .missingInput(path: dir + "/20news-bydate-test", reason: "no such directory"))
        }
        XCTAssertThrowsError(try NewsgroupsLoader.load(directory: dir + "/none", options: [:])) { error in
            XCTAssertEqual(TextFixtures.location(of: error), dir + "/none/20news-bydate-train")
        }
    }
}
