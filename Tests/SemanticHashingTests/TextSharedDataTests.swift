import Foundation
import XCTest
import SemanticHashing

/// Loads the real corpora from the shared data folder and checks sizes, timing and the overlap with
/// the reference vocabularies. Skipped unless `SEMHASH_SHARED` names the folder holding `datasets/`
/// (e.g. `SEMHASH_SHARED=/work/shared swift test -c release -Xswiftc -enable-testing --filter TextSharedData`).
final class TextSharedDataTests: XCTestCase {
    private func sharedDatasets() throws -> String {
        guard let root = ProcessInfo.processInfo.environment["SEMHASH_SHARED"] else {
            throw XCTSkip("SEMHASH_SHARED is not set")
        }
        return (root as NSString).appendingPathComponent("datasets")
    }

    private func referenceVocabulary(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(separator: "\n").map(String.init))
    }

    func testSnippetsMatchesReferenceShape() throws {
        let root = try sharedDatasets()
        let start = Date()
        let data = try SnippetsLoader.load(directory: root + "/snippets", options: [:])
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(data.train.count, 9054)
        XCTAssertEqual(data.validation?.count, 1006)
        XCTAssertEqual(data.test.count, 2280)
        XCTAssertEqual(data.classCount, 8)
        XCTAssertEqual(data.featureCount, 10_000)
        let reference = try referenceVocabulary(root + "/snippets-reference/vocab.txt")
        let ours = Set(data.featureNames ?? [])
        let common = ours.intersection(reference).count
        let words = ours.filter { !$0.contains(" ") }.count
        let bigrams = ours.filter { $0.split(separator: " ").count == 2 }.count
        print("snippets: load+vectorise \(String(format: "%.3f", seconds)) s; vocabulary \(ours.count) terms "
              + "(\(words) words, \(bigrams) bigrams, \(ours.count - words - bigrams) trigrams); \(common) shared with the reference")
        for (k, v) in data.settings { print("  \(k): \(v)") }
        XCTAssertGreaterThan(common, 9000)
    }

    func testNewsgroupsMatchesReferenceShape() throws {
        let root = try sharedDatasets()
        let start = Date()
        let data = try NewsgroupsLoader.load(directory: root + "/20news-bydate", options: [:])
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(data.train.count + (data.validation?.count ?? 0) + data.test.count, 11_314 + 7_532 - (11_314 - 1_131 - data.train.count))
        XCTAssertEqual(data.validation?.count, 1131)
        XCTAssertEqual(data.test.count, 7532)
        XCTAssertEqual(data.classCount, 20)
        XCTAssertEqual(data.featureCount, 10_000)
        let reference = try referenceVocabulary(root + "/20news-reference/vocab.txt")
        let ours = Set(data.featureNames ?? [])
        let common = ours.intersection(reference).count
        print("20news: load+vectorise \(String(format: "%.3f", seconds)) s; \(common) of \(ours.count) terms shared with the reference")
        print("  only ours: \(ours.subtracting(reference).sorted().prefix(20))")
        print("  only reference: \(reference.subtracting(ours).sorted().prefix(20))")
        for (k, v) in data.settings { print("  \(k): \(v)") }
        XCTAssertGreaterThan(common, 9900)
    }
}
