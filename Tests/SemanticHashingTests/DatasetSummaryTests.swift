import Foundation
import XCTest
@testable import SemanticHashing

final class DatasetSummaryTests: XCTestCase {
    func testFiguresTableAndJSON() throws {
        let spec = try DatasetSpec(parsing: "synthetic:classes=3,docs=50,test=20,val=10,multilabel=true,seed=4")
        let data = try spec.load()
        let summary = DatasetSummary(dataset: data, spec: spec.description, loadSeconds: 0.25)
        XCTAssertEqual(summary.splits.map(\.name), ["train", "val", "test"])
        XCTAssertEqual(summary.splits.map(\.items), [50, 10, 20])
        XCTAssertEqual(summary.features, 2000)
        XCTAssertTrue(summary.isMultiLabel)
        XCTAssertEqual(summary.splits[0].labelCardinality, data.train.labels.cardinality)
        XCTAssertEqual(summary.splits[0].averageNonZeros, data.train.features.averageNonZeros)

        let table = summary.table()
        XCTAssertTrue(table.contains("multi-label"))
        XCTAssertTrue(table.contains("topic-0, topic-1, topic-2"))
        XCTAssertTrue(table.contains("0.250 s"))

        let object = try JSONSerialization.jsonObject(with: Data(try summary.json().utf8)) as? [String: Any]
        XCTAssertEqual(object?["features"] as? Int, 2000)
        XCTAssertEqual(object?["multi_label"] as? Bool, true)
        XCTAssertEqual(object?["class_names"] as? [String], ["topic-0", "topic-1", "topic-2"])
        let splits = object?["splits"] as? [[String: Any]]
        XCTAssertEqual(splits?.map { $0["items"] as? Int }, [50, 10, 20])
        XCTAssertEqual((object?["settings"] as? [String: Any])?["seed"] as? String, "4")
    }

    func testUnlabelledItemsAreCounted() throws {
        let data = try SyntheticCorpus.load(argument: "docs=40,test=10,val=0", options: [:])
        var masked = data
        masked.train = SupervisionMask.apply(to: data, level: 0.25, seed: 1).train
        let summary = DatasetSummary(dataset: masked, spec: "x", loadSeconds: 0)
        XCTAssertEqual(summary.splits[0].unlabelledItems, 30)
    }

    func testSpecSyntaxForSyntheticAndFashionDefault() throws {
        let a = try DatasetSpec(parsing: "synthetic?classes=3&docs=30&test=5").load()
        XCTAssertEqual([a.classCount, a.train.count, a.test.count], [3, 30, 5])
        XCTAssertEqual(try DatasetSpec(parsing: "fashion-mnist").argument, "")
    }
}
