import XCTest
@testable import SemanticHashing

final class SyntheticCorpusTests: XCTestCase {
    func testDefaultsShapesAndFields() throws {
        let data = try SyntheticCorpus.load(argument: "", options: [:])
        XCTAssertEqual([data.train.count, data.validation?.count ?? 0, data.test.count], [4000, 400, 1000])
        XCTAssertEqual(data.featureCount, 2000)
        XCTAssertEqual(data.classNames, (0..<8).map { "topic-\($0)" })
        XCTAssertEqual(data.featureNames?.count, 2000)
        XCTAssertEqual(Set(data.featureNames ?? []).count, 2000)
        XCTAssertEqual(data.train.texts?.count, 4000)
        guard case .sparse(let x) = data.train.features, case .sparse(let t)? = data.train.reconstructionTarget else {
            return XCTFail("expected sparse features and target")
        }
        XCTAssertEqual(x.values, t.values.map { Float(log1p(Double($0))) })
        XCTAssertEqual(x.nonZeroCount, t.nonZeroCount)
        // A document's first words are the words of its text.
        let firstText = data.train.texts?[0].split(separator: " ").map(String.init) ?? []
        let words = Set(t.row(0).map { data.featureNames?[$0.column] ?? "" })
        XCTAssertFalse(firstText.isEmpty)
        XCTAssertTrue(firstText.allSatisfy { words.contains($0) })
    }

    func testSameSeedIdenticalDifferentSeedDifferent() throws {
        let a = try SyntheticCorpus.load(argument: "docs=300,test=50,seed=7", options: [:])
        let b = try SyntheticCorpus.load(argument: "", options: ["docs": "300", "test": "50", "seed": "7"])
        let c = try SyntheticCorpus.load(argument: "docs=300,test=50,seed=8", options: [:])
        XCTAssertEqual(a.train.features.denseRows, b.train.features.denseRows)
        XCTAssertEqual(a.test.target.denseRows, b.test.target.denseRows)
        XCTAssertEqual(a.train.labels, b.train.labels)
        XCTAssertEqual(a.train.texts, b.train.texts)
        XCTAssertEqual(a.featureNames, b.featureNames)
        XCTAssertNotEqual(a.train.target.denseRows, c.train.target.denseRows)
    }

    func testMultiLabelOptionsAndErrors() throws {
        let data = try SyntheticCorpus.load(argument: "classes=5,docs=400,multilabel=true,val=0", options: [:])
        XCTAssertTrue(data.isMultiLabel)
        XCTAssertNil(data.validation)
        let sizes = data.train.labels.sets.map(\.count)
        XCTAssertEqual(Set(sizes), [1, 2, 3])
        XCTAssertGreaterThan(data.train.labels.cardinality, 1.5)
        XCTAssertThrowsError(try SyntheticCorpus.load(argument: "colors=3", options: [:]))
        XCTAssertThrowsError(try SyntheticCorpus.load(argument: "difficulty=2", options: [:]))
        XCTAssertThrowsError(try SyntheticCorpus.load(argument: "classes=1", options: [:]))
        XCTAssertThrowsError(try DatasetSpec(parsing: "synthetic:docs").load())
    }

    /// Nearest-centroid classification from 10 % of the training labels beats chance (1/8) clearly:
    /// the classes are learnable.
    func testClassesAreLearnableFromTenPercentLabels() throws {
        let data = try SyntheticCorpus.load(argument: "", options: [:])
        let (train, labeled) = SupervisionMask.apply(to: data, level: 0.1, seed: 20)
        guard case .sparse(let x) = train.features, case .sparse(let q) = data.test.features else { return XCTFail() }
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: data.featureCount), count: data.classCount)
        for i in labeled {
            let c = Int(train.labels.classesOf(i).first ?? 0)
            for (j, v) in x.row(i) { centroids[c][j] += Double(v) }
        }
        for c in 0..<centroids.count {
            let norm = centroids[c].reduce(0) { $0 + $1 * $1 }.squareRoot()
            centroids[c] = centroids[c].map { $0 / max(norm, 1e-12) }
        }
        var correct = 0
        for i in 0..<q.rows {
            let scores = centroids.map { cen in q.row(i).reduce(0.0) { $0 + Double($1.value) * cen[$1.column] } }
            let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
            if best == Int(data.test.labels.classesOf(i).first ?? -1) { correct += 1 }
        }
        XCTAssertGreaterThan(Double(correct) / Double(q.rows), 0.8)  // 0.907 when calibrated; chance is 0.125
    }

}
