import XCTest
@testable import SemanticHashing

final class BudgetedTuningTests: XCTestCase {
    /// 40 items whose single feature is their index, in 4 classes; the 20 even-numbered ones keep their label.
    func partlyLabelled() -> DataSplit {
        let n = 40
        let labels = Labels(singleLabel: (0..<n).map { $0 % 4 }, classCount: 4).keepingOnly(Set(stride(from: 0, to: n, by: 2)))
        return DataSplit(features: .dense(Matrix(rows: n, columns: 1, storage: (0..<n).map(Float.init))), labels: labels)
    }

    func configuration(_ preset: ModelPreset, weights: LossWeights? = nil) -> ModelConfiguration {
        ModelConfiguration(preset: preset, bits: 4, inputDimensions: 1, classCount: 4, multiLabel: false,
                           reconstruction: .gaussian, weights: weights, variant: .principled)
    }

    func testHiddenItemsAreLabelledItemsThatTrainWithoutTheirLabels() throws {
        let split = partlyLabelled()
        let tuning = try BudgetedTuning(configuration: configuration(.ssbVAE), training: split, options: TrainingOptions(seed: 20))
        let queries = tuning.queries.features.denseRows.map { Int($0[0]) }
        let references = tuning.references.features.denseRows.map { Int($0[0]) }
        XCTAssertEqual(queries.count, 5)      // max(10, ⌊0.3 · 20⌋ = 6) = 10 hidden, in halves
        XCTAssertEqual(references.count, 5)
        XCTAssertTrue((queries + references).allSatisfy { $0 % 2 == 0 }, "only labelled items are hidden")
        XCTAssertTrue(Set(queries).isDisjoint(with: references))
        // Their labels are the true ones (class = index mod 4) ...
        XCTAssertEqual((0..<5).map { Int(tuning.queries.labels.classesOf($0).first!) }, queries.map { $0 % 4 })
        // ... and every item trains, the hidden ones unlabelled: 20 − 10 labels remain.
        XCTAssertEqual(tuning.training.count, 40)
        XCTAssertEqual(tuning.training.labels.labelledItems.count, 10)
        XCTAssertTrue((queries + references).allSatisfy { !tuning.training.labels.isLabelled($0) })
        // K is the share of the references that 100 is of the training set (5 of 40 → 12.5), at least 5.
        XCTAssertEqual(tuning.cutoff, 13)
        // Candidates train with the share of labels the final model has (20 of 40), not 10 of 40.
        XCTAssertEqual(tuning.configuration.labelledShare, 0.5)
        let again = try BudgetedTuning(configuration: configuration(.ssbVAE), training: split, options: TrainingOptions(seed: 20))
        XCTAssertEqual(again.queries.features.denseRows, tuning.queries.features.denseRows)
        XCTAssertEqual(again.references.features.denseRows, tuning.references.features.denseRows)
    }

    func testTooFewLabelsAndClosedFormModelsAreRefused() throws {
        let few = partlyLabelled()
        var sparse = few
        sparse.labels = few.labels.keepingOnly(Set(stride(from: 0, to: 28, by: 2)))  // 14 labelled: 10 hidden leave 4
        XCTAssertThrowsError(try BudgetedTuning(configuration: configuration(.bvae), training: sparse, options: TrainingOptions())) { error in
            XCTAssertEqual("\(error)", "--tune: validation needs at least 15 labelled training items, and 14 keep their labels; give more labels or leave --tune off")
        }
        sparse.labels = few.labels.keepingOnly(Set(stride(from: 0, to: 30, by: 2)))
        XCTAssertNoThrow(try BudgetedTuning(configuration: configuration(.bvae), training: sparse, options: TrainingOptions()))
        XCTAssertThrowsError(try BudgetedTuning(configuration: configuration(.itq), training: few, options: TrainingOptions()))
    }

    func testCandidatesStartAtTheWeightsAndVaryOnlyWhatTheModelReads() throws {
        let base = LossWeights(alpha: 1e-4, beta: 0.5, gamma: 1e4)
        let ssb = try BudgetedTuning(configuration: configuration(.ssbVAE, weights: base), training: partlyLabelled(), options: TrainingOptions(seed: 20))
        let c = ssb.candidates(count: 40)
        XCTAssertEqual(c.count, 40)
        XCTAssertEqual(c[0], base)
        XCTAssertTrue(c.allSatisfy { $0.alpha >= 1e-6 * 0.999 && $0.alpha <= 1e-2 * 1.001 }, "α within ×100")
        XCTAssertTrue(c.allSatisfy { $0.beta >= 0.05 * 0.999 && $0.beta <= 5 * 1.001 }, "β within ×10")
        XCTAssertTrue(c.allSatisfy { $0.gamma >= 100 * 0.999 && $0.gamma <= 1e6 * 1.001 }, "γ within ×100")
        XCTAssertGreaterThan(Set(c.map(\.gamma)).count, 30)

        let bvae = try BudgetedTuning(configuration: configuration(.bvae, weights: base), training: partlyLabelled(), options: TrainingOptions(seed: 20))
        XCTAssertEqual(BudgetedTuning.tunableWeights(of: .bvae), ["beta"])
        XCTAssertTrue(bvae.candidates(count: 10).allSatisfy { $0.alpha == base.alpha && $0.gamma == base.gamma })

        let fixedBeta = try BudgetedTuning(configuration: configuration(.vdshS, weights: base), training: partlyLabelled(),
                                           options: TrainingOptions(seed: 20), fixed: ["beta"])
        XCTAssertEqual(fixedBeta.searched, ["alpha"])
        XCTAssertTrue(fixedBeta.candidates(count: 10).allSatisfy { $0.beta == 0.5 && $0.gamma == base.gamma })
        // Nothing to search: only the weights themselves.
        let none = try BudgetedTuning(configuration: configuration(.bvae), training: partlyLabelled(), options: TrainingOptions(), fixed: ["beta"])
        XCTAssertEqual(none.candidates(count: 10), [configuration(.bvae).weights])
    }

    func testRunStopsAtTheBudgetAndRanksByHeldOutPrecision() throws {
        let data = try DatasetSpec(parsing: "synthetic:docs=200,test=10,vocab=60,classes=3").load()
        let masked = SupervisionMask.apply(to: data, level: 0.5, seed: 20).train
        let config = ModelConfiguration(preset: .vdshS, bits: 4, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: false, reconstruction: data.reconstruction, variant: .principled)
        let tuning = try BudgetedTuning(configuration: config, training: masked, options: TrainingOptions(epochs: 1, seed: 20))
        // A budget of nothing still trains the current weights, and only them: VDSH-S reads an
        // input classifier into its codes, so they are scored with each readout weight too.
        let one = tuning.run(budget: 0)
        let readoutWeights = [1] + BudgetedTuning.readoutInputWeights
        XCTAssertEqual(one.ranked.map(\.weights), Array(repeating: config.weights, count: readoutWeights.count))
        XCTAssertEqual(one.ranked.map(\.readoutInputWeight).sorted(), readoutWeights.sorted())
        XCTAssertEqual(one.current.readoutInputWeight, 1)
        XCTAssertEqual(one.chosen.weights, config.weights)
        var seen: [Int] = []
        let outcome = tuning.run(budget: 3600, maxCandidates: 4) { i, _ in seen.append(i) }
        XCTAssertEqual(seen, Array(0..<4 * readoutWeights.count))
        let scores = outcome.ranked.compactMap(\.score)
        XCTAssertEqual(scores.count, 4 * readoutWeights.count)
        XCTAssertEqual(scores, scores.sorted(by: >))
        XCTAssertTrue(scores.allSatisfy { $0 > 0 && $0 <= 1 })
        XCTAssertEqual(outcome.current.weights, config.weights)
        // Each score is the mean of its per-query scores, one per held-out query.
        for c in outcome.ranked {
            XCTAssertEqual(c.queryScores.count, tuning.queries.count)
            XCTAssertEqual(c.queryScores.reduce(0, +) / Double(c.queryScores.count), c.score!, accuracy: 1e-12)
        }
        XCTAssertEqual(outcome.chosen.weights == config.weights && outcome.chosen.readoutInputWeight == 1,
                       !outcome.ranked.contains { BudgetedTuning.clearlyBetter($0, than: outcome.current) })
        // Reproducible: the same seed scores the defaults identically.
        XCTAssertEqual(one.current.queryScores, outcome.current.queryScores)
    }

    func testACandidateReplacesTheWeightsOnlyWhenClearlyAhead() {
        func candidate(_ scores: [Double]?) -> BudgetedTuning.Candidate {
            .init(weights: LossWeights(alpha: 1, beta: 1, gamma: 1), score: scores.map { $0.reduce(0, +) / Double($0.count) },
                  metrics: [:], seconds: 0, failure: scores == nil ? "diverged" : nil, queryScores: scores ?? [])
        }
        let base = candidate([0.5, 0.5, 0.5, 0.5])
        // d = 0.1 on every query: no spread, clearly ahead.
        XCTAssertTrue(BudgetedTuning.clearlyBetter(candidate([0.6, 0.6, 0.6, 0.6]), than: base))
        // d = (0.4, −0.2, 0.4, −0.2): mean 0.1, sd √0.12 = 0.346, SE 0.173; 0.1 < 3 · 0.173.
        XCTAssertFalse(BudgetedTuning.clearlyBetter(candidate([0.9, 0.3, 0.9, 0.3]), than: base))
        // d = (0.3, 0.2, 0.3, 0.2): mean 0.25, sd 0.0577, SE 0.0289; 0.25 > 3 · 0.0289.
        XCTAssertTrue(BudgetedTuning.clearlyBetter(candidate([0.8, 0.7, 0.8, 0.7]), than: base))
        // Just under and over the line: d = (m + e, m − e, m + e, m − e) has SE = e/√3 · … computed here.
        let e = 0.1, se = (4.0 * e * e / 3).squareRoot() / 2   // sd of (±e) with n − 1 = 3, over √4
        XCTAssertFalse(BudgetedTuning.clearlyBetter(candidate([0.5 + 2.99 * se + e, 0.5 + 2.99 * se - e, 0.5 + 2.99 * se + e, 0.5 + 2.99 * se - e]), than: base))
        XCTAssertTrue(BudgetedTuning.clearlyBetter(candidate([0.5 + 3.01 * se + e, 0.5 + 3.01 * se - e, 0.5 + 3.01 * se + e, 0.5 + 3.01 * se - e]), than: base))
        XCTAssertFalse(BudgetedTuning.clearlyBetter(base, than: base))
        XCTAssertFalse(BudgetedTuning.clearlyBetter(candidate(nil), than: base))
        XCTAssertTrue(BudgetedTuning.clearlyBetter(base, than: candidate(nil)))
    }

    func testTrainTuneAutoTrainsWithTheWinner() throws {
        let semhash = try SemhashProcess()
        let folder = NSTemporaryDirectory() + "budgeted-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/m.semhash"
        let run = try semhash.run(["train", "--data", "synthetic:docs=200,test=10,vocab=60,classes=3", "--model", "vdsh-s", "--bits", "4",
                                   "--epochs", "1", "--supervision", "0.5", "--beta", "0.25", "--tune", "auto", "--budget", "3s",
                                   "--out", out, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let tuning = try XCTUnwrap(json["tuning"] as? [[String: Any]])
        XCTAssertTrue((1...50).contains(tuning.count), "\(tuning.count) candidates")  // as many as 3 s allow, at least the defaults
        // The command line's β is fixed; the first candidate is the defaults' α; the model trains with the winner.
        XCTAssertTrue(tuning.allSatisfy { $0["beta"] as? Double == 0.25 })
        XCTAssertTrue(tuning.contains { $0["alpha"] as? Double == ModelPreset.vdshS.defaultWeights.alpha })
        let chosen = try XCTUnwrap(tuning.first { $0["chosen"] as? Bool == true })
        XCTAssertEqual(json["alpha"] as? Double, chosen["alpha"] as? Double)
        let scores = tuning.compactMap { $0["score"] as? Double }
        XCTAssertEqual(scores, scores.sorted(by: >))
        let model = try ModelFile.read(from: out)
        XCTAssertEqual(model.model.configuration.weights.alpha, chosen["alpha"] as? Double)
        // The readout the final model was fitted with is the winner's.
        let readout = try XCTUnwrap(json["readout"] as? [String: Any])
        XCTAssertEqual(readout["input_weight"] as? Double, chosen["readout_input_weight"] as? Double)
        XCTAssertEqual(tuning.filter { $0["chosen"] as? Bool == true }.count, 1)
    }
}
