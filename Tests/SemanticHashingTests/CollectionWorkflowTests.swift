import Foundation
import XCTest
@testable import SemanticHashing

/// A user's own collection through the real binary: every document indexed, traceable hits,
/// the model recorded and checked, --add/--remove/--merge, a kill during --add, streaming
/// encode and search, and the sharded workflow.
final class CollectionWorkflowTests: XCTestCase {
    /// The corpus and a model trained on it, made once for the class.
    struct Fixture {
        let dir: TempDirectory
        var corpus: String { dir.path + "/docs" }
        var model: String { dir.path + "/docs.semhash" }
        var full: String { dir.path + "/full.smhi" }
        /// The documents as JSON Lines, in the order `--data text:docs --split all` indexes them.
        let jsonLines: [String]
    }

    nonisolated(unsafe) static var fixture: Fixture?

    /// Three topics × 30 posts with mail headers, trained 3 epochs with half the labels.
    static func makeFixture() throws -> Fixture {
        if let f = fixture { return f }
        let semhash = try SemhashProcess()
        let dir = try TempDirectory()
        let topics = ["sport": ["football", "goal", "match", "league", "striker", "referee"],
                      "cooking": ["recipe", "oven", "flour", "butter", "sauce", "simmer"],
                      "space": ["rocket", "orbit", "planet", "astronaut", "launch", "telescope"]]
        var rng = RandomSource(seed: 9)
        for (topic, words) in topics.sorted(by: { $0.key < $1.key }) {
            let folder = dir.path + "/docs/" + topic
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for d in 0..<30 {
                let body = (0..<8).map { _ in words[rng.integer(below: words.count)] }.joined(separator: " ")
                let text = "From: writer\(d)@example.org\nSubject: \(topic) news\n\n\(body)\ntoday news story\n"
                try text.write(toFile: folder + "/post\(d)", atomically: true, encoding: .utf8)
            }
        }
        let documents = try DatasetDocuments.read(try DatasetSpec(parsing: "text:" + dir.path + "/docs"))
        let lines = try documents.map { d -> String in
            let data = try JSONSerialization.data(withJSONObject: ["id": d.id, "text": d.text, "class": d.classes[0]], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        let f = Fixture(dir: dir, jsonLines: lines)
        let train = try semhash.run(["train", "--data", "text:\(f.corpus)", "--bits", "16", "--epochs", "3", "--supervision", "0.5",
                                     "--out", f.model])
        guard train.status == 0 else { throw XCTSkip("training the fixture model failed: \(train.stderr)") }
        XCTAssertTrue(train.stderr.contains("code usage of the training items: 81 codes"), train.stderr)
        let index = try semhash.run(["index", "--model", f.model, "--data", "text:\(f.corpus)", "--out", f.full])
        XCTAssertEqual(index.status, 0, index.stderr)
        fixture = f
        return f
    }

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The default trains at least --min-steps steps (81 items are one batch an epoch; the floor only raises the 30 epochs); an explicit
    /// --epochs alone is exact. At most 30 epoch lines: 40 epochs log the first and every second one.
    func testSmallCorporaTrainUntilTheStepFloor() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let out = f.dir.path + "/floor.semhash"
        for (extra, expected, lines) in [(["--min-steps", "40"], "epoch 40/40 ", 21), (["--epochs", "2"], "epoch 2/2 ", 2),
                                         (["--epochs", "2", "--min-steps", "4"], "epoch 4/4 ", 4)] {
            let run = try semhash.run(["train", "--data", "text:\(f.corpus)", "--bits", "8", "--out", out] + extra)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains(expected), "\(extra): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count, lines, "\(extra): \(run.stderr)")
        }
    }

    func testEveryDocumentIsIndexedWithTraceableHits() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        XCTAssertEqual(try IndexFile.read(f.full).count, 90, "--split all is the default: train, validation and test")
        for (part, expected) in [("test", 9), ("database", 81), ("train", 72), ("all", 90)] {
            let out = f.dir.path + "/\(part).smhi"
            let r = try semhash.run(["index", "--model", f.model, "--data", "text:\(f.corpus)", "--split", part, "--out", out, "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(json(r.stdout)["items"] as? Int, expected, part)
        }
        let found = try semhash.run(["search", "--index", f.full, "--model", f.model, "--query", "rocket launch orbit", "--k", "5", "--json"])
        XCTAssertEqual(found.status, 0, found.stderr)
        let hits = ((json(found.stdout)["results"] as? [[String: Any]])?.first?["neighbors"] as? [[String: Any]]) ?? []
        XCTAssertEqual(hits.count, 5)
        for hit in hits {
            let id = hit["id"] as? String ?? ""
            XCTAssertTrue(FileManager.default.fileExists(atPath: f.corpus + "/" + id), "the id is the file's path in the corpus: \(id)")
            XCTAssertEqual(hit["classes"] as? [String], [String(id.split(separator: "/")[0])])
            let snippet = hit["snippet"] as? String ?? ""
            XCTAssertFalse(snippet.hasPrefix("From:"), "snippets skip the mail headers: \(snippet)")
            XCTAssertTrue(snippet.hasSuffix("today news story"), snippet)
        }
        let table = try semhash.run(["search", "--index", f.full, "--model", f.model, "--query", "rocket launch orbit", "--k", "2"])
        XCTAssertTrue(table.stdout.contains(hits[0]["id"] as! String) && table.stdout.contains("class"), table.stdout)
    }

    func testAnIndexRefusesAnotherModel() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let other = f.dir.path + "/other.semhash"
        XCTAssertEqual(try semhash.run(["train", "--data", "text:\(f.corpus)", "--bits", "16", "--epochs", "1", "--seed", "7", "--out", other]).status, 0)
        let recorded = try IndexFile.read(f.full).provenance!.fingerprint
        let otherFingerprint = try ModelFile.read(from: other).fingerprint
        XCTAssertEqual(recorded, try ModelFile.read(from: f.model).fingerprint)
        let refused = try semhash.run(["search", "--index", f.full, "--model", other, "--query", "rocket"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        for needle in [recorded.description, otherFingerprint.description, "other.semhash", "docs.semhash", "full.smhi"] {
            XCTAssertTrue(refused.stderr.contains(needle), "message names \(needle): \(refused.stderr)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: f.full))
        let add = try semhash.run(["index", "--index", f.full, "--model", other, "--add", "-", "--input", "jsonl"], input: f.jsonLines[0])
        XCTAssertEqual(add.status, 64, add.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: f.full)), before, "a refused --add leaves the index alone")
        let shorter = f.dir.path + "/eight.semhash"
        XCTAssertEqual(try semhash.run(["train", "--data", "text:\(f.corpus)", "--bits", "8", "--epochs", "1", "--out", shorter]).status, 0)
        let length = try semhash.run(["search", "--index", f.full, "--model", shorter, "--query", "rocket"])
        XCTAssertEqual(length.status, 64)
    }

    func testAddRemoveAndMergeRoundTrips() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let first = f.jsonLines.prefix(40).joined(separator: "\n") + "\n", rest = f.jsonLines.dropFirst(40).joined(separator: "\n") + "\n"
        let a = f.dir.path + "/a.smhi", b = f.dir.path + "/b.smhi", grown = f.dir.path + "/grown.smhi"
        XCTAssertEqual(try semhash.run(["index", "--model", f.model, "--stdin", "--input", "jsonl", "--out", a], input: first).status, 0)
        XCTAssertEqual(try semhash.run(["index", "--model", f.model, "--stdin", "--input", "jsonl", "--out", b], input: rest).status, 0)
        try FileManager.default.copyItem(atPath: a, toPath: grown)
        let add = try semhash.run(["index", "--index", grown, "--model", f.model, "--add", "-", "--input", "jsonl"], input: rest)
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stderr.contains("indexed 90 items (50 added)"), add.stderr)
        let full = try IndexFile.read(f.full)
        XCTAssertEqual(try IndexFile.read(grown), full, "stdin + --add = every document of --data text:DIR")

        let merged = f.dir.path + "/merged.smhi"
        XCTAssertEqual(try semhash.run(["index", "--merge", a, b, "--out", merged]).status, 0)
        XCTAssertEqual(try IndexFile.read(merged), full)

        let removed = try semhash.run(["index", "--index", grown, "--remove"] + f.jsonLines.dropFirst(40).map { json($0)["id"] as! String })
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(try IndexFile.read(grown), try IndexFile.read(a))

        // Ids stay unique; an unknown id is refused; neither changes the file.
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: grown))
        let again = try semhash.run(["index", "--index", grown, "--model", f.model, "--add", "-", "--input", "jsonl"], input: first)
        XCTAssertEqual(again.status, 64)
        XCTAssertTrue(again.stderr.contains("already holds"), again.stderr)
        let unknown = try semhash.run(["index", "--index", grown, "--remove", "no/such/post"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("'no/such/post'"), unknown.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: grown)), snapshot)
        // A second copy of the folder goes in under a prefix.
        let prefixed = try semhash.run(["index", "--index", grown, "--model", f.model, "--add", "text:\(f.corpus)", "--id-prefix", "copy/", "--out", merged])
        XCTAssertEqual(prefixed.status, 0, prefixed.stderr)
        let withCopy = try IndexFile.read(merged)
        XCTAssertEqual(withCopy.count, 40 + 90)
        XCTAssertEqual(withCopy.ids?[40], "copy/" + full.ids![0])
        XCTAssertEqual(withCopy.codes.gathering(40..<130), full.codes)
    }

    /// SIGKILL at many moments of an --add to a large index: the file is always the old index or
    /// the new one, complete and readable.
    func testKillDuringAddLeavesTheOldOrTheNewIndex() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let full = try IndexFile.read(f.full)
        var builder = IndexedCollectionBuilder(bits: full.bits, provenance: full.provenance, snippetLength: 60)
        let documents = (0..<full.count).map { StreamedDocument(id: full.ids![$0], text: full.snippets![$0], classes: full.classes(of: $0)) }
        for copy in 0..<300 {
            builder.add(documents.map { var d = $0; d.id = "r\(copy)/" + d.id; return d }, codes: full.codes)
        }
        let old = builder.build()
        let base = f.dir.path + "/big-old.smhi", target = f.dir.path + "/big.smhi", input = f.dir.path + "/new.jsonl"
        try IndexFile.write(old, to: base)
        try (f.jsonLines.prefix(20).joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)

        let errors = f.dir.path + "/add-errors.txt"
        func launch() throws -> Process {
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: semhash.binary)
            p.arguments = ["index", "--index", target, "--model", f.model, "--add", "-", "--input", "jsonl"]
            p.standardInput = FileHandle(forReadingAtPath: input)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle(forWritingAtPath: errors)
            try p.run()
            return p
        }
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: base, toPath: target)
        let start = Date()
        let whole = try launch()
        whole.waitUntilExit()
        XCTAssertEqual(whole.terminationStatus, 0, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
        let duration = Date().timeIntervalSince(start)
        let new = try IndexFile.read(target)
        XCTAssertEqual(new.count, old.count + 20)

        var outcomes: [String] = []
        for fraction in [0.1, 0.3, 0.5, 0.7, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 0.99, 1.0, 1.2] {
            try FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: base, toPath: target)
            let p = try launch()
            usleep(UInt32(fraction * duration * 1e6))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let after = try IndexFile.read(target)   // throws if torn
            XCTAssertTrue(after == old || after == new, "killed at \(fraction) of the run: neither the old nor the new index")
            outcomes.append(after == new ? "new" : "old")
        }
        print("kill during --add (\(String(format: "%.2f", duration)) s per run): \(outcomes.joined(separator: " "))")
        // The next writer clears what killed writers left behind.
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: base, toPath: target)
        let p = try launch()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
        let left = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter { $0.hasPrefix(".big.smhi.tmp-") }
        XCTAssertEqual(left, [], "stale temporary files")
    }

    func testStreamingEncodeAndSearchEqualTheBatchCommands() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let batch = try semhash.run(["encode", "--model", f.model, "--data", "text:\(f.corpus)", "--split", "all"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let streamed = try semhash.run(["encode", "--model", f.model, "--stdin", "--input", "jsonl", "--batch-size", "7"],
                                       input: f.jsonLines.joined(separator: "\n") + "\n")
        XCTAssertEqual(streamed.stdout, batch.stdout, "streaming encode = batch encode, line for line")
        XCTAssertEqual(batch.stdout.split(separator: "\n").count, 91)
        XCTAssertTrue(batch.stdout.hasPrefix("# semhash codes: bits=16 model=\(try IndexFile.read(f.full).provenance!.fingerprint)\n"))
        // Raw lines (one document a line, ids = line numbers) give the same codes.
        let texts = f.jsonLines.map { (json($0)["text"] as! String).replacingOccurrences(of: "\n", with: " ") }
        let raw = try semhash.run(["encode", "--model", f.model, "--stdin"], input: texts.joined(separator: "\n") + "\n")
        XCTAssertEqual(raw.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[0] },
                       batch.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[0] })
        XCTAssertEqual(raw.stdout.split(separator: "\n").last?.split(separator: " ").last, "90")

        // npy: the hex codes as bytes.
        let npy = f.dir.path + "/codes.npy"
        XCTAssertEqual(try semhash.run(["encode", "--model", f.model, "--data", "text:\(f.corpus)", "--split", "all", "--format", "npy", "--out", npy]).status, 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: npy)))
        let hex = batch.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(bytes.count, 128 + 2 * 90)
        XCTAssertEqual(hex.indices.map { String(format: "%02x%02x", bytes[128 + 2 * $0], bytes[129 + 2 * $0]) }, hex)
        XCTAssertEqual(try String(contentsOfFile: f.dir.path + "/codes.ids.txt", encoding: .utf8).split(separator: "\n").map(String.init),
                       try IndexFile.read(f.full).ids)

        // search --stdin answers each line as --query does.
        let queries = ["rocket launch orbit", "butter flour oven", "goal referee"]
        let stream = try semhash.run(["search", "--index", f.full, "--model", f.model, "--stdin", "--k", "4", "--json"],
                                     input: queries.joined(separator: "\n") + "\n")
        XCTAssertEqual(stream.status, 0, stream.stderr)
        let lines = stream.stdout.split(separator: "\n").map { json(String($0)) }
        XCTAssertEqual(lines.count, 3, "one JSON object per query line")
        for (q, text) in queries.enumerated() {
            let one = try semhash.run(["search", "--index", f.full, "--model", f.model, "--query", text, "--k", "4", "--json"])
            let expected = (json(one.stdout)["results"] as? [[String: Any]])?.first
            XCTAssertEqual(lines[q]["query"] as? String, expected?["query"] as? String)
            XCTAssertEqual((lines[q]["neighbors"] as? [[String: Any]])?.map { $0["id"] as! String },
                           (expected?["neighbors"] as? [[String: Any]])?.map { $0["id"] as! String })
        }
        let unknown = try semhash.run(["search", "--index", f.full, "--model", f.model, "--stdin"], input: "the and of\nzebra quokka yak rocket gnu emu\n")
        XCTAssertTrue(unknown.stderr.contains("query 1 (\"the and of\"): no word is in the model's vocabulary"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("only 1 of its 6 words"), unknown.stderr)
    }

    /// A co-process writes one query and waits: the answer must come before standard input ends.
    func testSearchStdinAnswersBeforeTheInputEnds() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: semhash.binary)
        p.arguments = ["search", "--index", f.full, "--model", f.model, "--stdin", "--json", "--k", "1"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("rocket orbit\n".utf8))
        nonisolated(unsafe) var answer = Data()
        let got = DispatchSemaphore(value: 0)
        Thread {
            while !answer.contains(0x0A) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                answer.append(chunk)
            }
            got.signal()
        }.start()
        let inTime = got.wait(timeout: .now() + 120) == .success
        try input.fileHandleForWriting.close()
        if !inTime { p.terminate() }
        p.waitUntilExit()
        XCTAssertTrue(inTime, "no answer while standard input stayed open")
        XCTAssertEqual((json(String(decoding: answer, as: UTF8.self))["neighbors"] as? [Any])?.count, 1)
    }

    /// Shards encoded apart (as parallel jobs would), indexed from their code files, searched
    /// as several files and as one merged file: the same exact top k as the whole collection.
    func testShardedWorkflowGivesTheWholeCollectionsResults() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        var shardIndexes: [String] = []
        for (s, range) in [0..<25, 25..<26, 26..<90].enumerated() {
            let encoded = try semhash.run(["encode", "--model", f.model, "--stdin", "--input", "jsonl", "--format", "jsonl"],
                                          input: f.jsonLines[range].joined(separator: "\n") + "\n")
            XCTAssertEqual(encoded.status, 0, encoded.stderr)
            let codes = f.dir.path + "/shard\(s).jsonl", index = f.dir.path + "/shard\(s).smhi"
            try encoded.stdout.write(toFile: codes, atomically: true, encoding: .utf8)
            let built = try semhash.run(["index", "--codes", codes, "--out", index])
            XCTAssertEqual(built.status, 0, built.stderr)
            shardIndexes.append(index)
        }
        let merged = f.dir.path + "/shards-merged.smhi"
        XCTAssertEqual(try semhash.run(["index", "--merge"] + shardIndexes + ["--out", merged]).status, 0)
        let whole = try IndexFile.read(f.full), fromShards = try IndexFile.read(merged)
        XCTAssertEqual(fromShards.codes, whole.codes)
        XCTAssertEqual(fromShards.ids, whole.ids)
        XCTAssertEqual((0..<90).map(fromShards.item), (0..<90).map(whole.item))
        XCTAssertEqual(fromShards.provenance?.fingerprint, whole.provenance?.fingerprint)

        func neighbors(_ index: String) throws -> [[String]] {
            let r = try semhash.run(["search", "--index", index, "--stdin", "--json", "--k", "12"],
                                    input: whole.codes.hexString(at: 3) + "\n" + whole.codes.hexString(at: 70) + "\nffff\n")
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout.split(separator: "\n").map { line in
                (json(String(line))["neighbors"] as! [[String: Any]]).map { "\($0["id"]!) \($0["distance"]!) \($0["index"]!)" }
            }
        }
        let expected = try neighbors(f.full)
        XCTAssertEqual(try neighbors(shardIndexes.joined(separator: ",")), expected, "several files searched as one")
        XCTAssertEqual(try neighbors(merged), expected)
        let mixed = try semhash.run(["search", "--index", "\(f.full),\(f.dir.path)/nowhere.smhi", "--query-code", "ffff"])
        XCTAssertEqual(mixed.status, 66)
    }

    /// Another folder's text meets the model's stored vectoriser in every command: nothing is
    /// refitted, so a document has one code whichever split or command encodes it.
    func testAnotherFoldersTextIsEncodedWithTheModelsVocabulary() throws {
        let f = try Self.makeFixture()
        let semhash = try SemhashProcess()
        for (topic, words) in [("music", ["guitar", "drum", "song", "album", "concert"]), ("garden", ["rose", "soil", "seed", "tulip", "hedge"])] {
            let folder = f.dir.path + "/other/" + topic
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for d in 0..<20 {
                try "\(words.shuffled().joined(separator: " ")) rocket goal".write(toFile: folder + "/n\(d)", atomically: true, encoding: .utf8)
            }
        }
        let other = "text:\(f.dir.path)/other"
        func codesByID(_ output: String) -> [String: String] {
            var out: [String: String] = [:]
            for line in output.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                if parts.count == 2 { out[parts[1]] = parts[0] }
            }
            return out
        }
        let all = try semhash.run(["encode", "--model", f.model, "--data", other, "--split", "all"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 41)
        XCTAssertTrue(all.stdout.contains(" garden/n0\n"), all.stdout)
        let test = try semhash.run(["encode", "--model", f.model, "--data", other, "--split", "test"])
        XCTAssertEqual(test.status, 0, test.stderr)
        let allCodes = codesByID(all.stdout), testCodes = codesByID(test.stdout)
        XCTAssertEqual(testCodes.count, 4)
        for (id, code) in testCodes { XCTAssertEqual(allCodes[id], code, id) }
        let evaluate = try semhash.run(["evaluate", "--model", f.model, "--data", other])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
    }

    func testDegenerateCodesAreReported() throws {
        let semhash = try SemhashProcess()
        let dir = try TempDirectory()
        let codes = try dir.write("codes.txt", (0..<30).map { "\($0 < 25 ? "00ff" : String(format: "%04x", $0)) doc\($0)" }.joined(separator: "\n"))
        let r = try semhash.run(["index", "--codes", codes, "--out", dir.path + "/i.smhi"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: 25 of 30 items (83.3 %) share one code (00ff)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("6 distinct"), r.stderr)
        let search = try semhash.run(["search", "--index", dir.path + "/i.smhi", "--query-code", "00ff"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stderr.contains("its code 00ff is the code of 25 of the 30 items (83.3 %)"), search.stderr)
        let elsewhere = try semhash.run(["search", "--index", dir.path + "/i.smhi", "--query-code", "0019"])
        XCTAssertFalse(elsewhere.stderr.contains("warning"), elsewhere.stderr)
    }
}
