import XCTest
@testable import SemanticHashing

final class RetrievalMetricsTests: XCTestCase {
    private func codes(_ hex: String) -> BinaryCodes {
        try! CodeListing(parsing: hex.split(separator: " ").joined(separator: "\n"), bits: 4, source: "test").codes
    }

    private func assertCutoff(_ c: RetrievalMetrics.Cutoff?, _ p: Double, _ r: Double, _ ap: Double, _ e: Double,
                              file: StaticString = #filePath, line: UInt = #line) {
        guard let c else { return XCTFail("missing cut-off", file: file, line: line) }
        XCTAssertEqual(c.precision, p, accuracy: 1e-12, "P@\(c.k)", file: file, line: line)
        XCTAssertEqual(c.recall, r, accuracy: 1e-12, "R@\(c.k)", file: file, line: line)
        XCTAssertEqual(c.meanAveragePrecision, ap, accuracy: 1e-12, "MAP@\(c.k)", file: file, line: line)
        XCTAssertEqual(c.expectedPrecision, e, accuracy: 1e-12, "E[P@\(c.k)]", file: file, line: line)
    }

    /// Query 0000, class A(0). Database distances 1 0 2 1 4 1, classes A B A A A –.
    /// Rank order (distance, index): 1, 0, 3, 5, 2, 4 → relevance 0 1 1 0 1 1; 4 relevant in all.
    func testSingleLabelHandComputedWithTies() {
        let db = codes("1 0 3 8 f 4")
        let dbLabels = Labels(classCount: 2, isMultiLabel: false, offsets: [0, 1, 2, 3, 4, 5, 5], classes: [0, 1, 0, 0, 0])
        let m = RetrievalMetrics.evaluate(queryCodes: codes("0"), queryLabels: Labels(singleLabel: [0], classCount: 2),
                                          databaseCodes: db, databaseLabels: dbLabels, cutoffs: [1, 2, 3, 5, 8], threads: 1)
        assertCutoff(m.at(1), 0, 0, 0, 0)
        // d_2 = 1: one item closer (irrelevant), 1 slot in a block of 3 holding 2 relevant.
        assertCutoff(m.at(2), 0.5, 0.25, 0.5, (1.0 * 2 / 3) / 2)
        assertCutoff(m.at(3), 2.0 / 3, 0.5, (1.0 / 2 + 2.0 / 3) / 2, (2.0 * 2 / 3) / 3)
        assertCutoff(m.at(5), 0.6, 0.75, (1.0 / 2 + 2.0 / 3 + 3.0 / 5) / 3, 3.0 / 5)
        // K beyond the database: all 6 items taken, divisor stays 8.
        assertCutoff(m.at(8), 0.5, 1, (1.0 / 2 + 2.0 / 3 + 3.0 / 5 + 4.0 / 6) / 4, 0.5)
        XCTAssertEqual(m.queriesWithoutRelevantItems, 0)
        XCTAssertEqual(m.cutoffs.map(\.k), [1, 2, 3, 5, 8])

        // An unlabelled second query has nothing relevant: it adds zeros to every mean.
        let two = RetrievalMetrics.evaluate(queryCodes: codes("0 0"),
                                            queryLabels: Labels(classCount: 2, isMultiLabel: false, offsets: [0, 1, 1], classes: [0]),
                                            databaseCodes: db, databaseLabels: dbLabels, cutoffs: [3], threads: 2)
        assertCutoff(two.at(3), 1.0 / 3, 0.25, (1.0 / 2 + 2.0 / 3) / 4, (2.0 * 2 / 3) / 6)
        XCTAssertEqual(two.queriesWithoutRelevantItems, 1)
    }

    /// Query {1, 2}; database (distance, classes): (0,{0}) (1,{2,3}) (1,{}) (2,{0,1}) (0,{3}).
    /// Rank order 0, 4, 1, 2, 3 → relevance 0 0 1 0 1.
    func testMultiLabelHandComputed() {
        for offset in [0, 100] {  // 100: more than 64 classes, the multi-word class masks
            let classCount = offset + 4
            let db = codes("0 1 2 3 0")
            let dbLabels = Labels(multiLabel: [[0], [2, 3], [], [0, 1], [3]].map { $0.map { $0 + offset } }, classCount: classCount)
            let m = RetrievalMetrics.evaluate(queryCodes: codes("0"), queryLabels: Labels(multiLabel: [[1 + offset, 2 + offset]], classCount: classCount),
                                              databaseCodes: db, databaseLabels: dbLabels, cutoffs: [2, 3, 5], threads: 1)
            assertCutoff(m.at(2), 0, 0, 0, 0)
            assertCutoff(m.at(3), 1.0 / 3, 0.5, 1.0 / 3, 0.5 / 3)
            assertCutoff(m.at(5), 0.4, 1, (1.0 / 3 + 2.0 / 5) / 2, 0.4)
        }
    }

    /// The fast path (one-word codes) and the general path agree with a direct implementation of
    /// the definitions on random data.
    func testMatchesDirectDefinition() {
        for bits in [8, 70] { checkDirectDefinition(bits: bits) }
    }

    private func checkDirectDefinition(bits: Int) {
        var rng = RandomSource(seed: 9)
        let n = 300, nq = 20, classes = 5
        let db = uniformCodes(count: n, bits: bits, seed: 1), queries = uniformCodes(count: nq, bits: bits, seed: 2)
        let dbLabels = Labels(multiLabel: (0..<n).map { _ in (0..<classes).filter { _ in rng.uniform() < 0.3 } }, classCount: classes)
        let qLabels = Labels(multiLabel: (0..<nq).map { _ in (0..<classes).filter { _ in rng.uniform() < 0.3 } }, classCount: classes)
        let ks = [1, 7, 50, 299, 300, 400]
        let m = RetrievalMetrics.evaluate(queryCodes: queries, queryLabels: qLabels, databaseCodes: db, databaseLabels: dbLabels, cutoffs: ks, threads: 2)
        for (c, k) in ks.enumerated() {
            var p = 0.0, r = 0.0, ap = 0.0
            for q in 0..<nq {
                let ranked = BruteForceSearch.search(db, queries.gathering([q]), k: n).neighbors
                let rel = ranked.map { !Set(dbLabels.classesOf($0.index)).isDisjoint(with: qLabels.classesOf(q)) }
                let top = rel.prefix(k), total = rel.filter { $0 }.count, hits = top.filter { $0 }.count
                p += Double(hits) / Double(k)
                r += total == 0 ? 0 : Double(hits) / Double(total)
                var seen = 0, sum = 0.0
                for (i, isRel) in top.enumerated() where isRel { seen += 1; sum += Double(seen) / Double(i + 1) }
                ap += seen == 0 ? 0 : sum / Double(seen)
            }
            XCTAssertEqual(m.cutoffs[c].precision, p / Double(nq), accuracy: 1e-12)
            XCTAssertEqual(m.cutoffs[c].recall, r / Double(nq), accuracy: 1e-12)
            XCTAssertEqual(m.cutoffs[c].meanAveragePrecision, ap / Double(nq), accuracy: 1e-12)
        }
    }
}
