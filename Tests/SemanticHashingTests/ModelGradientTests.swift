import XCTest
@testable import SemanticHashing

/// The whole model's backward pass (all loss terms together, every preset) against finite
/// differences of the total loss, with the relaxation noise held fixed.
final class ModelGradientTests: XCTestCase {
    private func batch(multiLabel: Bool, sparse: Bool) -> TrainingBatch {
        let n = 6, d = 10, c = 3
        var rng = RandomSource(seed: 30)
        var entries: [(Int, Int, Float)] = []
        for i in 0..<n { for j in 0..<d where rng.uniform() < 0.4 || j == i { entries.append((i, j, Float(1 + rng.integer(below: 3)))) } }
        let counts = SparseMatrix(rows: n, columns: d, entries: entries)
        let features = counts.mapValues { log(1 + $0) }
        var labels = Matrix(rows: n, columns: c)
        var labelled = [Bool](repeating: false, count: n)
        for i in 0..<n where i != 2 {  // item 2 unlabelled
            labelled[i] = true
            labels[i, i % c] = 1
            if multiLabel && i % 2 == 0 { labels[i, (i + 1) % c] = 1 }
        }
        return TrainingBatch(features: sparse ? .sparse(features) : .dense(features.densified()),
                             target: .sparse(counts), labels: labels, labelled: labelled)
    }

    private func checkModel(_ preset: ModelPreset, multiLabel: Bool = false, variant: ModelVariant = .reference,
                            sparse: Bool = false, gaussianDecoder: Bool = false, similarity: PairSimilarity = .dot,
                            bitBalance: Double = 0, file: StaticString = #filePath, line: UInt = #line) {
        let config = ModelConfiguration(preset: preset, bits: 4, inputDimensions: 10, classCount: 3, multiLabel: multiLabel,
                                        reconstruction: gaussianDecoder ? .gaussian : .distribution,
                                        weights: LossWeights(alpha: 0.5, beta: 0.3, gamma: 2), variant: variant,
                                        hiddenDimensions: 7, pairSimilarity: similarity, bitBalance: bitBalance)
        let model = HashingVAE(configuration: config, seed: 31)
        var b = batch(multiLabel: multiLabel, sparse: sparse)
        if gaussianDecoder {
            // Continuous features reconstructed by squared error. (Centred around 1: with six items and
            // inputs around 0, some ReLU units fire for one item only, BatchNorm's variance is then
            // near its ε and finite differences lose their precision.)
            var x = GradientChecker.random(b.count, 10, seed: 33, scale: 0.5)
            for i in x.storage.indices { x.storage[i] += 1 }
            b = TrainingBatch(features: .dense(x), target: .dense(x), labels: b.labels, labelled: b.labelled)
        }
        let noise = RandomSource(seed: 32)
        var r = noise
        let losses = model.trainingStep(b, random: &r)
        XCTAssertTrue(losses.total.isFinite)
        if config.supervision != .none { XCTAssertGreaterThan(losses.pointwise, 0, file: file, line: line) }
        let gradients = model.parameters.map { $0.rowSparseGradient?.densified() ?? $0.gradient }
        func total() -> Float {
            var again = noise
            for p in model.parameters { p.zeroGradient() }
            return model.trainingStep(b, random: &again).total
        }
        for (p, g) in zip(model.parameters, gradients) {
            GradientChecker.check(p, analytic: g, loss: total, step: 2e-3, tolerance: 3e-2, file: file, line: line)
        }
    }

    func testVDSH() { checkModel(.vdsh) }
    func testBVAE() { checkModel(.bvae) }
    func testVDSHS() { checkModel(.vdshS) }
    func testVDSHGaussianDecoder() { checkModel(.vdsh, gaussianDecoder: true) }
    func testSSBVAEGaussianDecoder() { checkModel(.ssbVAE, gaussianDecoder: true) }
    func testPHSGS() { checkModel(.phsGS) }
    func testPHSGSPrincipled() { checkModel(.phsGS, variant: .principled) }
    func testSSBVAE() { checkModel(.ssbVAE) }
    func testSSBVAESparseInput() { checkModel(.ssbVAE, sparse: true) }
    func testSSBVAEMultiLabel() { checkModel(.ssbVAE, multiLabel: true) }
    func testPHSGSMultiLabelPrincipled() { checkModel(.phsGS, multiLabel: true, variant: .principled) }
    func testSSBVAEMultiLabelSharedClassWithBitBalance() {
        checkModel(.ssbVAE, multiLabel: true, variant: .principled, similarity: .sharedClass, bitBalance: 2)
    }
    func testBVAEWithBitBalance() { checkModel(.bvae, bitBalance: 2) }
}
