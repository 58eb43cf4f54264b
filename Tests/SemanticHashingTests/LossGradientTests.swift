import XCTest
@testable import SemanticHashing

/// Each loss term's value against hand computation and its gradient against finite differences.
final class LossGradientTests: XCTestCase {
    func testDistributionReconstructionValueAndGradient() {
        var logits = GradientChecker.random(3, 6, seed: 11, scale: 2)
        let counts = SparseMatrix(rows: 3, columns: 6, entries: [(0, 1, 2), (0, 4, 1), (1, 0, 5), (1, 5, 5)])  // row 2 empty
        let target = FeatureMatrix.sparse(counts)
        let result = ReconstructionLoss.distribution(logits: logits, target: target)
        let p = Activations.softmaxRows(logits)
        let expected = (-(2.0 / 3) * log(Double(p[0, 1])) - (1.0 / 3) * log(Double(p[0, 4]))
                        - 0.5 * log(Double(p[1, 0])) - 0.5 * log(Double(p[1, 5]))) / 3
        XCTAssertEqual(Double(result.value), expected, accuracy: 1e-5)
        XCTAssertEqual(result.gradient.row(2), [Float](repeating: 0, count: 6))
        GradientChecker.check("logits", matrix: &logits, analytic: result.gradient,
                              loss: { ReconstructionLoss.distribution(logits: $0, target: target).value }, step: 1e-3)
    }

    func testDistributionReconstructionClipHasNoGradient() {
        // x̂_1 ≈ e^-30 < 1e-7: its log is clipped, so only the s'·x̂ part remains (here s' = 0).
        let logits = Matrix([[30, 0]])
        let result = ReconstructionLoss.distribution(logits: logits, target: .dense(Matrix([[0, 1]])))
        XCTAssertEqual(result.value, -log(1e-7 as Float), accuracy: 1e-3)
        XCTAssertEqual(result.gradient[0, 1], 0)
    }

    func testGaussianReconstruction() {
        var out = GradientChecker.random(2, 3, seed: 12)
        let target = FeatureMatrix.dense(GradientChecker.random(2, 3, seed: 13))
        let r = ReconstructionLoss.gaussian(outputs: out, target: target)
        GradientChecker.check("outputs", matrix: &out, analytic: r.gradient,
                              loss: { ReconstructionLoss.gaussian(outputs: $0, target: target).value }, step: 1e-3)
    }

    func testBernoulliKL() {
        // p = ½ everywhere: KL = 0.
        XCTAssertEqual(KLDivergence.bernoulli(logits: Matrix(rows: 2, columns: 4)).value, 0, accuracy: 1e-5)
        var logits = GradientChecker.random(3, 4, seed: 14, scale: 3)
        let r = KLDivergence.bernoulli(logits: logits)
        GradientChecker.check("logits", matrix: &logits, analytic: r.gradient, loss: { KLDivergence.bernoulli(logits: $0).value }, step: 1e-3)
    }

    func testGaussianKL() {
        XCTAssertEqual(KLDivergence.gaussian(mean: Matrix([[0]]), logVariance: Matrix([[0]])).value, 0)
        // μ = 1, logσ² = 0: KL = ½.
        XCTAssertEqual(KLDivergence.gaussian(mean: Matrix([[1]]), logVariance: Matrix([[0]])).value, 0.5, accuracy: 1e-6)
        var mean = GradientChecker.random(2, 3, seed: 15)
        var logVar = GradientChecker.random(2, 3, seed: 16)
        let r = KLDivergence.gaussian(mean: mean, logVariance: logVar)
        let lv = logVar, mu = mean
        GradientChecker.check("mean", matrix: &mean, analytic: r.meanGradient,
                              loss: { KLDivergence.gaussian(mean: $0, logVariance: lv).value }, step: 1e-3)
        GradientChecker.check("logVariance", matrix: &logVar, analytic: r.logVarianceGradient,
                              loss: { KLDivergence.gaussian(mean: mu, logVariance: $0).value }, step: 1e-3)
    }

    func testSoftmaxCrossEntropyThroughSoftmax() {
        var logits = GradientChecker.random(4, 3, seed: 17, scale: 2)
        let labels = Matrix([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 1, 0]])  // item 2 unlabelled
        let loss: (Matrix) -> Float = { PointwiseLoss.softmaxCrossEntropy(probabilities: Activations.softmaxRows($0), labels: labels).value }
        let r = PointwiseLoss.softmaxCrossEntropy(probabilities: Activations.softmaxRows(logits), labels: labels)
        let p = Activations.softmaxRows(logits)
        XCTAssertEqual(Double(r.value), -(log(Double(p[0, 0])) + log(Double(p[1, 2])) + log(Double(p[3, 1]))) / 4, accuracy: 1e-5)
        XCTAssertEqual(r.gradient.row(2), [0, 0, 0])
        GradientChecker.check("logits", matrix: &logits, analytic: r.gradient, loss: loss, step: 1e-3)
    }

    func testBinaryCrossEntropyThroughSigmoid() {
        var logits = GradientChecker.random(3, 4, seed: 18, scale: 2)
        let labels = Matrix([[1, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0]])
        let labelled = [true, false, true]
        for (include, average) in [(true, true), (false, true), (true, false)] {
            let loss: (Matrix) -> Float = {
                PointwiseLoss.binaryCrossEntropy(probabilities: Activations.sigmoid($0), labels: labels, labelled: labelled,
                                                 includeUnlabelled: include, averageOverBatch: average).value
            }
            let r = PointwiseLoss.binaryCrossEntropy(probabilities: Activations.sigmoid(logits), labels: labels, labelled: labelled,
                                                     includeUnlabelled: include, averageOverBatch: average)
            if !include { XCTAssertEqual(r.gradient.row(1), [0, 0, 0, 0]) }
            GradientChecker.check("logits", matrix: &logits, analytic: r.gradient, loss: loss, step: 1e-3)
        }
    }

    func testPairwiseValueByHand() {
        // Two items, B = 3 (m = 1): D = 2 for codes (1,1,0) and (0,0,0).
        let codes = Matrix([[1, 1, 0], [0, 0, 0]])
        let similar = PairwiseLoss.evaluate(codes: codes, similarity: Matrix([[1, 1], [1, 1]]))
        XCTAssertEqual(similar.value, (2 + 2) / 3, accuracy: 1e-6)  // s·D over the two ordered off-diagonal pairs
        let dissimilar = PairwiseLoss.evaluate(codes: codes, similarity: Matrix([[0, 0], [0, 0]]))
        XCTAssertEqual(dissimilar.value, 2.0 / 3, accuracy: 1e-6)  // diagonal pairs: max(0, 1 − 0) each; D=2 > m
    }

    func testPairwiseGradients() {
        var codes = GradientChecker.random(5, 6, seed: 19)
        for i in codes.storage.indices { codes.storage[i] = 0.5 + 0.5 * codes.storage[i] }
        var similarity = GradientChecker.random(5, 5, seed: 20)
        for i in 0..<5 { for j in 0..<5 { similarity[i, j] = abs(similarity[i, j] + similarity[j, i]) / 2 } }
        let mask = Matrix((0..<5).map { i in (0..<5).map { j in (i == 3 || j == 3) ? 0 : 1 } })
        for m in [nil, mask] {
            let r = PairwiseLoss.evaluate(codes: codes, similarity: similarity, pairMask: m)
            let s = similarity, c = codes
            GradientChecker.check("codes", matrix: &codes, analytic: r.codeGradient,
                                  loss: { PairwiseLoss.evaluate(codes: $0, similarity: s, pairMask: m).value }, step: 1e-3)
            GradientChecker.check("similarity", matrix: &similarity, analytic: r.similarityGradient,
                                  loss: { PairwiseLoss.evaluate(codes: c, similarity: $0, pairMask: m).value }, step: 1e-3)
        }
    }

    func testSharedClassSimilarityValueAndGradient() {
        // Hand-computed: y₀ = (½, ½), y₁ = (1, 0): s₀₁ = 1 − (1 − ½)(1 − 0) = ½; s₀₀ = 1 − (¾)(¾) = 7/16.
        let s = PairSimilarity.sharedClass.matrix(Matrix([[0.5, 0.5], [1, 0]]))
        XCTAssertEqual(s[0, 1], 0.5, accuracy: 1e-6)
        XCTAssertEqual(s[1, 0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(s[0, 0], 7.0 / 16, accuracy: 1e-6)
        XCTAssertEqual(s[1, 1], 1, accuracy: 1e-6)
        // One-hot rows: identical to the dot product (same class ⇔ share a class).
        let oneHot = Matrix([[1, 0, 0], [0, 1, 0], [1, 0, 0]])
        XCTAssertEqual(PairSimilarity.sharedClass.matrix(oneHot), PairSimilarity.dot.matrix(oneHot))
        // Multi-hot rows sharing two classes: dot gives 2, shared-class stays 1.
        let multi = Matrix([[1, 1, 0], [1, 1, 1]])
        XCTAssertEqual(PairSimilarity.dot.matrix(multi)[0, 1], 2)
        XCTAssertEqual(PairSimilarity.sharedClass.matrix(multi)[0, 1], 1)
        for kind in PairSimilarity.allCases {
            var y = GradientChecker.random(4, 3, seed: 21)
            for i in y.storage.indices { y.storage[i] = 0.5 + 0.45 * y.storage[i] }
            let weights = GradientChecker.random(4, 4, seed: 22)
            func loss(_ m: Matrix) -> Float {
                let s = kind.matrix(m)
                return zip(s.storage, weights.storage).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let analytic = kind.backward(y, similarityGradient: weights)
            GradientChecker.check("\(kind)", matrix: &y, analytic: analytic, loss: loss, step: 1e-3)
        }
    }

    func testBitBalanceValueAndGradient() {
        // Two items, two bits, u = 2b − 1: rows (1, 1) and (−1, 1): m = (0, 1), C₀₁ = (1·1 + (−1)·1)/2 = 0.
        let balanced = BitBalanceLoss.evaluate(codes: Matrix([[1, 1], [0, 1]]))
        XCTAssertEqual(balanced.value, 0.5, accuracy: 1e-6, "only bit 1 is unbalanced: (1/B)·1² = ½")
        // Perfectly balanced and uncorrelated bits cost nothing.
        XCTAssertEqual(BitBalanceLoss.evaluate(codes: Matrix([[1, 1], [0, 0], [1, 0], [0, 1]])).value, 0, accuracy: 1e-6)
        var codes = GradientChecker.random(6, 4, seed: 23)
        for i in codes.storage.indices { codes.storage[i] = 0.5 + 0.45 * codes.storage[i] }
        let r = BitBalanceLoss.evaluate(codes: codes)
        GradientChecker.check("codes", matrix: &codes, analytic: r.gradient, loss: { BitBalanceLoss.evaluate(codes: $0).value }, step: 1e-3)
    }
}
