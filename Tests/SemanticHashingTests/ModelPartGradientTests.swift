import XCTest
@testable import SemanticHashing

/// Each part of a VAE model (latent layers, decoder, supervision heads) against finite differences
/// on its own: gradients with respect to its parameters and to its inputs. Each check also runs
/// once against a part whose backward uses a wrong weight, to show the check can fail.
final class ModelPartGradientTests: XCTestCase {
    let n = 5, hiddenWidth = 6, bits = 3, classes = 3

    /// Finite differences of `loss` against `analytic` for every tensor; returns the worst
    /// difference / allowance (≤ 1 passes).
    private func worstError(_ tensors: [(name: String, get: (Int) -> Float, set: (Int, Float) -> Void, count: Int, analytic: Matrix)],
                            loss: () -> Float) -> Float {
        tensors.map { t in
            GradientChecker.compare(t.name, count: t.count, analytic: { t.analytic.storage[$0] }, get: t.get, set: t.set,
                                    loss: loss, step: 1e-3, tolerance: 2e-2)
        }.max() ?? 0
    }

    private func parameterTensors(_ parameters: [Parameter]) -> [(name: String, get: (Int) -> Float, set: (Int, Float) -> Void, count: Int, analytic: Matrix)] {
        parameters.map { p in
            (p.name, { p.value.storage[$0] }, { p.value.storage[$0] = $1 }, p.value.count, p.gradient)
        }
    }

    // MARK: Latent layers

    /// Loss = β·KL + Σ G ⊙ sample with the noise held fixed; the analytic gradients come from a
    /// backward with `analyticBeta`.
    private func latentError(_ make: (inout RandomSource) -> any LatentLayer, analyticBeta: Float = 0.3) -> Float {
        var rng = RandomSource(seed: 40)
        let latent = make(&rng)
        let beta: Float = 0.3
        let input = GradientChecker.random(n, hiddenWidth, seed: 41)
        let downstream = GradientChecker.random(n, bits, seed: 42)
        let noise = RandomSource(seed: 43)
        var h = input
        var r = noise
        _ = latent.sample(h, random: &r)
        var dHidden = Matrix(rows: n, columns: hiddenWidth)
        _ = latent.backward(sampleGradient: downstream, klWeight: analyticBeta, into: &dHidden)
        var tensors = parameterTensors(latent.parameters).map { t in (t.name, t.get, t.set, t.count, Matrix(rows: t.analytic.rows, columns: t.analytic.columns, storage: t.analytic.storage)) }
        tensors.append(("h", { h.storage[$0] }, { h.storage[$0] = $1 }, h.count, dHidden))
        return worstError(tensors) {
            var again = noise
            let sample = latent.sample(h, random: &again)
            var scratch = Matrix(rows: n, columns: hiddenWidth)
            let kl = latent.backward(sampleGradient: downstream, klWeight: beta, into: &scratch)
            var total = beta * kl
            for i in sample.storage.indices { total += downstream.storage[i] * sample.storage[i] }
            return total
        }
    }

    func testBernoulliLatent() {
        let make: (inout RandomSource) -> any LatentLayer = { BernoulliLatent(hiddenDimensions: 6, bits: 3, temperature: 0.67, random: &$0) }
        XCTAssertLessThanOrEqual(latentError(make), 1)
        XCTAssertGreaterThan(latentError(make, analyticBeta: 0.45), 1, "a wrong KL weight in backward must fail the check")
    }

    func testGaussianLatent() {
        let make: (inout RandomSource) -> any LatentLayer = { GaussianLatent(hiddenDimensions: 6, bits: 3, random: &$0) }
        XCTAssertLessThanOrEqual(latentError(make), 1)
        XCTAssertGreaterThan(latentError(make, analyticBeta: 0.45), 1, "a wrong KL weight in backward must fail the check")
    }

    // MARK: Decoder

    private func decoderError(kind: ReconstructionKind, target: FeatureMatrix, scaleAnalytic: Float = 1) -> Float {
        var rng = RandomSource(seed: 44)
        let decoder = FeatureDecoder(bits: bits, outputDimensions: target.columns, kind: kind, random: &rng)
        var code = GradientChecker.random(n, bits, seed: 45)
        var (_, dCode) = decoder.reconstruct(code, target: target)
        dCode.scale(by: scaleAnalytic)
        var tensors = parameterTensors(decoder.parameters)
        tensors.append(("code", { code.storage[$0] }, { code.storage[$0] = $1 }, code.count, dCode))
        return worstError(tensors) { decoder.reconstruct(code, target: target).loss }
    }

    func testDistributionDecoder() {
        let counts = SparseMatrix(rows: 5, columns: 7, entries: [(0, 1, 2), (0, 4, 1), (1, 0, 5), (2, 6, 1), (3, 3, 2), (3, 2, 1), (4, 5, 3)])
        XCTAssertLessThanOrEqual(decoderError(kind: .distribution, target: .sparse(counts)), 1)
    }

    func testGaussianDecoder() {
        let target = FeatureMatrix.dense(GradientChecker.random(5, 7, seed: 46, scale: 2))
        XCTAssertLessThanOrEqual(decoderError(kind: .gaussian, target: target), 1)
        XCTAssertGreaterThan(decoderError(kind: .gaussian, target: target, scaleAnalytic: 1.3), 1, "a wrong code gradient must fail the check")
    }

    // MARK: Supervision heads

    private func batch(multiLabel: Bool) -> SupervisionBatch {
        var labels = Matrix(rows: n, columns: classes)
        var labelled = [Bool](repeating: false, count: n)
        for i in 0..<n where i != 2 {  // item 2 unlabelled
            labelled[i] = true
            labels[i, i % classes] = 1
            if multiLabel && i % 2 == 0 { labels[i, (i + 1) % classes] = 1 }
        }
        // Relaxed codes in (0, 1), as a Bernoulli sample gives.
        var code = GradientChecker.random(n, bits, seed: 47)
        for i in code.storage.indices { code.storage[i] = 0.5 + 0.45 * code.storage[i] }
        return SupervisionBatch(hidden: GradientChecker.random(n, hiddenWidth, seed: 48), code: code, labels: labels, labelled: labelled)
    }

    /// Loss = the head's weighted loss; analytic gradients from a twin head (same initial weights)
    /// built with `analyticAlpha`.
    private func headError(multiLabel: Bool, analyticAlpha: Float = 0.7,
                           _ make: (_ alpha: Float, inout RandomSource) -> any SupervisionHead) -> Float {
        var rng = RandomSource(seed: 49)
        let head = make(0.7, &rng)
        var twinRandom = RandomSource(seed: 49)
        let twin = make(analyticAlpha, &twinRandom)
        var b = batch(multiLabel: multiLabel)
        _ = twin.forward(b)
        var dCode = Matrix(rows: n, columns: bits), dHidden = Matrix(rows: n, columns: hiddenWidth)
        twin.backward(codeGradient: &dCode, hiddenGradient: &dHidden)
        var tensors = zip(head.parameters, twin.parameters).map { p, t in
            (name: p.name, get: { (k: Int) in p.value.storage[k] }, set: { (k: Int, v: Float) in p.value.storage[k] = v },
             count: p.value.count, analytic: t.gradient)
        }
        tensors.append(("code", { b.code.storage[$0] }, { b.code.storage[$0] = $1 }, b.code.count, dCode))
        tensors.append(("hidden", { b.hidden.storage[$0] }, { b.hidden.storage[$0] = $1 }, b.hidden.count, dHidden))
        return worstError(tensors) { head.forward(b).weighted }
    }

    func testPointwiseHead() {
        for multi in [false, true] {
            let make: (Float, inout RandomSource) -> any SupervisionHead = { alpha, rng in
                PointwiseHead(bits: 3, classCount: 3, multiLabel: multi, includeUnlabelled: true, alpha: alpha, random: &rng)
            }
            XCTAssertLessThanOrEqual(headError(multiLabel: multi, make), 1, "multi-label \(multi)")
            XCTAssertGreaterThan(headError(multiLabel: multi, analyticAlpha: 0.9, make), 1, "a wrong α in backward must fail")
        }
    }

    func testPairwiseHeadOnTrueLabels() {
        for (multi, masked) in [(false, false), (false, true), (true, true)] {
            let make: (Float, inout RandomSource) -> any SupervisionHead = { alpha, rng in
                PairwiseHead(hiddenDimensions: 6, classCount: 3, multiLabel: multi, includeUnlabelled: !masked, similarity: .trueLabels,
                             maskUnlabelledPairs: masked, alpha: alpha, gamma: 2, margin: 1, random: &rng)
            }
            XCTAssertLessThanOrEqual(headError(multiLabel: multi, make), 1, "multi-label \(multi), masked \(masked)")
            XCTAssertGreaterThan(headError(multiLabel: multi, analyticAlpha: 0.9, make), 1, "a wrong α in backward must fail")
        }
    }

    func testPairwiseHeadOnPredictedLabels() {
        for (multi, average, kind) in [(false, true, PairSimilarity.dot), (true, false, .dot), (true, true, .dot), (true, true, .sharedClass),
                                       (false, true, .sharedClass)] {
            let make: (Float, inout RandomSource) -> any SupervisionHead = { alpha, rng in
                PairwiseHead(hiddenDimensions: 6, classCount: 3, multiLabel: multi, includeUnlabelled: !average,
                             averageOverBatch: average, similarity: .predicted, pairSimilarity: kind, alpha: alpha, gamma: 2,
                             margin: 1, random: &rng)
            }
            XCTAssertLessThanOrEqual(headError(multiLabel: multi, make), 1, "multi-label \(multi), average \(average)")
            XCTAssertGreaterThan(headError(multiLabel: multi, analyticAlpha: 0.9, make), 1, "a wrong α in backward must fail")
        }
    }

    /// Pseudo-labels are held fixed: the classifier's gradient is the pointwise term's alone, which
    /// the finite differences see too (a small step never flips a decision here).
    func testPairwiseHeadOnPseudoLabels() {
        for multi in [false, true] {
            let make: (Float, inout RandomSource) -> any SupervisionHead = { alpha, rng in
                PairwiseHead(hiddenDimensions: 6, classCount: 3, multiLabel: multi, similarity: .pseudoLabels,
                             alpha: alpha, gamma: 2, margin: 1, random: &rng)
            }
            XCTAssertLessThanOrEqual(headError(multiLabel: multi, make), 1, "multi-label \(multi)")
            XCTAssertGreaterThan(headError(multiLabel: multi, analyticAlpha: 0.9, make), 1, "a wrong α in backward must fail")
        }
    }

    /// A pair weight of its own (the principled variant's α_pair): the check varies only it, so a
    /// backward pass that scaled the pairwise gradients by α instead must fail.
    func testPairwiseHeadWithItsOwnPairWeight() {
        for similarity in [PairwiseHead.Similarity.predicted, .pseudoLabels, .trueLabels] {
            let make: (Float, inout RandomSource) -> any SupervisionHead = { weight, rng in
                PairwiseHead(hiddenDimensions: 6, classCount: 3, multiLabel: false, similarity: similarity,
                             alpha: 0.7, gamma: 2, pairWeight: 3 * weight, margin: 1, random: &rng)
            }
            XCTAssertLessThanOrEqual(headError(multiLabel: false, make), 1, "\(similarity)")
            XCTAssertGreaterThan(headError(multiLabel: false, analyticAlpha: 0.9, make), 1, "a wrong pair weight in backward must fail")
        }
    }

    func testPseudoLabelsAreTrueLabelsOrTheClassifiersDecision() {
        let predicted = Matrix(rows: 3, columns: 3, storage: [0.2, 0.5, 0.3,   0.6, 0.3, 0.1,   0.1, 0.7, 0.55])
        let labels = Matrix(rows: 3, columns: 3, storage: [0, 0, 1,   0, 0, 0,   0, 0, 0])
        let labelled = [true, false, false]
        XCTAssertEqual(PairwiseHead.pseudoLabels(predicted, labels: labels, labelled: labelled, multiLabel: false).storage,
                       [0, 0, 1,   1, 0, 0,   0, 1, 0])
        XCTAssertEqual(PairwiseHead.pseudoLabels(predicted, labels: labels, labelled: labelled, multiLabel: true).storage,
                       [0, 0, 1,   1, 0, 0,   0, 1, 1])
    }
}
