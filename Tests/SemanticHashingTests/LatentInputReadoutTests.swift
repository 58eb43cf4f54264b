import XCTest
@testable import SemanticHashing

final class LatentInputReadoutTests: XCTestCase {
    /// Two groups of three directions; each item's two cosine neighbours are the rest of its group.
    private let groups = FeatureMatrix.dense(Matrix(rows: 6, columns: 2, storage: [1, 0, 1, 0.1, 1, 0.2, 0, 1, 0.1, 1, 0.2, 1]))

    func testAgreementMatchesHandComputedShares() {
        let agreement = NeighbourhoodAgreement(features: groups, sampleCount: 6, k: 2)
        XCTAssertEqual(agreement.samples, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(agreement.neighbours.map { Set($0) }, [[1, 2], [0, 2], [0, 1], [4, 5], [3, 5], [3, 4]])
        // Codes 00 00 11 | 11 11 01. Item 0: item 1 at 0 (kept), item 5 at 1: ½. Item 2: items 3, 4
        // at 0, neither a neighbour: 0. Item 3: items 2 and 4 at 0: ½. Item 5: all five at 1, two
        // of them neighbours, two places: 2·(2/5)/2 = 0.4. Mean (½ + ½ + 0 + ½ + ½ + 0.4)/6 = 0.4.
        let codes = BinaryCodes(bits: [[false, false], [false, false], [true, true], [true, true], [true, true], [false, true]], bits: 2)
        XCTAssertEqual(agreement.score(codes), 0.4, accuracy: 1e-12)
        // Three evenly spread samples: items 0, 2, 4.
        XCTAssertEqual(NeighbourhoodAgreement(features: groups, sampleCount: 3, k: 2).score(codes), 1.0 / 3, accuracy: 1e-12)
        // Codes that copy the groups keep every neighbour.
        let exact = BinaryCodes(bits: (0..<6).map { [$0 >= 3] }, bits: 1)
        XCTAssertEqual(agreement.score(exact), 1, accuracy: 1e-12)
    }

    /// The heap's top k is the first k of a full sort (ties to the lower position), on values with
    /// many ties and some that are not finite.
    func testLargestMatchesAFullSort() {
        var random = RandomSource(seed: 3)
        for trial in 0..<20 {
            let n = 1 + trial * 13
            let values: [Float] = (0..<n).map { _ in
                let u = random.uniform()
                return u < 0.1 ? -.infinity : Float(Int(u * 10)) }
            let finite = values.indices.filter { values[$0].isFinite }
            let sorted = finite.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            for k in [0, 1, 5, n] { XCTAssertEqual(NeighbourhoodAgreement.largest(k, of: values), Array(sorted.prefix(k)), "n \(n), k \(k)") }
        }
    }

    /// With a pool smaller than the collection, neighbours and codes are those of the pooled items.
    func testAPoolRestrictsNeighboursAndCodesToItsItems() {
        // Items 0–5 are the two groups above; 6–11 are copies of item 0.
        var m = Matrix(rows: 12, columns: 2, storage: [1, 0, 1, 0.1, 1, 0.2, 0, 1, 0.1, 1, 0.2, 1] + [Float](repeating: 0, count: 12))
        for i in 6..<12 { m[i, 0] = 1 }
        let agreement = NeighbourhoodAgreement(features: .dense(m), sampleCount: 6, k: 2, poolSize: 6)
        // Every second item: positions 0–5 are items 0, 2, 4, 6, 8, 10.
        XCTAssertEqual(agreement.pool, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(agreement.samples, [0, 1, 2, 3, 4, 5])
        // Item 0's nearest are its copies 6 and 8 (cosine 1, lower positions first), not item 2 (0.98).
        XCTAssertEqual(agreement.neighbours[0], [3, 4])
        // Item 4 alone has bit 1. Items 0, 2, 6, 8, 10 each see four items at distance 0, two of them
        // neighbours: ½. Item 4 sees all five at distance 1, two of them neighbours: 2·(2/5)/2 = 0.4.
        let codes = BinaryCodes(bits: (0..<12).map { [$0 == 4] }, bits: 1)
        XCTAssertEqual(agreement.score(codes), (5 * 0.5 + 0.4) / 6, accuracy: 1e-12)
        // Item 5 is outside the pool: its code plays no part.
        XCTAssertEqual(agreement.score(BinaryCodes(bits: (0..<12).map { [$0 == 4 || $0 == 5] }, bits: 1)), (5 * 0.5 + 0.4) / 6, accuracy: 1e-12)
    }

    /// Counts in columns (background, topic A, topic B); items 0, 1 are A, items 2, 3 B. By plain
    /// cosine item 0's nearest is item 2, which shares its heavy background: 9/10 = 0.90 against
    /// 4/√20 = 0.89 for item 1. The background is in all four items (idf 1), each topic in two (idf
    /// ln(5/3) + 1 = 1.511, w² = 2.283), and then item 1 is nearer: (3 + w²)/√((9 + w²)(1 + w²)) =
    /// 0.868 against 9/(9 + w²) = 0.798. Sparse and dense inputs give the same neighbours. Halved,
    /// the values are no longer counts and are measured as given: plain cosine's neighbours.
    func testCountsAreMeasuredAsTFIDFAndWeightedInputAsGiven() {
        let m = Matrix(rows: 4, columns: 3, storage: [3, 1, 0, 1, 1, 0, 3, 0, 1, 1, 0, 1])
        func sparse(_ m: Matrix) -> FeatureMatrix {
            .sparse(SparseMatrix(rows: 4, columns: 3, entries: (0..<4).flatMap { i in (0..<3).compactMap { j in m[i, j] != 0 ? (i, j, m[i, j]) : nil } }))
        }
        for x in [FeatureMatrix.dense(m), sparse(m)] {
            let agreement = NeighbourhoodAgreement(features: x, sampleCount: 4, k: 1)
            XCTAssertTrue(agreement.weightsCountsByIDF)
            XCTAssertEqual(agreement.neighbours, [[1], [0], [3], [2]])
        }
        let halved = Matrix(rows: 4, columns: 3, storage: m.storage.map { $0 / 2 })
        for x in [FeatureMatrix.dense(halved), sparse(halved)] {
            let agreement = NeighbourhoodAgreement(features: x, sampleCount: 4, k: 1)
            XCTAssertFalse(agreement.weightsCountsByIDF)
            XCTAssertEqual(agreement.neighbours, [[2], [0], [0], [2]])
        }
        // ln(1 + count) is counts too; a negative value or a weighted one is not.
        let logCounts = Matrix(rows: 4, columns: 3, storage: m.storage.map { Float(log1p(Double($0))) })
        XCTAssertEqual(NeighbourhoodAgreement(features: sparse(logCounts), sampleCount: 4, k: 1).neighbours, [[1], [0], [3], [2]])
        XCTAssertTrue(NeighbourhoodAgreement.holdsCounts(.dense(logCounts)))
        XCTAssertFalse(NeighbourhoodAgreement.holdsCounts(.dense(Matrix(rows: 1, columns: 2, storage: [1, -1]))))
        XCTAssertFalse(NeighbourhoodAgreement.holdsCounts(.dense(Matrix(rows: 1, columns: 2, storage: [0.6, 0.8]))))
        let weighted = NeighbourhoodAgreement.idfWeighted(.dense(m))
        guard case .dense(let w) = weighted else { return XCTFail("dense stays dense") }
        XCTAssertEqual(w[0, 0], 3, accuracy: 1e-6)
        XCTAssertEqual(w[0, 1], Float(log(5.0 / 3) + 1), accuracy: 1e-6)
        // Features with no zeros (embeddings) are measured as they are: every idf is 1.
        let full = Matrix(rows: 2, columns: 2, storage: [0.5, -1, 2, 0.25])
        guard case .dense(let same) = NeighbourhoodAgreement.idfWeighted(.dense(full)) else { return XCTFail("dense stays dense") }
        XCTAssertEqual(same, full)
    }

    func testItemsWithoutInputHaveNoNeighboursAndAreSkipped() {
        let x = FeatureMatrix.dense(Matrix(rows: 3, columns: 2, storage: [0, 0, 1, 0, 1, 0.1]))
        let agreement = NeighbourhoodAgreement(features: x, sampleCount: 3, k: 1)
        XCTAssertEqual(agreement.samples, [1, 2])
        XCTAssertEqual(agreement.neighbours, [[2], [1]])
    }

    private func trained(_ preset: ModelPreset = .bvae, variant: ModelVariant = .principled) throws -> (model: HashingVAE, data: Dataset, train: DataSplit) {
        let data = try SyntheticCorpus.load(argument: "docs=240,val=24,test=40,vocab=200,classes=4,length=30,seed=5", options: [:])
        let config = ModelConfiguration(preset: preset, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: false, variant: variant, hiddenDimensions: 24)
        let train = data.database
        let (model, _) = try ModelTraining.fit(config, on: train, options: TrainingOptions(epochs: 2, batchSize: 40, seed: 11))
        return (model as! HashingVAE, data, train)
    }

    func testUnsupervisedPrincipledModelsChooseByAgreementReferenceDoesNot() throws {
        for preset in [ModelPreset.bvae, .vdsh] {
            let (model, _, train) = try trained(preset)
            let choice = try XCTUnwrap(model.inputReadoutChoice, preset.rawValue)
            XCTAssertEqual(choice.scores.map(\.source), [.latent, .rotatedLatent, .both, .input])
            let best = choice.scores.max { $0.agreement < $1.agreement }!
            XCTAssertEqual(choice.chosen, best.source)
            XCTAssertTrue(choice.neighboursByTFIDF, "the synthetic corpus holds log counts")
            XCTAssertEqual(model.inputReadout?.source, choice.chosen == .latent ? nil : choice.chosen)
            // Each score is the agreement of that readout's codes, recomputed.
            let reference = NeighbourhoodAgreement(features: train.features)
            let candidates = LatentInputReadout.candidates(model, on: train, seed: 11, settings: BaselineSettings()).candidates
            for (candidate, score) in zip(candidates, choice.scores) {
                let values = candidate.readout?.codeValues(latent: model.latentCodeValues(train.features), input: train.features)
                    ?? model.latentCodeValues(train.features)
                XCTAssertEqual(reference.score(BinaryCodes(thresholding: values)), score.agreement, accuracy: 1e-12)
            }
        }
        let reference = try trained(.bvae, variant: .reference).model
        XCTAssertNil(reference.inputReadoutChoice, "the paper's tables read the logits alone")
        XCTAssertNil(reference.inputReadout)
        let labelled = try trained(.ssbVAE).model
        XCTAssertEqual(labelled.configuration.labelledShare, 1)
        XCTAssertNil(labelled.inputReadoutChoice, "with 66 labelled items a class the latent is read as trained")
    }

    /// More bits than input features, or too few items: only the latent is possible, and nothing is reported.
    func testTheLatentStaysWhenThereAreTooFewFeaturesOrItems() throws {
        for (argument, bits) in [("docs=240,val=24,test=10,vocab=10,classes=2,length=20,seed=5", 16),
                                 ("docs=150,val=10,test=10,vocab=100,classes=2,length=20,seed=5", 8)] {
            let data = try SyntheticCorpus.load(argument: argument, options: [:])
            let config = ModelConfiguration(preset: .bvae, bits: bits, inputDimensions: data.featureCount, classCount: data.classCount,
                                            multiLabel: false, variant: .principled, hiddenDimensions: 16)
            let (model, _) = try ModelTraining.fit(config, on: data.database, options: TrainingOptions(epochs: 1, batchSize: 40, seed: 11))
            let vae = try XCTUnwrap(model as? HashingVAE)
            let choice = try XCTUnwrap(vae.inputReadoutChoice)
            XCTAssertTrue(choice.scores.isEmpty, argument)
            XCTAssertEqual(choice.chosen, .latent)
            XCTAssertNil(vae.inputReadout)
        }
    }

    func testInputReadoutIsTheITQBaselineBitForBit() throws {
        let (model, data, train) = try trained()
        let input = try XCTUnwrap(LatentInputReadout.candidates(model, on: train, seed: 11, settings: BaselineSettings()).candidates.last)
        XCTAssertEqual(input.score.source, .input)
        let readout = try XCTUnwrap(input.readout)
        XCTAssertEqual(readout.source, .input)
        let itq = try ITQBaseline.fit(train, bits: 8, seed: 11)
        model.inputReadout = readout
        XCTAssertEqual(model.codes(data.test.features), itq.codes(data.test.features))
        XCTAssertEqual(model.codes(train.features), itq.codes(train.features))
    }

    func testBothReadoutStoresTheFittedProjection() throws {
        let (model, data, train) = try trained()
        let candidates = LatentInputReadout.candidates(model, on: train, seed: 11, settings: BaselineSettings()).candidates
        let both = try XCTUnwrap(candidates.first { $0.score.source == .both }?.readout)
        XCTAssertEqual(both.source, .both)
        // Recompute (f − μ_f)·E·R from the parts: ℓ·A + x·W + b must equal it on the fitted items.
        let latent = model.latentCodeValues(train.features)
        let seeds = BaselineSupport.stageSeeds(11, count: 3)
        let centred = CenteredFeatures(train.features)
        let pca = PrincipalComponents.fit(centred, count: 8, seed: seeds[0])
        let fitted = try XCTUnwrap(LatentInputReadout.bothReadout(latent: latent, components: centred.times(pca.directions), pca: pca,
                                                                  seed: seeds[2], iterations: BaselineSettings().itqIterations))
        let stored = both.codeValues(latent: latent, input: train.features)
        for (a, b) in zip(stored.storage, fitted.values.storage) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        // Half the bits set or near it on the fitted items: the rotation of centred values.
        for share in CodeUsage(BinaryCodes(thresholding: fitted.values)).onesShare { XCTAssertEqual(share, 0.5, accuracy: 0.25) }
        // The model reads through it, and a model file keeps it byte for byte.
        model.inputReadout = both
        let restored = try XCTUnwrap(ModelTraining.emptyModel(model.configuration) as? HashingVAE)
        try restored.load(state: Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) }))
        XCTAssertEqual(restored.inputReadout, both)
        XCTAssertEqual(restored.codes(data.test.features), model.codes(data.test.features))
    }

    func testRotatedLatentIsTheCentredLatentRotated() throws {
        let (model, _, train) = try trained(.vdsh)
        let latent = model.latentCodeValues(train.features)
        let fitted = try XCTUnwrap(LatentInputReadout.rotatedLatentReadout(latent: latent, seed: 7, iterations: 50, inputDimensions: train.features.columns))
        XCTAssertEqual(fitted.readout.source, .rotatedLatent)
        XCTAssertTrue(fitted.readout.inputWeights.storage.allSatisfy { $0 == 0 })
        let stored = fitted.readout.codeValues(latent: latent, input: train.features)
        for (a, b) in zip(stored.storage, fitted.values.storage) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        // The rotation is orthogonal: it keeps each item's distance from the mean.
        let (mean, _) = LabelITQBaseline.meanAndCovariance(latent)
        for i in 0..<latent.rows {
            let before = (0..<8).reduce(Float(0)) { $0 + (latent[i, $1] - mean[0, $1]) * (latent[i, $1] - mean[0, $1]) }
            let after = (0..<8).reduce(Float(0)) { $0 + fitted.values[i, $1] * fitted.values[i, $1] }
            XCTAssertEqual(after, before, accuracy: 1e-3 * max(1, before))
        }
        // A constant latent has nothing to rotate.
        XCTAssertNil(LatentInputReadout.rotatedLatentReadout(latent: Matrix(rows: 5, columns: 2, storage: [Float](repeating: 1, count: 10)),
                                                             seed: 7, iterations: 50, inputDimensions: 3))
    }

    func testAFileWithPartOfTheReadoutIsRejected() throws {
        let (model, _, train) = try trained()
        model.inputReadout = try XCTUnwrap(LatentInputReadout.candidates(model, on: train, seed: 11, settings: BaselineSettings()).candidates.last?.readout)
        var tensors = Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) })
        tensors[LatentInputReadout.biasName] = nil
        let restored = try XCTUnwrap(ModelTraining.emptyModel(model.configuration) as? HashingVAE)
        XCTAssertThrowsError(try restored.load(state: tensors)) { error in
            XCTAssertEqual("\(error)", "\(SemanticHashingError.malformedInput(location: "model", reason: "missing tensor 'input_readout.bias'"))")
        }
    }
}
