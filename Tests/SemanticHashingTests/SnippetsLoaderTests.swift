import Foundation
import XCTest
@testable import SemanticHashing

final class SnippetsLoaderTests: XCTestCase {
    /// 20 training lines over 3 classes; line i carries the marker word "mark<letter i>" so the test can
    /// tell which lines the vectoriser was fitted on.
    private func fixture() throws -> (dir: String, trainLines: [String]) {
        let dir = try TextFixtures.folder()
        let classes = ["sports", "business", "health"]
        let letters = Array("abcdefghijklmnopqrst")
        var lines: [String] = []
        for i in 0..<20 {
            lines.append("market stock mark\(letters[i]) player games  \(classes[i % 3])")
        }
        try TextFixtures.write(lines.joined(separator: "\n") + "\n\n", to: dir + "/train.txt")
        try TextFixtures.write("stock market player health\r\nmarka games sports\n", to: dir + "/test.txt")
        return (dir, lines)
    }

    func testLoadsSplitsAndVectorisesOnTheTrainPartOnly() throws {
        let (dir, lines) = try fixture()
        let data = try SnippetsLoader.load(directory: dir, options: ["lemmatizer": "none"])
        XCTAssertEqual(data.name, "snippets")
        XCTAssertEqual(data.classNames, ["business", "health", "sports"])
        XCTAssertEqual(data.train.count, 18)
        XCTAssertEqual(data.validation?.count, 2)
        XCTAssertEqual(data.test.count, 2)
        XCTAssertEqual(data.reconstruction, .distribution)

        let partition = SeededPartition(count: 20, seed: 20)
        let letters = Array("abcdefghijklmnopqrst")
        let vocabulary = Set(data.featureNames ?? [])
        for i in partition.train { XCTAssertTrue(vocabulary.contains("mark\(letters[i])")) }
        for i in partition.validation { XCTAssertFalse(vocabulary.contains("mark\(letters[i])")) }
        // Words and n-grams in all 18 documents exceed 0.8 · 18; n-grams with a marker stay.
        XCTAssertFalse(vocabulary.contains("market"))
        XCTAssertFalse(vocabulary.contains("market stock"))
        XCTAssertTrue(vocabulary.contains("stock mark\(letters[partition.train[1]]) player"))

        let first = partition.train[0]
        XCTAssertEqual(data.train.texts?.first, "market stock mark\(letters[first]) player games")
        let sortedIndex: [String: Int32] = ["business": 0, "health": 1, "sports": 2]
        XCTAssertEqual(data.train.labels.classesOf(0).first, sortedIndex[["sports", "business", "health"][first % 3]])
        XCTAssertEqual(data.test.labels.classesOf(0).first, 1)
        XCTAssertEqual(data.test.texts, ["stock market player", "marka games"])

        guard case .sparse(let x) = data.train.features, case .sparse(let tf)? = data.train.reconstructionTarget,
              case .text(let vectorizer) = data.preprocessing else { return XCTFail("expected sparse text data") }
        XCTAssertEqual(x, tf.mapValues { Float(log1p(Double($0))) })
        XCTAssertEqual(vectorizer.vocabulary, data.featureNames)
        XCTAssertEqual(vectorizer.settings.lemmatizer, LemmatizerKind.none)
        // The test row through the stored vectoriser equals the loaded test row.
        guard case .sparse(let testX) = data.test.features else { return XCTFail() }
        XCTAssertEqual(vectorizer.transform(["stock market player", "marka games"]).features, testX)
        XCTAssertTrue(data.settings.contains { $0.key == "seed" && $0.value == "20" })
        XCTAssertTrue(data.settings.contains { $0.key == "lemmatizer" })
    }

    func testSeedAndFeatureOptions() throws {
        let (dir, _) = try fixture()
        let a = try SnippetsLoader.load(directory: dir, options: ["lemmatizer": "none", "seed": "7", "features": "4"])
        XCTAssertEqual(a.featureCount, 4)
        let b = try SnippetsLoader.load(directory: dir, options: ["lemmatizer": "none", "seed": "7", "features": "4"])
        XCTAssertEqual(a.train.texts, b.train.texts)
        XCTAssertThrowsError(try SnippetsLoader.load(directory: dir, options: ["colour": "red"]))
        XCTAssertThrowsError(try SnippetsLoader.load(directory: dir, options: ["features": "0"]))
    }

    func testDefaultLemmatizerIsWordNetOrItsFallback() throws {
        let (dir, _) = try fixture()
        let data = try SnippetsLoader.load(directory: dir, options: [:])
        guard case .text(let v) = data.preprocessing else { return XCTFail() }
        XCTAssertEqual(v.settings.lemmatizer, WordNetLemmatizer.shared == nil ? .porter2 : .wordnet)
        XCTAssertTrue(v.isReproducible)
    }

    func testErrorsNameTheFileAndLine() throws {
        let (dir, _) = try fixture()
        func location(_ body: () throws -> Dataset) -> String? {
            do { _ = try body(); return nil } catch { return TextFixtures.location(of: error) }
        }
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir + "/missing", options: [:]) }, dir + "/missing")

        try TextFixtures.write("stock market sports\nhealth\nmarket games sports\n", to: dir + "/train.txt")
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir, options: [:]) }, dir + "/train.txt:2")

        try TextFixtures.write("stock market sports\nmarket games business\n", to: dir + "/train.txt")
        try TextFixtures.write("stock sports\nmarket games cooking\n", to: dir + "/test.txt")
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir, options: [:]) }, dir + "/test.txt:2")

        try TextFixtures.write(Data("stock sports\nmarket ".utf8) + Data([0xFF]) + Data(" games sports\n".utf8), to: dir + "/test.txt")
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir, options: ["encoding": "utf8"]) }, dir + "/test.txt:2")
        // By default a line that is not UTF-8 is read as Windows-1252 and counted in a note.
        let fallback = try SnippetsLoader.load(directory: dir, options: ["lemmatizer": "none"])
        XCTAssertEqual(fallback.notes, ["1 of 2 lines of \(dir)/test.txt were not valid UTF-8 and were read as Windows-1252"])
        XCTAssertEqual(fallback.test.texts?[1], "market ÿ games")
        XCTAssertEqual(fallback.test.ids ?? [], ["test.txt:1", "test.txt:2"])

        try TextFixtures.write(" \n\n", to: dir + "/test.txt")
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir, options: [:]) }, dir + "/test.txt")

        try FileManager.default.removeItem(atPath: dir + "/test.txt")
        XCTAssertEqual(location { try SnippetsLoader.load(directory: dir, options: [:]) }, dir + "/test.txt")
    }
}
