import XCTest
@testable import SemanticHashing

final class TuneSearchTests: XCTestCase {
    func testRangesAndGrid() throws {
        let ranges = try HyperparameterSearch.parseRanges("alpha=1e-4:1e4:100, gamma=0, beta=0.01:1")
        XCTAssertEqual(ranges.map(\.name), ["alpha", "gamma", "beta"])
        XCTAssertEqual(ranges[0].gridValues, [1e-4, 0.01, 1, 100, 1e4])
        XCTAssertEqual(ranges[1].gridValues, [0])
        XCTAssertEqual(ranges[2].gridValues, [0.01, 0.1, 1])
        let base = LossWeights(alpha: 7, beta: 8, gamma: 9)
        let grid = HyperparameterSearch.grid(ranges, base: base)
        XCTAssertEqual(grid.count, 15)
        XCTAssertEqual(grid.first, LossWeights(alpha: 1e-4, beta: 0.01, gamma: 0))
        XCTAssertEqual(Set(grid.map(\.alpha)), [1e-4, 0.01, 1, 100, 1e4])
        // Weights without a range keep the base value.
        XCTAssertEqual(HyperparameterSearch.grid([ranges[0]], base: base).map(\.beta), Array(repeating: 8, count: 5))
        for bad in ["alpha=1e4:1e-4", "delta=1:2", "alpha=0:1", "alpha=1:10:1", "alpha=x", "alpha=1,alpha=2"] {
            XCTAssertThrowsError(try HyperparameterSearch.parseRanges(bad), bad)
        }
        XCTAssertEqual(HyperparameterSearch.defaultRanges(for: .vdshS).map(\.name), ["alpha"])
        XCTAssertEqual(HyperparameterSearch.defaultRanges(for: .ssbVAE).map(\.name), ["alpha", "gamma"])
    }

    func testRandomDrawsAreSeededAndInRange() throws {
        let ranges = try HyperparameterSearch.parseRanges("alpha=1e-4:1e4,gamma=5")
        let base = LossWeights(alpha: 1, beta: 0.5, gamma: 1)
        let a = HyperparameterSearch.random(ranges, base: base, count: 50, seed: 20)
        XCTAssertEqual(a, HyperparameterSearch.random(ranges, base: base, count: 50, seed: 20))
        XCTAssertNotEqual(a, HyperparameterSearch.random(ranges, base: base, count: 50, seed: 21))
        XCTAssertTrue(a.allSatisfy { $0.alpha >= 1e-4 && $0.alpha <= 1e4 && $0.gamma == 5 && $0.beta == 0.5 })
        // Log-uniform: about half the draws below the geometric middle 1.
        XCTAssertTrue((15...35).contains(a.filter { $0.alpha < 1 }.count))
    }

    /// Items whose single feature is their index: train 0..<20, validation 100..<110, test 1000..<1005.
    func indexedDataset() -> Dataset {
        func split(_ ids: Range<Int>) -> DataSplit {
            DataSplit(features: .dense(Matrix(rows: ids.count, columns: 1, storage: ids.map(Float.init))),
                      labels: Labels(singleLabel: ids.map { $0 % 2 }, classCount: 2))
        }
        return Dataset(name: "ix", train: split(0..<20), validation: split(100..<110), test: split(1000..<1005), classNames: ["a", "b"])
    }

    func testValidationSplitComesFromTrainingItemsOnly() throws {
        let data = indexedDataset()
        let split = try HyperparameterSearch.validationSplit(of: data, fraction: 0.2, seed: 20)
        let queries = split.test.features.denseRows.map { Int($0[0]) }
        let database = split.train.features.denseRows.map { Int($0[0]) }
        XCTAssertEqual(queries.count, 6)   // ⌊0.2 · 30⌋
        XCTAssertEqual(database.count, 24)
        XCTAssertNil(split.validation)
        XCTAssertEqual(Set(queries + database), Set(Array(0..<20) + Array(100..<110)))
        XCTAssertTrue(Set(queries).isDisjoint(with: database))
        XCTAssertEqual(try HyperparameterSearch.validationSplit(of: data, fraction: 0.2, seed: 20).test.features.denseRows,
                       split.test.features.denseRows)
        XCTAssertThrowsError(try HyperparameterSearch.validationSplit(of: data, fraction: 0.01, seed: 20))
    }

    func testSearchRanksCandidatesByValidationP100() throws {
        let data = try DatasetSpec(parsing: "synthetic:docs=200,test=50,vocab=80,classes=3").load()
        let search = try HyperparameterSearch(dataset: data, model: .vdshS, bits: 4, level: 1, training: TrainingOptions(epochs: 1, seed: 20),
                                              validationFraction: 0.5)
        XCTAssertEqual(search.split.test.count, 110)  // half of 200 train + 20 validation
        var seen = 0
        let ranked = search.run([LossWeights(alpha: 0, beta: 0.125, gamma: 0), LossWeights(alpha: 100, beta: 0.125, gamma: 0)]) { _, _ in seen += 1 }
        XCTAssertEqual(seen, 2)
        XCTAssertEqual(ranked.count, 2)
        let scores = ranked.compactMap(\.score)
        XCTAssertEqual(scores.count, 2)
        XCTAssertGreaterThanOrEqual(scores[0], scores[1])
        XCTAssertEqual(ranked[0].metrics["p@100"], scores[0])
    }
}
