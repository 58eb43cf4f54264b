import Foundation
import XCTest

/// One-sentence queries against a small real collection: the first 100 posts of six classes of
/// 20 Newsgroups (`20news-bydate-train`), SSB-VAE with the command line's defaults at 32 bits and
/// 10 % labels, every post indexed. Each query is about one class; its top 5 hits must mostly come
/// from that class and the queries must not share one code (the collapse that 30 epochs of a
/// small corpus gave). Skipped unless `SEMHASH_SHARED` names the folder holding `datasets/`; meant
/// for a release build (training takes about a minute there):
/// `SEMHASH_SHARED=/work/shared swift test -c release --filter ShortQueryDataTests`.
final class ShortQueryDataTests: XCTestCase {
    static let queries: [(text: String, className: String)] = [
        ("NASA delayed the space shuttle launch", "sci.space"),
        ("my car engine makes a noise when braking", "rec.autos"),
        ("the doctor prescribed antibiotics for the infection", "sci.med"),
        ("gun control legislation in congress", "talk.politics.guns"),
        ("the goalie made a great save in the playoffs", "rec.sport.hockey"),
        ("rendering 3d images with ray tracing", "comp.graphics"),
    ]

    func testOneSentenceQueriesFindTheirTopic() throws {
        guard let root = ProcessInfo.processInfo.environment["SEMHASH_SHARED"] else { throw XCTSkip("SEMHASH_SHARED is not set") }
        let source = root + "/datasets/20news-bydate/20news-bydate-train"
        guard FileManager.default.fileExists(atPath: source) else { throw XCTSkip("\(source) is missing") }
        let semhash = try SemhashProcess()
        let oneThread = ["SEMHASH_THREADS": "1"]  // codes depend on the summation order; fix it
        let dir = try TempDirectory()
        let fm = FileManager.default
        for (_, className) in Self.queries {
            try fm.createDirectory(atPath: dir.path + "/docs/" + className, withIntermediateDirectories: true)
            let names = try fm.contentsOfDirectory(atPath: source + "/" + className).sorted().prefix(100)
            for name in names { try fm.copyItem(atPath: "\(source)/\(className)/\(name)", toPath: "\(dir.path)/docs/\(className)/\(name)") }
        }
        let model = dir.path + "/docs.semhash", index = dir.path + "/docs.smhi"
        let train = try semhash.run(["train", "--data", "text:\(dir.path)/docs", "--model", "ssb-vae", "--bits", "32",
                                     "--supervision", "0.1", "--out", model], environment: oneThread)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertEqual(try semhash.run(["index", "--model", model, "--data", "text:\(dir.path)/docs", "--out", index],
                                       environment: oneThread).status, 0)

        var codes = Set<String>(), rightAtRankOne = 0, rightInTopFive = 0
        for (text, className) in Self.queries {
            let r = try semhash.run(["search", "--index", index, "--model", model, "--query", text, "--k", "5", "--json"], environment: oneThread)
            XCTAssertEqual(r.status, 0, r.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let result = (json?["results"] as? [[String: Any]])?.first
            codes.insert(result?["query"] as? String ?? "")  // the query's code, hex
            let classes = (result?["neighbors"] as? [[String: Any]] ?? []).map { ($0["classes"] as? [String])?.first ?? "" }
            if classes.first == className { rightAtRankOne += 1 }
            rightInTopFive += classes.filter { $0 == className }.count
            print("\(text): \(classes)")
        }
        XCTAssertGreaterThanOrEqual(codes.count, 5, "the queries collapse onto few codes: \(codes)")
        // Measured here (OpenBLAS, one thread): 5 at rank 1, 27 of 30 in the top 5; with two threads 5
        // and 26. The bounds leave room for another machine's summation order.
        XCTAssertGreaterThanOrEqual(rightAtRankOne, 3, "queries with a hit of their class at rank 1")
        XCTAssertGreaterThanOrEqual(rightInTopFive, 12, "hits of the query's class among the 30 (chance: 5)")
    }
}
