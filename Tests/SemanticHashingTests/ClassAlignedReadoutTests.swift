import XCTest
@testable import SemanticHashing

final class ClassAlignedReadoutTests: XCTestCase {
    func testSofteningMatchesHandComputedValues() {
        // softmax(log p / 10): 0.9^0.1 = 0.989519, 0.1^0.1 = 0.794328 → 0.554713, 0.445287.
        var single = Matrix(rows: 1, columns: 2, storage: [0.9, 0.1])
        ClassAlignedReadout.soften(&single, multiLabel: false, temperature: 10)
        XCTAssertEqual(single[0, 0], 0.554713, accuracy: 1e-5)
        XCTAssertEqual(single[0, 1], 0.445287, accuracy: 1e-5)
        // σ(logit(p) / 10): 1 / (1 + (1/9)^0.1) = 0.554713 for 0.9, and ½ stays ½.
        var multi = Matrix(rows: 1, columns: 2, storage: [0.9, 0.5])
        ClassAlignedReadout.soften(&multi, multiLabel: true, temperature: 10)
        XCTAssertEqual(multi[0, 0], 0.554713, accuracy: 1e-5)
        XCTAssertEqual(multi[0, 1], 0.5, accuracy: 1e-6)
        // Exact zeros and ones stay finite.
        var edge = Matrix(rows: 1, columns: 2, storage: [1, 0])
        ClassAlignedReadout.soften(&edge, multiLabel: false, temperature: 10)
        XCTAssertTrue(edge.storage.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(edge[0, 0], edge[0, 1])
    }

    private func trained(_ preset: ModelPreset, variant: ModelVariant, readoutInputWeight: Double = 1,
                         level: Double = 0.5) throws -> (model: HashingVAE, data: Dataset) {
        let data = try SyntheticCorpus.load(argument: "docs=240,val=24,test=40,vocab=200,classes=4,length=30,seed=5", options: [:])
        let config = ModelConfiguration(preset: preset, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: false, variant: variant, hiddenDimensions: 24)
        let masked = SupervisionMask.apply(to: data, level: level, seed: 3)
        let (model, _) = try ModelTraining.fit(config, on: masked.train, options: TrainingOptions(epochs: 3, batchSize: 40, seed: 11),
                                               readoutInputWeight: readoutInputWeight)
        return (model as! HashingVAE, data)
    }

    /// Training passes the readout weight through to the fit: same model, same μ, another P.
    func testTrainingFitsTheReadoutWithTheGivenInputWeight() throws {
        let plain = try XCTUnwrap(try trained(.ssbVAE, variant: .principled).model.readout)
        let weighted = try XCTUnwrap(try trained(.ssbVAE, variant: .principled, readoutInputWeight: 4).model.readout)
        XCTAssertEqual(plain.inputWeight, 1)
        XCTAssertEqual(weighted.inputWeight, 4)
        XCTAssertEqual(weighted.mean.storage, plain.mean.storage)
        XCTAssertNotEqual(weighted.projection.storage, plain.projection.storage)
    }

    func testPrincipledSupervisedModelsReadThroughTheReadoutOthersDoNot() throws {
        for preset in [ModelPreset.vdshS, .phsGS, .ssbVAE] {
            XCTAssertNotNil(try trained(preset, variant: .principled).model.readout, preset.rawValue)
        }
        XCTAssertNil(try trained(.ssbVAE, variant: .reference).model.readout, "the paper's tables read the logits alone")
        XCTAssertNil(try trained(.bvae, variant: .principled).model.readout, "no classifier to read")
    }

    func testCodesAreTheThresholdedProjectionOfBothClassifiersAndLogits() throws {
        let data = try SyntheticCorpus.load(argument: "docs=240,val=24,test=40,vocab=200,classes=4,length=30,seed=5", options: [:])
        let (model, _) = try trained(.ssbVAE, variant: .principled)
        let readout = try XCTUnwrap(model.readout)
        let c = data.classCount, bits = 8
        XCTAssertEqual(readout.mean.columns, 2 * c + bits)
        XCTAssertEqual(readout.projection.rows, 2 * c + bits)
        XCTAssertEqual(readout.projection.columns, bits)
        // q is label-ITQ's logistic regression on the labelled training items, refitted with the
        // pseudo-labels of the unlabelled items that the mean of it and the head is surest of.
        let masked = SupervisionMask.apply(to: data, level: 0.5, seed: 3).train
        let labelled = BaselineSupport.labelledRows(masked.labels)
        XCTAssertEqual(labelled.count, masked.count / 2, accuracy: masked.count / 10)
        let settings = BaselineSettings()
        func regression(_ rows: [Int], _ labels: Labels) -> LogisticRegression {
            LogisticRegression.fit(features: masked.features.gatherRows(rows), labels: labels, l2: settings.classifierL2,
                                   maximumIterations: settings.classifierIterations, tolerance: settings.classifierTolerance).model
        }
        let first = regression(labelled, masked.labels.gatherRows(labelled))
        var head = try XCTUnwrap(model.labelProbabilities(masked.features))
        ClassAlignedReadout.soften(&head, multiLabel: false, temperature: ClassAlignedReadout.temperature)
        head = PseudoLabels.unsoften(head, temperature: ClassAlignedReadout.temperature)
        let unlabelled = (0..<masked.count).filter { !masked.labels.isLabelled($0) }
        let pseudo = PseudoLabels.choose(head: head, input: first.probabilities(masked.features), candidates: unlabelled)
        XCTAssertEqual(Double(pseudo.count), Double(unlabelled.count) * PseudoLabels.share, accuracy: Double(c) / 2)
        XCTAssertEqual(readout.pseudoLabelledItems, pseudo.count)
        let regressed = regression(labelled + pseudo.map(\.row),
                                   Labels(singleLabel: labelled.map { Int(masked.labels.classesOf($0).first!) } + pseudo.map(\.label), classCount: c))
        let x = data.test.features
        let q = try XCTUnwrap(readout.inputClassifier).probabilities(x), expectedQ = regressed.probabilities(x)
        for (a, b) in zip(q.storage, expectedQ.storage) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // Recompute every value by hand from the model's parts. With 33 labelled items a class (fewer
        // than 60) ℓ is read through the chosen input readout.
        XCTAssertNotNil(model.inputReadoutChoice)
        let h = model.trunk(x, training: false)
        let latent = model.latent.codeValues(h)
        let logits = model.inputReadout.map { $0.codeValues(latent: latent, input: x) } ?? latent
        var p = try XCTUnwrap(model.labelProbabilities(x))
        ClassAlignedReadout.soften(&p, multiLabel: false, temperature: ClassAlignedReadout.temperature)
        let values = model.codeValues(x)
        for i in 0..<x.rows {
            for j in 0..<bits {
                var v: Float = 0
                for k in 0..<c { v += (p[i, k] - readout.mean[0, k]) * readout.projection[k, j] }
                for k in 0..<c { v += (q[i, k] - readout.mean[0, c + k]) * readout.projection[c + k, j] }
                for k in 0..<bits { v += (logits[i, k] - readout.mean[0, 2 * c + k]) * readout.projection[2 * c + k, j] }
                XCTAssertEqual(values[i, j], v, accuracy: 1e-4 * max(1, abs(v)))
            }
        }
        // The first r = C − 1 directions come from the predictions: the rotation mixes them with the
        // logits' directions, so every bit reads both; and ITQ on centred data keeps every bit in use.
        let train = BinaryCodes(thresholding: model.codeValues(data.train.features))
        for j in 0..<bits {
            let ones = (0..<train.count).filter { train.bit($0, j) }.count
            XCTAssertTrue((train.count / 10...train.count * 9 / 10).contains(ones), "bit \(j) is set on \(ones) of \(train.count) items")
        }
    }

    /// With few labels a class a supervised model chooses an input readout as the unsupervised ones
    /// do, and the readout's ℓ block reads through it: with the input's components (the `itq` code)
    /// that block is ITQ's code bit for bit, the head still reads the trained latent, and a model
    /// file keeps both readouts.
    func testTheLatentBlockIsReadThroughTheInputReadoutWhenLabelsAreFew() throws {
        let (model, data) = try trained(.ssbVAE, variant: .principled, level: 0.1)
        XCTAssertEqual(model.configuration.labelledShare ?? 1, 0.1, accuracy: 0.02)
        let choice = try XCTUnwrap(model.inputReadoutChoice)
        XCTAssertEqual(model.inputReadout?.source, choice.chosen == .latent ? nil : choice.chosen)
        let train = SupervisionMask.apply(to: data, level: 0.1, seed: 3).train
        let candidates = LatentInputReadout.candidates(model, on: train, seed: 11, settings: BaselineSettings()).candidates
        model.inputReadout = try XCTUnwrap(candidates.last?.readout)
        model.readout = ClassAlignedReadout.fit(model, on: train, seed: 11)
        let x = data.test.features
        let block = ClassAlignedReadout.inputs(model, x, inputClassifier: model.readout?.inputClassifier).logits
        XCTAssertEqual(BinaryCodes(thresholding: block), try ITQBaseline.fit(train, bits: 8, seed: 11).codes(x))
        var head = try XCTUnwrap(model.labelProbabilities(x))
        ClassAlignedReadout.soften(&head, multiLabel: false, temperature: ClassAlignedReadout.temperature)
        let predictions = ClassAlignedReadout.inputs(model, x, inputClassifier: nil).predictions
        for (a, b) in zip(predictions.storage, head.storage) { XCTAssertEqual(a, b, accuracy: 1e-6) }

        let metadata = ModelMetadata(dataset: "synthetic", datasetName: "synthetic", classNames: ["a", "b", "c", "d"], supervision: 0.1,
                                     labelledItems: 26, training: TrainingOptions(), trainSeconds: 1, finalLosses: [:],
                                     created: "2026-12-07T00:00:00Z", backend: "test", version: "0")
        let bytes = try ModelFile(model: model, preprocessing: .none, metadata: metadata).encoded()
        let loaded = try ModelFile.decode(bytes, path: "m.semhash")
        XCTAssertEqual(loaded.model.codes(x), model.codes(x))
        XCTAssertEqual((loaded.model as? HashingVAE)?.inputReadout, model.inputReadout)
    }

    func testModelFileKeepsTheReadoutAndRejectsAMisshapedOne() throws {
        let (model, _) = try trained(.ssbVAE, variant: .principled)
        let metadata = ModelMetadata(dataset: "synthetic", datasetName: "synthetic", classNames: ["a", "b", "c", "d"], supervision: 0.5,
                                     labelledItems: 120, training: TrainingOptions(), trainSeconds: 1, finalLosses: [:],
                                     created: "2026-12-05T00:00:00Z", backend: "test", version: "0")
        let file = ModelFile(model: model, preprocessing: .none, metadata: metadata)
        let bytes = try file.encoded()
        let loaded = try ModelFile.decode(bytes, path: "m.semhash")
        let x = FeatureMatrix.dense(Matrix(rows: 2, columns: model.configuration.inputDimensions, storage:
            (0..<(2 * model.configuration.inputDimensions)).map { Float($0 % 7) / 7 }))
        XCTAssertEqual(loaded.model.codeValues(x), model.codeValues(x))
        XCTAssertEqual(try loaded.encoded(), bytes, "byte-for-byte round trip")
        XCTAssertEqual(model.readout?.fitAttempts.first?.splitBits, 0, "the kept fit is tried first")
        XCTAssertEqual((loaded.model as? HashingVAE)?.readout?.fitAttempts, [], "how it was fitted is not stored")

        var tensors = Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) })
        tensors["readout.projection"] = Matrix(rows: 3, columns: 3)
        let fresh = HashingVAE(configuration: model.configuration, seed: 1)
        XCTAssertThrowsError(try fresh.load(state: tensors)) { error in
            XCTAssertEqual("\(error)".contains("tensor 'readout.projection' is 3×3, expected 16×8"), true, "\(error)")
        }
        XCTAssertNil(fresh.readout, "a failed load changes nothing")
        ClassAlignedReadout.tensorNames.forEach { tensors[$0] = nil }
        try fresh.load(state: tensors)
        XCTAssertNil(fresh.readout, "files without a readout read the logits alone, as they did")
    }

    func testChunkedInputsMatchOneBatch() throws {
        let (model, data) = try trained(.phsGS, variant: .principled)
        let x = data.train.features
        let classifier = model.readout?.inputClassifier
        XCTAssertNotNil(classifier)
        let whole = ClassAlignedReadout.inputs(model, x, inputClassifier: classifier)
        let chunked = ClassAlignedReadout.inputsInChunks(model, x, inputClassifier: classifier, chunkSize: 7)
        XCTAssertEqual(whole.predictions.columns, 2 * model.configuration.classCount)
        XCTAssertEqual(chunked.predictions.rows, x.rows)
        for (a, b) in zip(whole.predictions.storage, chunked.predictions.storage) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(whole.logits.storage, chunked.logits.storage) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    func testAReadoutHalfMissingIsADamagedFile() throws {
        let (model, _) = try trained(.ssbVAE, variant: .principled)
        let whole = Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) })
        for name in ClassAlignedReadout.tensorNames {
            var tensors = whole
            tensors[name] = nil
            XCTAssertThrowsError(try HashingVAE(configuration: model.configuration, seed: 1).load(state: tensors), name) { error in
                XCTAssertTrue("\(error)".contains("missing tensor '\(name)'"), "\(error)")
            }
        }
        var bare = whole
        ClassAlignedReadout.tensorNames.forEach { bare[$0] = nil }
        bare["readout.classifier.bias"] = whole["readout.classifier.bias"]
        XCTAssertThrowsError(try HashingVAE(configuration: model.configuration, seed: 1).load(state: bare)) { error in
            XCTAssertTrue("\(error)".contains("missing tensor 'readout.classifier.weights'"), "\(error)")
        }
    }

    func testAReadoutWithoutInputClassifierReadsHeadAndLogits() throws {
        // Readouts written before q existed: μ is 1 × (C + B), P (C + B) × B, f = [ŷ_T | ℓ].
        let (model, data) = try trained(.ssbVAE, variant: .principled)
        let c = data.classCount, bits = 8
        var tensors = Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) })
        tensors["readout.classifier.weights"] = nil
        tensors["readout.classifier.bias"] = nil
        tensors["readout.mean"] = Matrix(rows: 1, columns: c + bits, storage: (0..<(c + bits)).map { Float($0) / 10 })
        tensors["readout.projection"] = Matrix(rows: c + bits, columns: bits, storage: (0..<((c + bits) * bits)).map { Float(($0 * 7) % 11) - 5 })
        let old = HashingVAE(configuration: model.configuration, seed: 1)
        try old.load(state: tensors)
        XCTAssertNil(old.readout?.inputClassifier)
        let x = data.test.features
        let inputs = ClassAlignedReadout.inputs(old, x, inputClassifier: nil)
        let expected = CenteredFeatures(.dense(Matrix.hstack([inputs.predictions, inputs.logits])), mean: tensors["readout.mean"]!)
            .times(tensors["readout.projection"]!)
        XCTAssertEqual(old.codeValues(x), expected)
        XCTAssertEqual(old.state.map(\.name), model.state.map(\.name).filter { !$0.hasPrefix("readout.classifier") },
                       "it is written back as it was read")
    }

    func testBalancingScaleEqualsTheTwoBlocksTotalVariance() {
        // [ŷ_T | q] with C = 2: variances 0.04, 0.02 and 0.5, 0.04 → s = √(0.06 / 0.54) = 1/3.
        let covariance: [Double] = [0.04, 0, 0.01, 0,
                                    0, 0.02, 0, 0,
                                    0.01, 0, 0.5, 0.1,
                                    0, 0, 0.1, 0.04]
        XCTAssertEqual(ClassAlignedReadout.balancingScale(covariance, columns: 4, classCount: 2), 1.0 / 3, accuracy: 1e-6)
        var constant = covariance
        for j in 2..<4 { for k in 0..<4 { constant[j * 4 + k] = 0; constant[k * 4 + j] = 0 } }
        XCTAssertEqual(ClassAlignedReadout.balancingScale(constant, columns: 4, classCount: 2), 1, "a constant q leaves ŷ_T as it is")
    }

    /// r = C − 1 per classifier of single-label data (2(C − 1) with q beside the head), C for
    /// multi-label data with or without q, and never more than B.
    func testClassDirectionsCountEachClassifiersDegreesOfFreedom() {
        func r(_ c: Int, multiLabel: Bool = false, bits: Int, q: Bool = true) -> Int {
            ClassAlignedReadout.classDirections(classCount: c, multiLabel: multiLabel, bits: bits, withInputClassifier: q)
        }
        XCTAssertEqual(r(6, bits: 16), 10, "TREC: 5 directions a classifier, two classifiers")
        XCTAssertEqual(r(6, bits: 16, q: false), 5, "no labelled item, no q: the head alone")
        XCTAssertEqual(r(8, bits: 16), 14)
        XCTAssertEqual(r(20, bits: 32), 32, "38 directions, 32 bits")
        XCTAssertEqual(r(20, bits: 16), 16)
        XCTAssertEqual(r(22, multiLabel: true, bits: 32), 22, "multi-label keeps one classifier's C")
        XCTAssertEqual(r(22, multiLabel: true, bits: 16), 16)
        XCTAssertEqual(r(2, bits: 16), 2)
    }

    func testSplitAttemptsStartAtOneBitAndDoubleUpToHalfTheBits() {
        XCTAssertEqual(ReadoutDirections.attempts(classDirections: 16, bits: 16), [0, 1, 2, 4, 8])
        XCTAssertEqual(ReadoutDirections.attempts(classDirections: 5, bits: 32), [0, 1, 2, 4, 8, 16])
        XCTAssertEqual(ReadoutDirections.attempts(classDirections: 1, bits: 3), [0, 1])
        XCTAssertEqual(ReadoutDirections.attempts(classDirections: 0, bits: 16), [0], "no class direction, nothing crowds by class")
    }

    /// [u | ℓ] for n items of 3 classes (half of them class 0): u = two one-hot-like blocks
    /// (head and input classifier) plus noise; ℓ = a class embedding (weight `classInLatent`)
    /// plus independent noise.
    private func readoutInputs(classInLatent: Float, n: Int = 900, bits: Int = 8, inputWeight: Double = 1,
                               latentScale: Double = 0.5) -> ReadoutDirections {
        var rng = RandomSource(seed: 7)
        var predictions = Matrix(rows: n, columns: 6), logits = Matrix(rows: n, columns: bits)
        let embedding: [[Float]] = (0..<3).map { _ in (0..<bits).map { _ in rng.normal() } }
        for i in 0..<n {
            let y = i % 2 == 0 ? 0 : 1 + i % 3 % 2
            for j in 0..<6 { predictions[i, j] = (j % 3 == y ? 0.8 : 0.1) + 0.02 * rng.normal() }
            for k in 0..<bits { logits[i, k] = classInLatent * embedding[y][k] + rng.normal() }
        }
        return ReadoutDirections(predictions: predictions, logits: logits, classCount: 3, inputWeight: inputWeight, latentScale: latentScale)
    }

    /// `--tune auto`'s readout weight multiplies q's columns of D, and only them.
    func testInputWeightScalesTheInputClassifiersColumns() {
        let plain = readoutInputs(classInLatent: 1), doubled = readoutInputs(classInLatent: 1, inputWeight: 2)
        XCTAssertEqual(Array(doubled.scales.prefix(3)), [1, 1, 1])
        for j in 3..<6 { XCTAssertEqual(doubled.scales[j], 2 * plain.scales[j], accuracy: 1e-12) }
        XCTAssertNotEqual(plain.scales[3], 1, "s balances the blocks before the weight applies")
        XCTAssertEqual(readoutInputs(classInLatent: 1, inputWeight: 1).covariance, plain.covariance)
    }

    /// G's mean variance is a² × E's on the fitted items, as label-ITQ pads with the input's
    /// directions: a = ½ by default, and the test holds for any a.
    func testTheLatentBlockIsScaledToLabelITQsPaddingOfTheClassDirections() {
        for a in [0.5, 1.0, 0.25] {
            var rng = RandomSource(seed: 7)
            var predictions = Matrix(rows: 600, columns: 6), logits = Matrix(rows: 600, columns: 8)
            for k in predictions.storage.indices { predictions.storage[k] = 0.3 * rng.normal() }
            for k in logits.storage.indices { logits.storage[k] = 5 * rng.normal() }
            let directions = a == 0.5 ? ReadoutDirections(predictions: predictions, logits: logits, classCount: 3)
                                      : ReadoutDirections(predictions: predictions, logits: logits, classCount: 3, latentScale: a)
            let v = CenteredFeatures(.dense(directions.features), mean: directions.mean).times(directions.keptBlocks(bits: 8, classDirections: 2))
            func meanVariance(_ columns: Range<Int>) -> Double {
                columns.map { j in (0..<v.rows).reduce(0.0) { $0 + Double(v[$1, j]) * Double(v[$1, j]) } / Double(v.rows) }.reduce(0, +) / Double(columns.count)
            }
            XCTAssertEqual(meanVariance(2..<8) / meanVariance(0..<2), a * a, accuracy: 1e-3, "a = \(a)")
        }
    }

    func testACrowdedReadoutIsRefittedWithLatentBitsThatVaryWithinAClass() {
        // ℓ is mostly class: the kept readout gives each class one code (class 0: half the items).
        let directions = readoutInputs(classInLatent: 20)
        let (projection, tried) = directions.leastCrowdedProjection(classDirections: 2, seed: 3, itqIterations: 30)
        XCTAssertEqual(tried.first?.splitBits, 0)
        XCTAssertGreaterThan(tried[0].largestShare, 0.3)
        let kept = try! XCTUnwrap(tried.last)
        XCTAssertGreaterThan(kept.splitBits, 0)
        XCTAssertLessThanOrEqual(kept.largestShare, 0.05)
        XCTAssertEqual(tried.count, [0, 1, 2, 4].firstIndex(of: kept.splitBits)! + 1, "stops at the first fit within the limit")
        XCTAssertEqual(projection, directions.projection(classDirections: 2, splitBits: kept.splitBits, seed: 3, itqIterations: 30).projection)
        // The split bits are uncorrelated with the others on the fitted items, and class 0 spreads
        // over several codes.
        let v = CenteredFeatures(.dense(directions.features), mean: directions.mean).times(projection)
        let n = Double(v.rows), m = 8 - kept.splitBits
        func covariance(_ a: Int, _ b: Int) -> Double { (0..<v.rows).reduce(0.0) { $0 + Double(v[$1, a]) * Double(v[$1, b]) } / n }
        for a in 0..<m {
            for b in m..<8 {
                let correlation = covariance(a, b) / (covariance(a, a) * covariance(b, b)).squareRoot()
                XCTAssertEqual(correlation, 0, accuracy: 1e-3, "bit \(a), split bit \(b)")
            }
        }
        let codes = BinaryCodes(thresholding: v)
        let classZero = Set((0..<codes.count).filter { $0 % 2 == 0 }.map { i in (0..<8).map { codes.bit(i, $0) } })
        XCTAssertGreaterThanOrEqual(classZero.count, 1 << kept.splitBits)
    }

    func testFewerItemsThanAWarningNeedsAreNotSplit() {
        // 15 items: one is 6.7 %, so every fit "crowds"; the kept one stands.
        let directions = readoutInputs(classInLatent: 20, n: 15)
        let (projection, tried) = directions.leastCrowdedProjection(classDirections: 2, seed: 3, itqIterations: 30)
        XCTAssertEqual(tried.map(\.splitBits), [0])
        XCTAssertEqual(projection, directions.projection(classDirections: 2, splitBits: 0, seed: 3, itqIterations: 30).projection)
    }

    func testABalancedReadoutKeepsTheFirstFit() {
        // With the latent as loud as the classes (a = 1) no code of these three classes crowds;
        // at a = ½ class 0's half of the items would.
        let directions = readoutInputs(classInLatent: 0.5, latentScale: 1)
        let (projection, tried) = directions.leastCrowdedProjection(classDirections: 2, seed: 3, itqIterations: 30)
        XCTAssertEqual(tried.count, 1)
        XCTAssertLessThanOrEqual(tried[0].largestShare, 0.05)
        XCTAssertEqual(projection, directions.projection(classDirections: 2, splitBits: 0, seed: 3, itqIterations: 30).projection)
    }

    /// Each predicted class gives up the round(share · count) unlabelled items the two classifiers'
    /// mean is surest of, labelled with that class; ties go to the lower row; labelled rows are not
    /// candidates.
    func testPseudoLabelsAreEachPredictedClasssSurestShare() {
        // Rows 0–7; row 2 is labelled, so not a candidate. Mean probabilities ½(head + input):
        //   row 0: (0.9, 0.1, 0)  → class 0, 0.9      row 4: (0.2, 0.7, 0.1) → class 1, 0.7
        //   row 1: (0.6, 0.4, 0)  → class 0, 0.6      row 5: (0.3, 0.6, 0.1) → class 1, 0.6
        //   row 3: (0.6, 0.3, 0.1) → class 0, 0.6     row 6: (0.1, 0.1, 0.8) → class 2, 0.8
        //   row 7: (0.2, 0.8, 0)  → class 1, 0.8
        // share ½: class 0 has 3 items, round(1.5) = 2: rows 0 and 1 (0.6 tie, lower row first);
        // class 1 has 3 items, 2: rows 7 and 4; class 2 has 1 item, round(0.5) = 1 (halves away
        // from zero): row 6.
        let mean: [[Float]] = [[0.9, 0.1, 0], [0.6, 0.4, 0], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1],
                               [0.2, 0.7, 0.1], [0.3, 0.6, 0.1], [0.1, 0.1, 0.8], [0.2, 0.8, 0]]
        var head = Matrix(rows: 8, columns: 3), input = Matrix(rows: 8, columns: 3)
        for i in 0..<8 {
            for j in 0..<3 {
                // head and input differ; only their mean matters.
                let skew: Float = j == 0 ? 0.05 : (j == 1 ? -0.05 : 0)
                head[i, j] = mean[i][j] + skew
                input[i, j] = mean[i][j] - skew
            }
        }
        let chosen = PseudoLabels.choose(head: head, input: input, candidates: [0, 1, 3, 4, 5, 6, 7], share: 0.5)
        XCTAssertEqual(chosen.map(\.row), [0, 1, 4, 6, 7])
        XCTAssertEqual(chosen.map(\.label), [0, 0, 1, 2, 1])
        XCTAssertEqual(PseudoLabels.choose(head: head, input: input, candidates: [0, 1, 3, 4, 5, 6, 7], share: 0.25).map(\.row), [0, 7])
        XCTAssertTrue(PseudoLabels.choose(head: head, input: input, candidates: [], share: 0.5).isEmpty)
        XCTAssertEqual(PseudoLabels.choose(head: head, input: input, candidates: [6], share: 1).map(\.label), [2])
    }

    /// The head's distribution comes back from its softened form: softmax(log p / T) raised to T
    /// and renormalised is p.
    func testUnsofteningInvertsTheSoftening() {
        let p = Matrix(rows: 3, columns: 4, storage: [0.7, 0.2, 0.05, 0.05,  0.25, 0.25, 0.25, 0.25,  0.001, 0.009, 0.09, 0.9])
        var softened = p
        ClassAlignedReadout.soften(&softened, multiLabel: false, temperature: 10)
        XCTAssertNotEqual(softened[0, 0], p[0, 0], accuracy: 0.1)
        let back = PseudoLabels.unsoften(softened, temperature: 10)
        for (a, b) in zip(back.storage, p.storage) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, b) + 1e-6) }
    }
}
