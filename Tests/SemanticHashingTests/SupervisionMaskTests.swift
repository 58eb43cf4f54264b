import XCTest
@testable import SemanticHashing

final class SupervisionMaskTests: XCTestCase {
    /// 10 training items of class i % 3 and 5 validation items of class 2.
    func makeDataset() -> Dataset {
        func split(_ classes: [Int]) -> DataSplit {
            let n = classes.count
            return DataSplit(features: .dense(Matrix(rows: n, columns: 1, storage: (0..<n).map(Float.init))),
                             labels: Labels(singleLabel: classes, classCount: 3))
        }
        return Dataset(name: "t", train: split((0..<10).map { $0 % 3 }), validation: split([2, 2, 2, 2, 2]),
                       test: split([0]), classNames: ["a", "b", "c"])
    }

    func testLevelKeepsFloorOfEachPart() {
        let data = makeDataset()
        let (train, rows) = SupervisionMask.apply(to: data, level: 0.3, seed: 20)
        XCTAssertEqual(train.count, 15)
        // ⌊0.3·10⌋ = 3 training rows and ⌊0.3·5⌋ = 1 validation row.
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows.filter { $0 < 10 }.count, 3)
        XCTAssertEqual(rows.filter { $0 >= 10 }.count, 1)
        XCTAssertEqual(rows, rows.sorted())
        for i in 0..<15 {
            XCTAssertEqual(train.labels.classesOf(i).isEmpty, !rows.contains(i))
            if rows.contains(i) { XCTAssertEqual(train.labels.classesOf(i).first.map(Int.init), i < 10 ? i % 3 : 2) }
        }
        XCTAssertEqual(train.features.denseRows.map { $0[0] }, (0..<10).map(Float.init) + (0..<5).map(Float.init))
    }

    func testDeterministicPerSeedAndEdgeLevels() {
        let data = makeDataset()
        XCTAssertEqual(SupervisionMask.apply(to: data, level: 0.5, seed: 7).labeledRows,
                       SupervisionMask.apply(to: data, level: 0.5, seed: 7).labeledRows)
        let seeds: [UInt64] = [20, 144, 1028, 2044, 101]
        XCTAssertGreaterThan(Set(seeds.map { SupervisionMask.apply(to: data, level: 0.5, seed: $0).labeledRows }).count, 1)
        XCTAssertEqual(SupervisionMask.apply(to: data, level: 1, seed: 3).labeledRows, Array(0..<15))
        XCTAssertEqual(SupervisionMask.apply(to: data, level: 0, seed: 3).labeledRows, [])
        XCTAssertEqual(SupervisionMask.keptCount(0.29, 100), 29)
        XCTAssertEqual(SupervisionMask.keptCount(0.1, 9054), 905)
        XCTAssertEqual(SupervisionMask.keptCount(0.1, 1006), 100)
    }

    func testExplicitRowsAndReader() throws {
        let data = makeDataset()
        let dir = try TempDirectory()
        let path = try dir.write("rows.txt", "12\n# comment\n0\n\n3\n")
        let rows = try SupervisionMask.readLabeledRows(path: path, rowCount: 15)
        XCTAssertEqual(rows, [0, 3, 12])
        let (train, kept) = SupervisionMask.apply(to: data, labeledRows: rows)
        XCTAssertEqual(kept, [0, 3, 12])
        XCTAssertEqual(train.labels.sets.filter { !$0.isEmpty }, [[0], [0], [2]])
        assertMalformed("rows.txt:2", reasonContains: "outside") {
            try SupervisionMask.readLabeledRows(path: try dir.write("rows.txt", "1\n15\n"), rowCount: 15)
        }
        assertMalformed("rows.txt:3", reasonContains: "twice") {
            try SupervisionMask.readLabeledRows(path: try dir.write("rows.txt", "1\n2\n1\n"), rowCount: 15)
        }
        assertMalformed("rows.txt:1", reasonContains: "row number") {
            try SupervisionMask.readLabeledRows(path: try dir.write("rows.txt", "x1\n"), rowCount: 15)
        }
    }
}

final class LabelOrderTests: XCTestCase {
    func testClassSortedListsAreRecognised() {
        let sorted = (0..<40).map { $0 / 10 }                   // 4 classes, one run each
        XCTAssertTrue(Labels(singleLabel: sorted, classCount: 4).isGroupedByClass)
        let trainThenVal = sorted + sorted                      // two sorted parts: 8 runs ≤ 16
        XCTAssertTrue(Labels(singleLabel: trainThenVal, classCount: 4).isGroupedByClass)
        let interleaved = (0..<40).map { $0 % 4 }               // 40 runs
        XCTAssertFalse(Labels(singleLabel: interleaved, classCount: 4).isGroupedByClass)
        let multi = Labels(multiLabel: (0..<40).map { [$0 / 10] }, classCount: 4)
        XCTAssertFalse(multi.isGroupedByClass)
        XCTAssertFalse(Labels(singleLabel: [0, 0, 1], classCount: 2).isGroupedByClass)  // too few items to tell
    }
}
