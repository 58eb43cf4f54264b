import Foundation

/// One mini-batch as the model trains on it.
public struct TrainingBatch: Sendable {
    /// Encoder input x (n × D).
    public var features: FeatureMatrix
    /// Reconstruction target before per-row normalisation (n × D).
    public var target: FeatureMatrix
    /// Label indicator rows y (n × C), all-zero for unlabelled items.
    public var labels: Matrix
    /// Whether each item carries labels.
    public var labelled: [Bool]

    public init(features: FeatureMatrix, target: FeatureMatrix, labels: Matrix, labelled: [Bool]) {
        precondition(features.rows == target.rows && features.rows == labels.rows && labelled.count == features.rows,
                     "TrainingBatch: parts have different item counts")
        self.features = features
        self.target = target
        self.labels = labels
        self.labelled = labelled
    }
}

/// The loss terms of one step, unweighted, and the weighted total.
public struct LossBreakdown: Sendable {
    public var total: Float = 0
    public var reconstruction: Float = 0
    public var kl: Float = 0
    public var pointwise: Float = 0
    public var pairwise: Float = 0

    static func + (a: LossBreakdown, b: LossBreakdown) -> LossBreakdown {
        LossBreakdown(total: a.total + b.total, reconstruction: a.reconstruction + b.reconstruction, kl: a.kl + b.kl,
                      pointwise: a.pointwise + b.pointwise, pairwise: a.pairwise + b.pairwise)
    }
    func scaled(by s: Float) -> LossBreakdown {
        LossBreakdown(total: total * s, reconstruction: reconstruction * s, kl: kl * s, pointwise: pointwise * s, pairwise: pairwise * s)
    }
}

/// The variational autoencoder shared by all five models (SPEC §2), with binary or Gaussian latents.
///
/// ```
/// h    = BN(ReLU(Dense₅₀₀(BN(ReLU(Dense₅₀₀(x))))))
/// ℓ    = Dense_B(h)                                   Bernoulli: bit = [ℓ > 0]
/// b̃    = σ((ℓ + log(u+ε) − log(1−u+ε)) / τ)            u ~ U(0,1), τ = 0.67
/// μ, logσ² = Dense_B(h), Dense_B(h)                   Gaussian:  bit = [μ > 0],  z = μ + σ·n
/// x̂    = softmax(Dense_D(b̃ or z))                     (linear for Gaussian reconstruction)
/// ŷ    = softmax|sigmoid(Dense_C(h))  (PHS-GS, SSB-VAE)   Dense_C(z) (VDSH-S)
/// ```
///
/// ```swift
/// let model = HashingVAE(configuration: config, seed: 20)
/// let losses = model.trainingStep(batch, random: &rng)   // then Adam.step()
/// ```
public final class HashingVAE: @unchecked Sendable {
    public let configuration: ModelConfiguration
    let hidden1: Dense
    let norm1: BatchNorm
    let hidden2: Dense
    let norm2: BatchNorm
    /// Logits (Bernoulli) or means (Gaussian) of the code.
    let codeHead: Dense
    let logVarianceHead: Dense?
    let labelHead: Dense?
    let decoder: Dense

    public init(configuration c: ModelConfiguration, seed: UInt64) {
        configuration = c
        var random = RandomSource(seed: seed)
        hidden1 = Dense(inputDimensions: c.inputDimensions, outputDimensions: c.hiddenDimensions, random: &random, name: "encoder.dense1")
        norm1 = BatchNorm(features: c.hiddenDimensions, name: "encoder.norm1")
        hidden2 = Dense(inputDimensions: c.hiddenDimensions, outputDimensions: c.hiddenDimensions, random: &random, name: "encoder.dense2")
        norm2 = BatchNorm(features: c.hiddenDimensions, name: "encoder.norm2")
        codeHead = Dense(inputDimensions: c.hiddenDimensions, outputDimensions: c.bits, random: &random,
                         name: c.latent == .bernoulli ? "encoder.logits" : "encoder.mean")
        logVarianceHead = c.latent == .gaussian
            ? Dense(inputDimensions: c.hiddenDimensions, outputDimensions: c.bits, random: &random, name: "encoder.logvar") : nil
        switch c.supervision {
        case .none: labelHead = nil
        case .pointwise: labelHead = Dense(inputDimensions: c.bits, outputDimensions: c.classCount, random: &random, name: "classifier")
        case .pairwiseTrueLabels, .pairwisePredicted:
            labelHead = Dense(inputDimensions: c.hiddenDimensions, outputDimensions: c.classCount, random: &random, name: "classifier")
        }
        decoder = Dense(inputDimensions: c.bits, outputDimensions: c.inputDimensions, random: &random, name: "decoder")
    }

    var denseLayers: [Dense] { [hidden1, hidden2, codeHead] + [logVarianceHead, labelHead].compactMap { $0 } + [decoder] }

    /// All trainable parameters, in a fixed order.
    public var parameters: [Parameter] {
        hidden1.parameters + norm1.parameters + hidden2.parameters + norm2.parameters + codeHead.parameters
            + (logVarianceHead?.parameters ?? []) + (labelHead?.parameters ?? []) + decoder.parameters
    }

    /// Every tensor that defines the model (parameters and BatchNorm moving statistics), by name.
    public var state: [(name: String, value: Matrix)] {
        var out = parameters.map { ($0.name, $0.value) }
        for norm in [norm1, norm2] {
            out.append(("\(norm.gamma.name.dropLast(6)).moving_mean", norm.movingMean))
            out.append(("\(norm.gamma.name.dropLast(6)).moving_variance", norm.movingVariance))
        }
        return out
    }

    /// Replaces every tensor from `tensors` (name → matrix); the names and shapes must match `state`.
    public func load(state tensors: [String: Matrix]) throws {
        for (name, current) in state {
            guard let t = tensors[name] else { throw SemanticHashingError.malformedInput(location: "model", reason: "missing tensor '\(name)'") }
            guard t.rows == current.rows && t.columns == current.columns else {
                throw SemanticHashingError.malformedInput(location: "model", reason: "tensor '\(name)' is \(t.rows)×\(t.columns), expected \(current.rows)×\(current.columns)")
            }
        }
        for p in parameters { p.value = tensors[p.name]! }
        for norm in [norm1, norm2] {
            let base = String(norm.gamma.name.dropLast(6))
            norm.movingMean = tensors["\(base).moving_mean"]!
            norm.movingVariance = tensors["\(base).moving_variance"]!
        }
    }

    // MARK: Inference

    private func encodeHidden(_ x: FeatureMatrix, training: Bool) -> Matrix {
        let a1 = norm1(Activations.relu(training ? hidden1(x) : hidden1.apply(x)), training: training)
        return norm2(Activations.relu(training ? hidden2(.dense(a1)) : hidden2.apply(.dense(a1))), training: training)
    }

    /// The deterministic code values, n × B: logits (Bernoulli) or means (Gaussian); bit = value > 0.
    /// Processes `x` in chunks so memory stays flat on large inputs.
    public func codeValues(_ x: FeatureMatrix, chunkSize: Int = 2048) -> Matrix {
        var out = Matrix(rows: x.rows, columns: configuration.bits)
        var start = 0
        while start < x.rows {
            let end = min(start + chunkSize, x.rows)
            let part = codeHead.apply(.dense(encodeHidden(x.gatherRows(Array(start..<end)), training: false)))
            for i in 0..<part.storage.count { out.storage[start * configuration.bits + i] = part.storage[i] }
            start = end
        }
        return out
    }

    /// Predicted label distributions ŷ (n × C) of the label head, or nil for models without one.
    /// (VDSH-S' head reads the code, here its mean.)
    public func labelProbabilities(_ x: FeatureMatrix) -> Matrix? {
        guard let head = labelHead else { return nil }
        let h = encodeHidden(x, training: false)
        let input = configuration.supervision == .pointwise ? codeHead.apply(.dense(h)) : h
        let logits = head.apply(.dense(input))
        return configuration.multiLabel ? Activations.sigmoid(logits) : Activations.softmaxRows(logits)
    }

    // MARK: Training

    /// Forward and backward pass on one batch: accumulates every parameter's gradient of the total
    /// loss and returns the loss terms. `random` draws the relaxation noise.
    public func trainingStep(_ batch: TrainingBatch, random: inout RandomSource) -> LossBreakdown {
        let c = configuration
        let n = batch.features.rows
        let (alpha, beta, gamma) = (Float(c.weights.alpha), Float(c.weights.beta), Float(c.weights.gamma))
        var losses = LossBreakdown()

        // Encoder trunk.
        let z1 = hidden1(batch.features)
        let r1 = Activations.relu(z1)
        let a1 = norm1(r1, training: true)
        let z2 = hidden2(.dense(a1))
        let r2 = Activations.relu(z2)
        let h = norm2(r2, training: true)

        // Latent sample.
        let codeOut = codeHead(.dense(h))
        var sample = codeOut
        var gaussianNoise = Matrix(rows: 0, columns: 0)
        var logVariance = Matrix(rows: 0, columns: 0)
        switch c.latent {
        case .bernoulli:
            let tau = Float(c.temperature), eps: Float = 1e-7
            for i in sample.storage.indices {
                let u = random.uniform()
                let noise = Foundation.log(u + eps) - Foundation.log(1 - u + eps)
                sample.storage[i] = Activations.sigmoid((codeOut.storage[i] + noise) / tau)
            }
        case .gaussian:
            logVariance = logVarianceHead!(.dense(h))
            gaussianNoise = Matrix(rows: n, columns: c.bits)
            for i in sample.storage.indices {
                gaussianNoise.storage[i] = random.normal()
                sample.storage[i] = codeOut.storage[i] + Foundation.exp(0.5 * logVariance.storage[i]) * gaussianNoise.storage[i]
            }
        }

        // Reconstruction.
        let decoded = decoder(.dense(sample))
        let rec: LossValue
        if c.reconstruction == .distribution {
            rec = ReconstructionLoss.distribution(logits: consume decoded, target: batch.target)
        } else {
            rec = ReconstructionLoss.gaussian(outputs: consume decoded, target: batch.target)
        }
        losses.reconstruction = rec.value
        var dSample = decoder.backward(rec.gradient)!

        // Supervision.
        var dHidden = Matrix(rows: n, columns: c.hiddenDimensions)
        if let head = labelHead {
            let headInput = c.supervision == .pointwise ? sample : h
            let headLogits = head(.dense(headInput))
            let predicted = c.multiLabel ? Activations.sigmoid(headLogits) : Activations.softmaxRows(headLogits)
            let point: LossValue
            if c.multiLabel {
                let reference = c.variant == .reference
                point = PointwiseLoss.binaryCrossEntropy(
                    probabilities: predicted, labels: batch.labels, labelled: batch.labelled,
                    includeUnlabelled: reference, averageOverBatch: !(reference && c.supervision == .pairwisePredicted))
            } else {
                point = PointwiseLoss.softmaxCrossEntropy(probabilities: predicted, labels: batch.labels)
            }
            losses.pointwise = point.value
            let pointWeight = c.supervision == .pointwise ? alpha : alpha * gamma
            var dHeadLogits = point.gradient
            scale(&dHeadLogits, by: pointWeight)

            if c.supervision == .pairwiseTrueLabels || c.supervision == .pairwisePredicted {
                let source = c.supervision == .pairwisePredicted ? predicted : batch.labels
                let similarity = LinearAlgebra.product(source, source, transposeB: true)
                var mask: Matrix?
                if c.supervision == .pairwiseTrueLabels && c.variant == .principled {
                    var m = Matrix(rows: n, columns: n)
                    for i in 0..<n where batch.labelled[i] { for j in 0..<n where batch.labelled[j] { m[i, j] = 1 } }
                    mask = m
                }
                let pair = PairwiseLoss.evaluate(codes: sample, similarity: similarity, pairMask: mask, margin: c.margin)
                losses.pairwise = pair.value
                addScaled(pair.codeGradient, alpha, to: &dSample)
                if c.supervision == .pairwisePredicted {
                    // ∂Ŷ = (∂S + ∂Sᵀ)·Ŷ, then through the head's activation.
                    var dSym = pair.similarityGradient
                    for i in 0..<n { for j in 0..<n { dSym[i, j] = pair.similarityGradient[i, j] + pair.similarityGradient[j, i] } }
                    let dPredicted = LinearAlgebra.product(dSym, predicted)
                    let dLogits = activationBackward(predicted: predicted, gradient: dPredicted, multiLabel: c.multiLabel)
                    addScaled(dLogits, alpha, to: &dHeadLogits)
                }
            }
            let dHeadInput = head.backward(dHeadLogits)!
            if c.supervision == .pointwise { addScaled(dHeadInput, 1, to: &dSample) } else { addScaled(dHeadInput, 1, to: &dHidden) }
        }

        // Through the sampler into the code head, plus the KL term.
        switch c.latent {
        case .bernoulli:
            let kl = KLDivergence.bernoulli(logits: codeOut)
            losses.kl = kl.value
            let invTau = 1 / Float(c.temperature)
            var dLogits = kl.gradient
            for i in dLogits.storage.indices {
                let s = sample.storage[i]
                dLogits.storage[i] = beta * dLogits.storage[i] + dSample.storage[i] * s * (1 - s) * invTau
            }
            addScaled(codeHead.backward(dLogits)!, 1, to: &dHidden)
        case .gaussian:
            let kl = KLDivergence.gaussian(mean: codeOut, logVariance: logVariance)
            losses.kl = kl.value
            var dMean = kl.meanGradient, dLogVar = kl.logVarianceGradient
            for i in dMean.storage.indices {
                dMean.storage[i] = beta * dMean.storage[i] + dSample.storage[i]
                let sigmaNoise = Foundation.exp(0.5 * logVariance.storage[i]) * gaussianNoise.storage[i]
                dLogVar.storage[i] = beta * dLogVar.storage[i] + dSample.storage[i] * 0.5 * sigmaNoise
            }
            addScaled(codeHead.backward(dMean)!, 1, to: &dHidden)
            addScaled(logVarianceHead!.backward(dLogVar)!, 1, to: &dHidden)
        }

        // Encoder trunk.
        let dR2 = Activations.reluBackward(output: r2, gradient: norm2.backward(dHidden))
        let dA1 = hidden2.backward(dR2)!
        let dR1 = Activations.reluBackward(output: r1, gradient: norm1.backward(dA1))
        hidden1.backward(dR1, needInputGradient: false)

        switch c.supervision {
        case .none: losses.total = losses.reconstruction + beta * losses.kl
        case .pointwise: losses.total = losses.reconstruction + beta * losses.kl + alpha * losses.pointwise
        case .pairwiseTrueLabels, .pairwisePredicted:
            losses.total = losses.reconstruction + beta * losses.kl + alpha * (gamma * losses.pointwise + losses.pairwise)
        }
        return losses
    }

    /// ∂ℓ from ∂ŷ through softmax (rows) or sigmoid (elementwise).
    private func activationBackward(predicted: Matrix, gradient: Matrix, multiLabel: Bool) -> Matrix {
        var out = gradient
        let k = predicted.columns
        if multiLabel {
            for i in out.storage.indices { let p = predicted.storage[i]; out.storage[i] = gradient.storage[i] * p * (1 - p) }
        } else {
            for i in 0..<predicted.rows {
                var dot: Float = 0
                for j in 0..<k { dot += gradient.storage[i * k + j] * predicted.storage[i * k + j] }
                for j in 0..<k { out.storage[i * k + j] = predicted.storage[i * k + j] * (gradient.storage[i * k + j] - dot) }
            }
        }
        return out
    }
}

@inline(__always)
func scale(_ m: inout Matrix, by s: Float) {
    m.storage.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= s } }
}

@inline(__always)
func addScaled(_ x: Matrix, _ s: Float, to y: inout Matrix) {
    precondition(x.rows == y.rows && x.columns == y.columns, "addScaled: shapes differ")
    x.storage.withUnsafeBufferPointer { xp in
        y.storage.withUnsafeMutableBufferPointer { yp in for i in yp.indices { yp[i] += s * xp[i] } }
    }
}
