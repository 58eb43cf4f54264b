import XCTest
@testable import SemanticHashing

/// The step floor of the default: small corpora train more epochs, large ones are unchanged.
final class TrainingOptionsTests: XCTestCase {
    func testEpochsRiseUntilTheStepFloorIsReached() {
        let options = TrainingOptions(epochs: 30, batchSize: 100)
        // 540 items: 6 batches an epoch, 1 500 steps need 250 epochs.
        XCTAssertEqual(options.raisingEpochs(toReach: 1500, items: 540).epochs, 250)
        // 601 items: 7 batches, ⌈1500 / 7⌉ = 215.
        XCTAssertEqual(options.raisingEpochs(toReach: 1500, items: 601).epochs, 215)
        // 10 000 items: 100 batches, 30 epochs are already 3 000 steps.
        XCTAssertEqual(options.raisingEpochs(toReach: 1500, items: 10_000).epochs, 30)
        // Off, or no data: unchanged.
        XCTAssertEqual(options.raisingEpochs(toReach: 0, items: 540).epochs, 30)
        XCTAssertEqual(options.raisingEpochs(toReach: 1500, items: 0).epochs, 30)
        // Everything else is kept.
        let raised = TrainingOptions(epochs: 3, batchSize: 50, learningRate: 0.01, seed: 7, lazyAdam: false)
            .raisingEpochs(toReach: 100, items: 120)
        XCTAssertEqual([raised.epochs, raised.batchSize, Int(raised.seed)], [34, 50, 7])
        XCTAssertEqual(raised.learningRate, 0.01)
        XCTAssertFalse(raised.lazyAdam)
    }
}
