import XCTest
@testable import SemanticHashing

final class ExperimentResultsFileTests: XCTestCase {
    func row(_ hash: String, p100: Double = 0.5, tieAware: Double? = nil) -> ExperimentResultRow {
        var metrics: [String: Double] = ["p@100": p100, "r@100": 0.1, "p@1000": 1.0 / 3, "p@5000": 0.2, "map@100": 0.7,
                                         "map@1000": 0.6, "map@5000": 1e-5]
        metrics[ExperimentResultRow.tieAwareMetric] = tieAware
        return ExperimentResultRow(dataset: "snippets", algorithm: "SSB-VAE", level: 0.3, weights: LossWeights(alpha: 1e-4, beta: 0.015625, gamma: 1e4),
                                   metrics: metrics, addedValidation: true, seed: 1028, bits: 16, trainSeconds: 12.25, configHash: hash)
    }

    func testRowLineAndRoundTrip() throws {
        let r = row("00ff", tieAware: 0.4875)
        XCTAssertEqual(r.csvLine, "snippets,SSB-VAE,0.3,0.0001,0.015625,10000.0,0.5,0.1,0.3333333333333333,0.2,0.7,0.6,1e-05,True,1028,0.4875,16,12.250,00ff")
        XCTAssertEqual(r.fields.count, ExperimentResultRow.columns.count)
        XCTAssertEqual(try ExperimentResultRow(fields: r.fields, location: "x"), r)
        // No tie-aware metric → an empty field, read back as absent.
        let plain = row("01")
        XCTAssertEqual(plain.fields[15], "")
        XCTAssertNil(try ExperimentResultRow(fields: plain.fields, location: "x").metrics[ExperimentResultRow.tieAwareMetric])
        XCTAssertEqual(ExperimentResultRow.header,
                       "dataset,algorithm,level,alpha,beta,gamma,p@100,r@100,p@1000,p@5000,map@100,map@1000,map@5000,added_val_flag,seed_used,tie_aware_p@100,bits,train_seconds,config_hash")
    }

    func testAppendWritesHeaderOnceAndRowsInOrder() throws {
        let dir = try TempDirectory()
        let path = dir.path + "/r.csv"
        try ResultsFile(path: path).append(row("a"))
        let again = try ResultsFile(path: path)
        try again.append(row("b", p100: 0.25))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "\n").filter { $0 == ExperimentResultRow.header }.count, 1)
        XCTAssertEqual(try again.rows().map(\.configHash), ["a", "b"])
        XCTAssertEqual(try again.rows()[1].metrics["p@100"], 0.25)
    }

    func testPartialLastLineIsCutOffOnOpen() throws {
        let dir = try TempDirectory()
        let complete = ExperimentResultRow.header + "\n" + row("a").csvLine + "\n"
        let partial = String(row("b").csvLine.prefix(40))
        let path = try dir.write("r.csv", complete + partial)
        // A reader ignores the partial line without changing the file.
        XCTAssertEqual(try ResultsFile.readRows(path: path).map(\.configHash), ["a"])
        let results = try ResultsFile(path: path)
        XCTAssertEqual(results.recoveredBytes, 40)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), complete)
        try results.append(row("c"))
        XCTAssertEqual(try results.rows().map(\.configHash), ["a", "c"])
        // Directly: a file that already ends in a newline is left alone.
        XCTAssertEqual(try ResultsFile.truncatePartialLastLine(path: path), 0)
        // A file holding only part of its header is cut to nothing and gets a fresh header.
        let headerOnly = try dir.write("h.csv", "dataset,algo")
        XCTAssertEqual(try ResultsFile(path: headerOnly).recoveredBytes, 12)
        XCTAssertEqual(try String(contentsOfFile: headerOnly, encoding: .utf8), ExperimentResultRow.header + "\n")
    }

    func testForeignFileIsRejected() throws {
        let dir = try TempDirectory()
        let path = try dir.write("other.csv", "a,b,c\n1,2,3\n")
        assertMalformed("other.csv:1", reasonContains: "header") { try ResultsFile(path: path) }
        assertMalformed("other.csv:1", reasonContains: "header") { try ResultsFile.readRows(path: path) }
        let bad = try dir.write("bad.csv", ExperimentResultRow.header + "\n" + "snippets,SSB-VAE\n")
        assertMalformed("bad.csv:2", reasonContains: "fields") { try ResultsFile.readRows(path: bad) }
    }

    func testConcurrentAppendsNeverInterleave() throws {
        let dir = try TempDirectory()
        let path = dir.path + "/r.csv"
        let writers = [try ResultsFile(path: path), try ResultsFile(path: path)]
        let lines = (0..<200).map { row(String(format: "%04d", $0), p100: Double($0) / 200) }
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            do { try writers[i % 2].append(lines[i]) } catch { XCTFail("append \(i): \(error)") }
        }
        let rows = try ResultsFile.readRows(path: path)
        XCTAssertEqual(rows.count, 200)
        XCTAssertEqual(Set(rows.map(\.configHash)).count, 200)
        for r in rows { XCTAssertEqual(r.metrics["p@100"], Double(Int(r.configHash)!) / 200) }
    }
}
