import XCTest
@testable import SemanticHashing

/// The newcomer's path through the real binary: train on a folder of text files, index the
/// corpus, search it with raw text — and a clear error with a non-zero exit for bad input.
final class TextWorkflowTests: XCTestCase {
    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    private func run(_ binary: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

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

    func testTrainIndexSearchRoundTripAndErrors() throws {
        guard let binary = ExperimentResumeTests.semhashBinary() else {
            throw XCTSkip("the semhash executable was not found next to the tests; build it with 'swift build' or set SEMHASH_BINARY")
        }
        let dir = try TempDirectory()
        let corpus = dir.path + "/docs", model = dir.path + "/docs.semhash", index = dir.path + "/docs.index"
        try writeCorpus(corpus)

        let train = try run(binary, ["train", "--data", "text:\(corpus)", "--model", "ssb-vae", "--bits", "8", "--epochs", "3",
                                     "--supervision", "0.5", "--out", model])
        XCTAssertEqual(train.status, 0, train.stderr)
        let built = try run(binary, ["index", "--model", model, "--data", "text:\(corpus)", "--out", index])
        XCTAssertEqual(built.status, 0, built.stderr)
        let found = try run(binary, ["search", "--index", index, "--model", model, "--query", "rocket launch into orbit", "--k", "3", "--json"])
        XCTAssertEqual(found.status, 0, found.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
        let results = json?["results"] as? [[String: Any]]
        let neighbors = results?.first?["neighbors"] as? [[String: Any]]
        XCTAssertEqual(neighbors?.count, 3)
        XCTAssertNotNil(neighbors?.first?["id"] as? String, "index entries carry readable ids")

        // Bad input: clear message naming what is wrong, non-zero exit, nothing half-written.
        let missing = try run(binary, ["train", "--data", "text:\(dir.path)/nowhere", "--out", dir.path + "/x.semhash"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nowhere"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/x.semhash"))

        let empty = try run(binary, ["search", "--index", index, "--model", model, "--query", "  "])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("--query"), empty.stderr)

        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupt = dir.path + "/corrupt.semhash"
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let broken = try run(binary, ["search", "--index", index, "--model", corrupt, "--query", "rocket"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("corrupt.semhash") && broken.stderr.contains("checksum"), broken.stderr)

        let noIndex = try run(binary, ["search", "--index", dir.path + "/none.index", "--query-code", "ab"])
        XCTAssertNotEqual(noIndex.status, 0)
        XCTAssertTrue(noIndex.stderr.contains("none.index"), noIndex.stderr)

        let usage = try run(binary, ["train", "--bogus"])
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("--bogus"), usage.stderr)
    }
}
