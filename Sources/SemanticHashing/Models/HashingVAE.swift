/// The variational autoencoder behind the five paper models: an encoder trunk, a latent layer
/// (Bernoulli or Gaussian), a decoder, and an optional supervision head. A training step is the
/// composition of their forward and backward passes.
///
/// ```
/// h = trunk(x)                         b̃ = latent.sample(h)
/// REC, ∂b̃ = decoder.reconstruct(b̃, t)  SUP = head(h, b̃, y)      (∂b̃, ∂h += the head's gradients)
/// BAL, ∂b̃ += λ·∂BAL/∂b̃ (when λ > 0)
/// KL, ∂h += latent.backward(∂b̃, β)      trunk.backward(∂h)
/// total = REC + β·KL + λ·BAL + SUP
/// ```
/// Which latent and head a preset uses is `ModelConfiguration`'s business (see `ModelPreset`).
///
/// ```swift
/// let model = HashingVAE(configuration: config, seed: 20)
/// let losses = model.trainingStep(batch, random: &rng)   // then Adam.step()
/// ```
public final class HashingVAE: HashingModel, @unchecked Sendable {
    public let configuration: ModelConfiguration
    let trunk: EncoderTrunk
    let latent: any LatentLayer
    let head: (any SupervisionHead)?
    let decoder: FeatureDecoder
    /// How codes are read after training (`ModelConfiguration.readsClassesIntoCodes`); nil: the
    /// latent's logits alone, as during training.
    public internal(set) var readout: ClassAlignedReadout?
    /// How the latent's values are read after training: an unsupervised model's codes, a supervised
    /// model's ℓ block (`ModelConfiguration.readsInputIntoCodes(labelledItems:)`); nil: the latent's
    /// code values alone.
    public internal(set) var inputReadout: LatentInputReadout?
    /// How `inputReadout` was chosen, for `train`'s report (nil for a model read from a file).
    public internal(set) var inputReadoutChoice: LatentInputReadout.Choice?

    /// Builds the model with freshly initialised weights. The layers draw from one generator in a
    /// fixed order (trunk, latent, head, decoder), so a seed fixes every initial weight.
    public init(configuration c: ModelConfiguration, seed: UInt64) {
        configuration = c
        var random = RandomSource(seed: seed)
        trunk = EncoderTrunk(inputDimensions: c.inputDimensions, hiddenDimensions: c.hiddenDimensions, random: &random)
        switch c.latent {
        case .bernoulli:
            latent = BernoulliLatent(hiddenDimensions: c.hiddenDimensions, bits: c.bits, temperature: Float(c.temperature), random: &random)
        case .gaussian:
            latent = GaussianLatent(hiddenDimensions: c.hiddenDimensions, bits: c.bits, random: &random)
        }
        head = Self.makeHead(c, random: &random)
        decoder = FeatureDecoder(bits: c.bits, outputDimensions: c.inputDimensions, kind: c.reconstruction, random: &random)
    }

    /// The preset's supervision head with its loss weights and the variant's choices.
    static func makeHead(_ c: ModelConfiguration, random: inout RandomSource) -> (any SupervisionHead)? {
        let (alpha, gamma, pairWeight) = (Float(c.weights.alpha), Float(c.weights.gamma), Float(c.pairWeight))
        // The reference reads an unlabelled item's zero label row as "in no class" (multi-label),
        // and SSB-VAE sums its multi-label pointwise term over the batch.
        let reference = c.variant == .reference
        switch c.supervision {
        case .none:
            return nil
        case .pointwise:
            return PointwiseHead(bits: c.bits, classCount: c.classCount, multiLabel: c.multiLabel,
                                 includeUnlabelled: reference, alpha: alpha, random: &random)
        case .pairwiseTrueLabels:
            return PairwiseHead(hiddenDimensions: c.hiddenDimensions, classCount: c.classCount, multiLabel: c.multiLabel,
                                includeUnlabelled: reference, similarity: .trueLabels, pairSimilarity: c.pairSimilarity,
                                maskUnlabelledPairs: !reference,
                                alpha: alpha, gamma: gamma, pairWeight: pairWeight, margin: c.margin, random: &random)
        case .pairwisePredicted:
            return PairwiseHead(hiddenDimensions: c.hiddenDimensions, classCount: c.classCount, multiLabel: c.multiLabel,
                                includeUnlabelled: reference, averageOverBatch: !reference,
                                similarity: reference ? .predicted : .pseudoLabels,
                                pairSimilarity: c.pairSimilarity,
                                alpha: alpha, gamma: gamma, pairWeight: pairWeight, margin: c.margin, random: &random)
        }
    }

    /// All trainable parameters, in a fixed order.
    public var parameters: [Parameter] {
        trunk.parameters + latent.parameters + (head?.parameters ?? []) + decoder.parameters
    }

    /// Every tensor that defines the model (parameters and BatchNorm moving statistics), by name.
    public var state: [(name: String, value: Matrix)] {
        var out = parameters.map { ($0.name, $0.value) }
        for norm in trunk.norms {
            out.append(("\(norm.name).moving_mean", norm.movingMean))
            out.append(("\(norm.name).moving_variance", norm.movingVariance))
        }
        if let readout { out += readout.state }
        if let inputReadout { out += inputReadout.state }
        return out
    }

    public func load(state tensors: [String: Matrix]) throws {
        try checkShapes(of: tensors)
        // Files written before the readout existed, or by the reference variant, have none of its
        // tensors; some without the others is a damaged file.
        let hasReadout = ClassAlignedReadout.tensorNames.contains { tensors[$0] != nil }
        let readout = !hasReadout ? nil : try ClassAlignedReadout(state: tensors, configuration: configuration)
        let hasInputReadout = LatentInputReadout.tensorNames.contains { tensors[$0] != nil }
        let inputReadout = !hasInputReadout ? nil : try LatentInputReadout(state: tensors, configuration: configuration)
        for p in parameters { p.value = tensors[p.name]! }
        for norm in trunk.norms {
            norm.movingMean = tensors["\(norm.name).moving_mean"]!
            norm.movingVariance = tensors["\(norm.name).moving_variance"]!
        }
        self.readout = readout
        self.inputReadout = inputReadout
    }

    // MARK: Inference

    public func batchCodeValues(_ x: FeatureMatrix) -> Matrix {
        if let readout { return readout.codeValues(self, x) }
        let values = latent.codeValues(trunk(x, training: false))
        if let inputReadout { return inputReadout.codeValues(latent: values, input: x) }
        return values
    }

    /// The latent's code values (logits; μ for a Gaussian latent) of every row, whatever the readout,
    /// 2 048 rows at a time.
    public func latentCodeValues(_ x: FeatureMatrix) -> Matrix {
        x.mapRowBlocks(blockRows: 2048, outputColumns: configuration.bits) { latent.codeValues(trunk($0, training: false)) }
    }

    public func labelProbabilities(_ x: FeatureMatrix) -> Matrix? {
        guard let head else { return nil }
        let h = trunk(x, training: false)
        return head.labelProbabilities(hidden: h, codeValues: latent.codeValues(h))
    }

    // MARK: Training

    /// Forward and backward pass on one batch: accumulates every parameter's gradient of the total
    /// loss and returns the loss terms. `random` draws the latent noise.
    public func trainingStep(_ batch: TrainingBatch, random: inout RandomSource) -> LossBreakdown {
        let beta = Float(configuration.klWeight)
        var losses = LossBreakdown()
        // Each part's work is timed as its own phase when a `PhaseProfiler` is installed (the
        // products and sparse kernels inside them count as theirs).
        let hidden = PhaseProfiler.during(.normalization) { trunk(batch.features, training: true) }
        let code = PhaseProfiler.during(.latent) { latent.sample(hidden, random: &random) }
        var (reconstruction, codeGradient) = PhaseProfiler.during(.reconstruction) { decoder.reconstruct(code, target: batch.target) }
        losses.reconstruction = reconstruction
        var hiddenGradient = Matrix(rows: batch.count, columns: hidden.columns)
        var supervision: SupervisionLoss?
        if let head {
            PhaseProfiler.during(.supervision) {
                supervision = head.forward(SupervisionBatch(hidden: hidden, code: code, labels: batch.labels, labelled: batch.labelled))
                head.backward(codeGradient: &codeGradient, hiddenGradient: &hiddenGradient)
            }
        }
        let balanceWeight = Float(configuration.bitBalance)
        if balanceWeight > 0 {
            PhaseProfiler.during(.supervision) {
                let balance = BitBalanceLoss.evaluate(codes: code)
                losses.balance = balance.value
                codeGradient.add(balance.gradient, scaledBy: balanceWeight)
            }
        }
        losses.kl = PhaseProfiler.during(.latent) { latent.backward(sampleGradient: codeGradient, klWeight: beta, into: &hiddenGradient) }
        PhaseProfiler.during(.normalization) { trunk.backward(hiddenGradient) }
        losses.total = losses.reconstruction + beta * losses.kl
        if balanceWeight > 0 { losses.total += balanceWeight * losses.balance }
        if let supervision {
            losses.pointwise = supervision.pointwise
            losses.pairwise = supervision.pairwise
            losses.total += supervision.weighted
        }
        return losses
    }
}
