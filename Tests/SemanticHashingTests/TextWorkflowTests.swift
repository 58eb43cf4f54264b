import XCTest
@testable import SemanticHashing

/// The newcomer's path through the real binary: train on a folder of text files, index the
/// corpus, search it with raw text — and a clear error with a non-zero exit for bad input.
final class TextWorkflowTests: XCTestCase {
    /// Three topics, each document a handful of its topic's words plus shared filler.
    private func writeCorpus(_ root: String) throws {
        let topics = ["sport": ["football", "goal", "match", "league", "striker", "referee"],
                      "cooking": ["recipe", "oven", "flour", "butter", "sauce", "simmer"],
                      "space": ["rocket", "orbit", "planet", "astronaut", "launch", "telescope"]]
        var rng = RandomSource(seed: 9)
        for (topic, words) in topics {
            let dir = root + "/" + topic
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for d in 0..<30 {
                let text = (0..<8).map { _ in words[rng.integer(below: words.count)] }.joined(separator: " ") + " today news story"
                try text.write(toFile: dir + "/doc\(d).txt", atomically: true, encoding: .utf8)
            }
        }
    }

    /// A machine without WordNet fits a different vocabulary, so the fallback to Porter2 is said,
    /// not silent; asking for Porter2 says nothing. The closing line names the compute backend,
    /// the other thing that makes two machines' codes differ.
    func testMissingWordNetIsSaidAndTheBackendNamed() throws {
        let semhash = try SemhashProcess()
        let dir = try TempDirectory()
        let corpus = dir.path + "/docs"
        try writeCorpus(corpus)
        let missing = ["WNSEARCHDIR": dir.path + "/no-wordnet-here"]
        let fallback = try semhash.run(["train", "--data", "text:\(corpus)", "--bits", "8", "--epochs", "1", "--out", dir.path + "/a.semhash"],
                                       environment: missing)
        XCTAssertEqual(fallback.status, 0, fallback.stderr)
        XCTAssertTrue(fallback.stderr.contains("note: no WordNet database at \(dir.path)/no-wordnet-here (install wordnet-base or set WNSEARCHDIR): "
                                               + "words are stemmed with Porter2 instead"), fallback.stderr)
        XCTAssertNotNil(fallback.stderr.range(of: #"trained SSB-VAE \(8 bits\) in [0-9.]+ s on (Swift \(portable|OpenBLAS|BLAS)"#, options: .regularExpression),
                        fallback.stderr)
        let asked = try semhash.run(["train", "--data", "text:\(corpus)?lemmatizer=porter2", "--bits", "8", "--epochs", "1", "--out", dir.path + "/b.semhash"],
                                    environment: missing)
        XCTAssertEqual(asked.status, 0, asked.stderr)
        XCTAssertFalse(asked.stderr.contains("WordNet"), asked.stderr)
    }

    /// The fallback reaches the loaded dataset, where experiment fingerprints pick it up.
    func testLemmatizerFallbackIsASubstitution() throws {
        let dir = try TempDirectory()
        try writeCorpus(dir.path + "/docs")
        let asked = try DatasetSpec(parsing: "text:\(dir.path)/docs?lemmatizer=porter2").load()
        XCTAssertTrue(asked.substitutions.isEmpty)
        let byDefault = try DatasetSpec(parsing: "text:\(dir.path)/docs").load()
        if WordNetLemmatizer.shared == nil {
            XCTAssertEqual(byDefault.substitutions.map(\.key), ["lemmatizer"])
            XCTAssertEqual(byDefault.substitutions.map(\.value), ["porter2"])
        } else {
            XCTAssertTrue(byDefault.substitutions.isEmpty)
        }
    }

    func testTrainIndexSearchRoundTripAndErrors() throws {
        let semhash = try SemhashProcess()
        let dir = try TempDirectory()
        let corpus = dir.path + "/docs", model = dir.path + "/docs.semhash", index = dir.path + "/docs.index"
        try writeCorpus(corpus)

        let train = try semhash.run(["train", "--data", "text:\(corpus)", "--model", "ssb-vae", "--bits", "8", "--epochs", "3",
                                     "--supervision", "0.5", "--out", model])
        XCTAssertEqual(train.status, 0, train.stderr)
        let built = try semhash.run(["index", "--model", model, "--data", "text:\(corpus)", "--out", index])
        XCTAssertEqual(built.status, 0, built.stderr)
        let found = try semhash.run(["search", "--index", index, "--model", model, "--query", "rocket launch into orbit", "--k", "3", "--json"])
        XCTAssertEqual(found.status, 0, found.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
        let results = json?["results"] as? [[String: Any]]
        let neighbors = results?.first?["neighbors"] as? [[String: Any]]
        XCTAssertEqual(neighbors?.count, 3)
        XCTAssertNotNil(neighbors?.first?["id"] as? String, "index entries carry readable ids")

        // Bad input: clear message naming what is wrong, non-zero exit, nothing half-written.
        let missing = try semhash.run(["train", "--data", "text:\(dir.path)/nowhere", "--out", dir.path + "/x.semhash"])
        XCTAssertEqual(missing.status, 66, "missing input")
        XCTAssertTrue(missing.stderr.contains("nowhere"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/x.semhash"))

        let empty = try semhash.run(["search", "--index", index, "--model", model, "--query", "  "])
        XCTAssertEqual(empty.status, 64, "an empty query is an invalid option value")
        XCTAssertTrue(empty.stderr.contains("--query"), empty.stderr)

        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupt = dir.path + "/corrupt.semhash"
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let broken = try semhash.run(["search", "--index", index, "--model", corrupt, "--query", "rocket"])
        XCTAssertEqual(broken.status, 65, "a damaged model is bad data")
        XCTAssertTrue(broken.stderr.contains("corrupt.semhash") && broken.stderr.contains("checksum"), broken.stderr)

        let noIndex = try semhash.run(["search", "--index", dir.path + "/none.index", "--query-code", "ab"])
        XCTAssertNotEqual(noIndex.status, 0)
        XCTAssertTrue(noIndex.stderr.contains("none.index"), noIndex.stderr)

        let usage = try semhash.run(["train", "--bogus"])
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("--bogus"), usage.stderr)
    }
}
