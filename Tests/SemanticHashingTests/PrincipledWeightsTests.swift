import XCTest
@testable import SemanticHashing

/// The principled variant's weights per step: β per 16 bits for the supervised models, the pair
/// weight grown with the labelled share; the reference variant keeps α and β as given.
final class PrincipledWeightsTests: XCTestCase {
    let weights = LossWeights(alpha: 1e-4, beta: 0.25, gamma: 10)

    func configuration(_ preset: ModelPreset, bits: Int = 16, multiLabel: Bool = false, variant: ModelVariant = .principled,
                       share: Double? = nil) -> ModelConfiguration {
        var c = ModelConfiguration(preset: preset, bits: bits, inputDimensions: 20, classCount: 4, multiLabel: multiLabel,
                                   weights: weights, variant: variant)
        c.labelledShare = share
        return c
    }

    func testKLWeightIsPerSixteenBitsForTheSupervisedModels() {
        XCTAssertEqual(configuration(.ssbVAE, bits: 32).klWeight, 0.125)
        XCTAssertEqual(configuration(.vdshS, bits: 64).klWeight, 0.0625)
        XCTAssertEqual(configuration(.phsGS, bits: 8).klWeight, 0.5)
        XCTAssertEqual(configuration(.ssbVAE, bits: 16).klWeight, 0.25)
        // Unsupervised models and the reference variant: β as given.
        XCTAssertEqual(configuration(.bvae, bits: 32).klWeight, 0.25)
        XCTAssertEqual(configuration(.ssbVAE, bits: 32, variant: .reference).klWeight, 0.25)
    }

    func testPairWeightGrowsWithTheLabelledShare() {
        XCTAssertEqual(configuration(.ssbVAE, share: 1).pairWeight, 1e-3, accuracy: 1e-12)
        XCTAssertEqual(configuration(.phsGS, share: 0.5).pairWeight, 5e-4, accuracy: 1e-12)
        XCTAssertEqual(configuration(.ssbVAE, share: 0.1).pairWeight, 1e-4, accuracy: 1e-12)
        XCTAssertEqual(configuration(.ssbVAE, share: 0.02).pairWeight, 2e-5, accuracy: 1e-12)
        // Multi-label grows by the square root: share 0.4 → √4 = 2.
        XCTAssertEqual(configuration(.ssbVAE, multiLabel: true, share: 0.4).pairWeight, 2e-4, accuracy: 1e-12)
        // Unknown share or the reference variant: α.
        XCTAssertEqual(configuration(.ssbVAE).pairWeight, 1e-4)
        XCTAssertEqual(configuration(.ssbVAE, variant: .reference, share: 1).pairWeight, 1e-4)
    }

    /// The input readout is chosen for the unsupervised models, and for the supervised ones while
    /// they have fewer than 60 labelled items a class (4 classes here: 240); never in the reference
    /// variant.
    func testInputReadoutIsChosenBelowSixtyLabelsAClass() {
        XCTAssertTrue(configuration(.bvae).readsInputIntoCodes(labelledItems: 0))
        XCTAssertTrue(configuration(.bvae).readsInputIntoCodes(labelledItems: 10_000))
        XCTAssertTrue(configuration(.ssbVAE, share: 0.1).readsInputIntoCodes(labelledItems: 48))
        XCTAssertTrue(configuration(.vdshS, share: 1).readsInputIntoCodes(labelledItems: 239))
        XCTAssertFalse(configuration(.phsGS, share: 0.1).readsInputIntoCodes(labelledItems: 240))
        XCTAssertFalse(configuration(.ssbVAE, share: 1).readsInputIntoCodes(labelledItems: 5_000))
        XCTAssertFalse(configuration(.ssbVAE, variant: .reference, share: 0.1).readsInputIntoCodes(labelledItems: 48))
        XCTAssertFalse(configuration(.vdsh, variant: .reference).readsInputIntoCodes(labelledItems: 0))
    }

    /// `ModelTraining.fit` records the share of labelled items, and the model file keeps it.
    func testTrainingRecordsTheLabelledShare() throws {
        let features = FeatureMatrix.dense(Matrix(rows: 10, columns: 6, storage: (0..<60).map { Float(($0 * 7) % 5) }))
        let classes: [[Int]] = [[0], [1], [], [], [], [0], [], [], [], []]
        let labels = Labels(classCount: 2, isMultiLabel: false, offsets: classes.reduce(into: [0]) { $0.append($0.last! + $1.count) },
                            classes: classes.flatMap { $0.map(Int32.init) })
        let config = ModelConfiguration(preset: .ssbVAE, bits: 4, inputDimensions: 6, classCount: 2, multiLabel: false,
                                        variant: .principled, hiddenDimensions: 5)
        let (model, _) = try ModelTraining.fit(config, on: DataSplit(features: features, labels: labels),
                                               options: TrainingOptions(epochs: 1, batchSize: 5))
        let trained = try XCTUnwrap(model as? HashingVAE)
        XCTAssertEqual(trained.configuration.labelledShare, 0.3)
        let encoded = try JSONEncoder().encode(trained.configuration)
        XCTAssertEqual(try JSONDecoder().decode(ModelConfiguration.self, from: encoded).labelledShare, 0.3)
        // A file written before the share existed reads as "unknown" (pair weight = α).
        var legacy = try XCTUnwrap(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        legacy["labelledShare"] = nil
        let old = try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: legacy))
        XCTAssertNil(old.labelledShare)
        XCTAssertEqual(old.pairWeight, old.weights.alpha)
    }
}
