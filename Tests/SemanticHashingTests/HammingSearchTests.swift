import XCTest
@testable import SemanticHashing

/// Random codes with many ties: a few centres with a few bits flipped.
func clusteredCodes(count: Int, bits: Int, centres: Int = 5, flip: Double = 0.1, seed: UInt64) -> BinaryCodes {
    var rng = RandomSource(seed: seed)
    let centreBits = (0..<centres).map { _ in (0..<bits).map { _ in rng.next() & 1 == 1 } }
    let rows = (0..<count).map { _ -> [Bool] in
        var c = centreBits[rng.integer(below: centres)]
        for j in 0..<bits where rng.uniformDouble() < flip { c[j].toggle() }
        return c
    }
    return BinaryCodes(bits: rows, bits: bits)
}

func uniformCodes(count: Int, bits: Int, seed: UInt64) -> BinaryCodes {
    var rng = RandomSource(seed: seed)
    return BinaryCodes(bits: (0..<count).map { _ in (0..<bits).map { _ in rng.next() & 1 == 1 } }, bits: bits)
}

final class HammingSearchTests: XCTestCase {
    let lengths = [1, 7, 16, 24, 32, 33, 63, 64, 65, 128, 200, 256]

    func testLinearScanMatchesBruteForce() {
        for (n, bits) in zip([0, 1, 255, 256, 257, 600, 1000, 300, 513, 400, 260, 777], lengths) {
            for clustered in [false, true] {
                let seed = UInt64(n * 1000 + bits)
                let db = clustered ? clusteredCodes(count: n, bits: bits, seed: seed) : uniformCodes(count: n, bits: bits, seed: seed)
                let queries = clustered ? clusteredCodes(count: 13, bits: bits, seed: seed + 1) : uniformCodes(count: 13, bits: bits, seed: seed + 1)
                for (threads, kernel) in [1, 2].flatMap({ t in ScanKernel.allCases.filter(\.isSupported).map { (t, $0) } }) {
                    var index = LinearScanIndex(codes: db, threads: threads, kernel: kernel)
                    index.queryBatchSize = 8
                    for k in [0, 1, 10, n, n + 3] {
                        XCTAssertEqual(index.search(queries, k: k), BruteForceSearch.search(db, queries, k: k),
                                       "n \(n) bits \(bits) k \(k) clustered \(clustered) threads \(threads) \(kernel)")
                    }
                    for radius in [-1, 0, bits / 4, bits / 2, bits] {
                        XCTAssertEqual(index.rangeSearch(queries, radius: radius), BruteForceSearch.rangeSearch(db, queries, radius: radius),
                                       "n \(n) bits \(bits) radius \(radius) \(kernel)")
                    }
                }
            }
        }
    }

    func testAddingInPiecesEqualsAddingAtOnce() {
        let db = uniformCodes(count: 700, bits: 32, seed: 3)
        var pieces = LinearScanIndex(bits: 32, threads: 1)
        pieces.add(db.gathering(0..<100))
        pieces.add(db.gathering(100..<300))
        pieces.add(db.gathering(300..<700))
        let queries = uniformCodes(count: 20, bits: 32, seed: 4)
        XCTAssertEqual(pieces.search(queries, k: 50), BruteForceSearch.search(db, queries, k: 50))
    }

    /// Thousands of candidates tied at a few distances, in index order and shuffled: the result
    /// must be the k smallest (distance, index) pairs, through compactions and the tie heap, and
    /// the same again after `reset()`.
    func testCountingSelectionWithManyTies() {
        var rng = RandomSource(seed: 9)
        let n = 6000
        let distances = (0..<n).map { _ in rng.integer(below: 3) }
        var shuffled = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.integer(below: i + 1)) }
        for inOrder in [true, false] {
            for k in [0, 1, 5, 100, 2500] {
                let expected = Array((0..<n).map { Neighbor(index: $0, distance: distances[$0]) }.sorted(by: Neighbor.precedes).prefix(k))
                var selection = CountingSelection(k: k, bits: 8, candidatesInIndexOrder: inOrder)
                for round in 0..<2 {
                    for i in inOrder ? Array(0..<n) : shuffled where distances[i] < selection.limit {
                        selection.offer(distance: distances[i], index: i)
                    }
                    XCTAssertEqual(selection.finish(), expected, "k \(k) in order \(inOrder) round \(round)")
                    selection.reset()
                }
            }
        }
    }

    func testTiesGoToLowerIndices() {
        // Four identical codes and one closer: k = 3 takes the closer one, then indices 0, 1.
        let codes = try! CodeListing(parsing: "ff\nff\nff\nff\nfe\n", source: "t").codes
        let query = try! BinaryCodes(parsing: "fc", bits: 8)
        let hits = LinearScanIndex(codes: codes, threads: 1).search(query, k: 3)
        XCTAssertEqual(Array(hits.neighbors(of: 0)), [Neighbor(index: 4, distance: 1), Neighbor(index: 0, distance: 2), Neighbor(index: 1, distance: 2)])
    }
}

final class MultiIndexHashingTests: XCTestCase {
    func testMatchesLinearScanAndBruteForce() {
        let cases: [(n: Int, bits: Int, m: Int?)] = [(0, 16, nil), (1, 8, nil), (300, 16, nil), (500, 32, nil), (700, 32, 3),
                                                     (600, 64, nil), (400, 64, 5), (300, 33, 2), (257, 128, nil), (200, 256, nil), (150, 256, 40), (50, 7, 7)]
        for c in cases {
            for clustered in [false, true] {
                let seed = UInt64(c.n * 31 + c.bits)
                let db = clustered ? clusteredCodes(count: c.n, bits: c.bits, seed: seed) : uniformCodes(count: c.n, bits: c.bits, seed: seed)
                let queries = clustered ? clusteredCodes(count: 11, bits: c.bits, seed: seed + 7) : uniformCodes(count: 11, bits: c.bits, seed: seed + 7)
                let mih = MultiIndexHashingIndex(codes: db, substrings: c.m, threads: 2)
                let scan = LinearScanIndex(codes: db, threads: 1)
                for k in [0, 1, 5, 64, c.n + 2] {
                    let expected = BruteForceSearch.search(db, queries, k: k)
                    XCTAssertEqual(mih.search(queries, k: k), expected, "n \(c.n) bits \(c.bits) m \(mih.substringCount) k \(k) clustered \(clustered)")
                    XCTAssertEqual(scan.search(queries, k: k), expected)
                }
                for radius in [-1, 0, 1, c.bits / 5, c.bits / 3, c.bits] {
                    XCTAssertEqual(mih.rangeSearch(queries, radius: radius), BruteForceSearch.rangeSearch(db, queries, radius: radius),
                                   "range n \(c.n) bits \(c.bits) radius \(radius)")
                }
            }
        }
    }

    func testDefaultSubstringCount() {
        XCTAssertEqual(MultiIndexHashingIndex.defaultSubstringCount(bits: 64, count: 10_000_000), 4)  // 16-bit substrings
        XCTAssertEqual(MultiIndexHashingIndex.defaultSubstringCount(bits: 64, count: 1_000_000), 5)
        XCTAssertEqual(MultiIndexHashingIndex.defaultSubstringCount(bits: 16, count: 1_000_000), 1)
        XCTAssertEqual(MultiIndexHashingIndex.defaultSubstringCount(bits: 256, count: 100), 32)
        XCTAssertEqual(MultiIndexHashingIndex.defaultSubstringCount(bits: 64, count: 1 << 40), 3)  // capped at 2²⁴ buckets
    }
}
