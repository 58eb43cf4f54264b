import XCTest
@testable import SemanticHashing

final class ExperimentGridTests: XCTestCase {
    func testLevelRangeIsInclusiveAndRounded() throws {
        let levels = try SupervisionLevels.parse("0.1:1.0:0.1")
        XCTAssertEqual(levels, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        XCTAssertEqual(levels.map(CSVField.number), ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"])
        XCTAssertEqual(try SupervisionLevels.parse("0.5, 1"), [0.5, 1.0])
        XCTAssertEqual(try SupervisionLevels.parse("0.25:1:0.25"), [0.25, 0.5, 0.75, 1.0])
        XCTAssertThrowsError(try SupervisionLevels.parse("0.1:1.2:0.1"))
        XCTAssertThrowsError(try SupervisionLevels.parse("1:0:0.1"))
        XCTAssertThrowsError(try SupervisionLevels.parse("0.1,x"))
    }

    func testFNV1aKnownValues() {
        // Published FNV-1a 64 test vectors.
        XCTAssertEqual(FNV1a.hash64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a.hex64("a"), "af63dc4c8601ec8c")
        XCTAssertEqual(FNV1a.hex64("foobar"), "85944171f73967e8")
    }

    func cell(level: Double = 0.1, seed: UInt64 = 20, weights: LossWeights = LossWeights(alpha: 1e-4, beta: 0.015625, gamma: 1e4),
              epochs: Int = 30) -> ExperimentCell {
        ExperimentCell(datasetSpec: "snippets:/data/snippets", datasetName: "snippets", model: .ssbVAE, bits: 16, level: level,
                       run: 0, seed: seed, weights: weights, training: TrainingOptions(epochs: epochs))
    }

    func testConfigHashIsStableAndCoversEverySetting() {
        let c = cell()
        XCTAssertEqual(c.canonicalDescription,
                       "semhash-experiment/v1|data=snippets:/data/snippets|name=snippets|model=ssb-vae|bits=16|level=0.1|alpha=0.0001|beta=0.015625|gamma=10000.0|variant=reference|hidden=500|temperature=0.67|epochs=30|batch=100|lr=0.001|lazy_adam=true|seed=20")
        XCTAssertEqual(c.configHash, FNV1a.hex64(c.canonicalDescription))
        XCTAssertEqual(c.configHash.count, 16)
        // A level computed by float steps hashes like the literal.
        XCTAssertEqual(cell(level: 0.1 + 0.2).configHash, cell(level: 0.3).configHash)
        let variants = [cell(level: 0.2), cell(seed: 144), cell(weights: LossWeights(alpha: 1e-3, beta: 0.015625, gamma: 1e4)), cell(epochs: 2)]
        XCTAssertEqual(Set(variants.map(\.configHash) + [c.configHash]).count, 5)
        // Settings added later change the hash only when set.
        var balanced = c
        balanced.bitBalance = 0.5
        var shared = c
        shared.pairSimilarity = .sharedClass
        XCTAssertTrue(balanced.canonicalDescription.hasSuffix("|seed=20|bit_balance=0.5"), balanced.canonicalDescription)
        XCTAssertTrue(shared.canonicalDescription.hasSuffix("|seed=20|similarity=shared-class"), shared.canonicalDescription)
        // A corpus stemmed with Porter2 for want of WordNet is other data: its own hash.
        var stemmed = c
        stemmed.substitutions = [("lemmatizer", "porter2")]
        XCTAssertTrue(stemmed.canonicalDescription.hasSuffix("|seed=20|substituted_lemmatizer=porter2"), stemmed.canonicalDescription)
        XCTAssertEqual(Set([c.configHash, balanced.configHash, shared.configHash, stemmed.configHash]).count, 4)
        XCTAssertNotEqual(c, stemmed)
    }

    func testSettingsAModelIgnoresLeaveItsHashAlone() {
        func hash(_ model: ModelPreset, variant: ModelVariant, epochs: Int) -> String {
            ExperimentCell(datasetSpec: "text:/data/ohsumed", datasetName: "ohsumed", model: model, bits: 16, level: 0.1, run: 0,
                           seed: 20, weights: model.defaultWeights, variant: variant, training: TrainingOptions(epochs: epochs)).configHash
        }
        // The step floor raises the epochs and --variant changes the label terms: a baseline uses
        // neither, an unsupervised VAE only the epochs, SSB-VAE both.
        XCTAssertEqual(hash(.labelITQ, variant: .principled, epochs: 49), hash(.labelITQ, variant: .reference, epochs: 30))
        XCTAssertEqual(hash(.bvae, variant: .principled, epochs: 49), hash(.bvae, variant: .reference, epochs: 49))
        XCTAssertNotEqual(hash(.bvae, variant: .reference, epochs: 49), hash(.bvae, variant: .reference, epochs: 30))
        XCTAssertNotEqual(hash(.ssbVAE, variant: .principled, epochs: 30), hash(.ssbVAE, variant: .reference, epochs: 30))
        // Rows of the principled variant's first revision (before β per 16 bits and the pair
        // weight by labelled share) do not count as done.
        XCTAssertTrue(ExperimentCell(datasetSpec: "d", datasetName: "d", model: .vdshS, bits: 32, level: 0.1, run: 0, seed: 20,
                                     weights: ModelPreset.vdshS.defaultWeights, variant: .principled)
            .canonicalDescription.hasSuffix("|seed=20|principled=2"))
        XCTAssertNotEqual(hash(.ssbVAE, variant: .reference, epochs: 49), hash(.ssbVAE, variant: .reference, epochs: 30))
        // Existing rows keep their fingerprints: a baseline at the defaults hashes as before.
        XCTAssertTrue(ExperimentCell(datasetSpec: "d", datasetName: "d", model: .itq, bits: 16, level: 0.1, run: 0, seed: 20,
                                     weights: ModelPreset.itq.defaultWeights, training: TrainingOptions(epochs: 49))
            .canonicalDescription.contains("|variant=reference|hidden=500|temperature=0.67|epochs=30|batch=100|lr=0.001|lazy_adam=true|"))
    }

    let table = """
    dataset,model,supervision,alpha,beta,gamma,bits,repetitions
    snippets,SSB-VAE,0.1,0.0001,0.015625,10000,16,5
    snippets,VDSH-S,0.3,10.0,0.125,0.0,16,5
    """

    func testLookupByDatasetModelBitsLevel() throws {
        let t = try HyperparameterTable.parse(table, source: "h.csv")
        XCTAssertEqual(t.entries.count, 2)
        XCTAssertEqual(try t.weights(dataset: "Snippets", model: .ssbVAE, bits: 16, level: 0.1), LossWeights(alpha: 1e-4, beta: 0.015625, gamma: 1e4))
        XCTAssertEqual(t.entry(dataset: "snippets", model: .vdshS, bits: 16, level: 0.1 + 0.2)?.weights.alpha, 10)
        XCTAssertNil(t.entry(dataset: "snippets", model: .vdshS, bits: 32, level: 0.3))
        XCTAssertThrowsError(try t.weights(dataset: "snippets", model: .phsGS, bits: 16, level: 0.1, source: "h.csv")) { error in
            let text = "\(error)"
            for part in ["h.csv", "dataset=snippets", "model=PHS-GS", "bits=16", "supervision=0.1"] { XCTAssertTrue(text.contains(part), text) }
        }
    }

    func testMalformedTableNamesLineAndField() {
        assertMalformed("h.csv:2", reasonContains: "alpha") {
            try HyperparameterTable.parse("dataset,model,supervision,alpha,beta,gamma,bits,repetitions\nsnippets,SSB-VAE,0.1,x,1,1,16,5\n", source: "h.csv")
        }
        assertMalformed("h.csv:2", reasonContains: "unknown model") {
            try HyperparameterTable.parse("dataset,model,supervision,alpha,beta,gamma,bits,repetitions\nsnippets,XYZ,0.1,1,1,1,16,5\n", source: "h.csv")
        }
    }

    func testTableRoundTripAndUpsert() throws {
        var t = try HyperparameterTable.parse(table, source: "h.csv")
        t.upsert(.init(dataset: "snippets", model: .ssbVAE, level: 0.1, weights: LossWeights(alpha: 1e-3, beta: 1, gamma: 1e-5), bits: 16, repetitions: 5))
        t.upsert(.init(dataset: "tmc", model: .phsGS, level: 1, weights: LossWeights(alpha: 1, beta: 2, gamma: 3), bits: 32, repetitions: 1))
        XCTAssertEqual(t.entries.count, 3)
        XCTAssertEqual(t.entries[0].weights, LossWeights(alpha: 1e-3, beta: 1, gamma: 1e-5))
        XCTAssertEqual(try HyperparameterTable.parse(t.csvText, source: "again"), t)
    }

    func testGridOrderSeedsAndWeights() throws {
        let t = try HyperparameterTable.parse(table, source: "h.csv")
        let grid = try ExperimentGrid(datasetSpec: "s", datasetName: "snippets", models: [.ssbVAE], bits: [16], levels: [0.1], runs: 3)
        let cells = try grid.cells(table: t)
        XCTAssertEqual(cells.map(\.seed), [20, 144, 1028])
        XCTAssertEqual(cells.map(\.run), [0, 1, 2])
        XCTAssertEqual(cells[0].weights.gamma, 1e4)
        // A missing row is an error unless all three weights are given.
        let missing = try ExperimentGrid(datasetSpec: "s", datasetName: "snippets", models: [.phsGS], bits: [16], levels: [0.1], runs: 1, alpha: 1)
        XCTAssertThrowsError(try missing.cells(table: t))
        let given = try ExperimentGrid(datasetSpec: "s", datasetName: "snippets", models: [.phsGS], bits: [16], levels: [0.1], runs: 1,
                                       alpha: 1, beta: 2, gamma: 3)
        XCTAssertEqual(try given.cells(table: t)[0].weights, LossWeights(alpha: 1, beta: 2, gamma: 3))
        // A flag overrides the table; without a table, the model's defaults.
        let beta = try ExperimentGrid(datasetSpec: "s", datasetName: "snippets", models: [.ssbVAE], bits: [16], levels: [0.1], runs: 1, beta: 0.5)
        XCTAssertEqual(try beta.cells(table: t)[0].weights, LossWeights(alpha: 1e-4, beta: 0.5, gamma: 1e4))
        XCTAssertEqual(try beta.cells(table: nil)[0].weights, LossWeights(alpha: 1e-4, beta: 0.5, gamma: 1e4))
        XCTAssertThrowsError(try ExperimentGrid(datasetSpec: "s", datasetName: "snippets", models: [.ssbVAE], bits: [16], levels: [0.1], runs: 11))
        // Runs outermost: the first |models|·|bits|·|levels| cells are run 1.
        let two = try ExperimentGrid(datasetSpec: "s", datasetName: "x", models: [.ssbVAE, .vdshS], bits: [8, 16], levels: [0.5, 1], runs: 2)
        let order = try two.cells(table: nil)
        XCTAssertEqual(order.count, 16)
        XCTAssertEqual(order.prefix(8).map(\.run), Array(repeating: 0, count: 8))
        XCTAssertEqual(order.prefix(4).map(\.model), [.ssbVAE, .vdshS, .ssbVAE, .vdshS])
        XCTAssertEqual(order.prefix(4).map(\.bits), [8, 8, 8, 8])
    }
}
