import Foundation

/// Bernoulli bits, relaxed while training by the binary concrete (Gumbel-sigmoid) trick.
///
/// ```
/// ℓ = Dense_B(h),  p = σ(ℓ)
/// sample:    b̃ = σ((ℓ + log(u + ε) − log(1 − u + ε)) / τ),   u ~ U(0, 1), ε = 1e-7
/// backward:  ∂ℓ = β·∂KL/∂ℓ + ∂b̃ ⊙ b̃(1 − b̃)/τ
/// KL against Bernoulli(½): see `KLDivergence.bernoulli`;   bit = [ℓ > 0]
/// ```
///
/// ```swift
/// let latent = BernoulliLatent(hiddenDimensions: 500, bits: 16, temperature: 0.67, random: &rng)
/// let b = latent.sample(h, random: &noise)
/// ```
public final class BernoulliLatent: LatentLayer, @unchecked Sendable {
    let logits: Dense
    public let temperature: Float
    private var lastLogits = Matrix(rows: 0, columns: 0)
    private var lastSample = Matrix(rows: 0, columns: 0)

    public init(hiddenDimensions: Int, bits: Int, temperature: Float, random: inout RandomSource) {
        logits = Dense(inputDimensions: hiddenDimensions, outputDimensions: bits, random: &random, name: "encoder.logits")
        self.temperature = temperature
    }

    public var parameters: [Parameter] { logits.parameters }

    public func codeValues(_ hidden: Matrix) -> Matrix { logits.apply(.dense(hidden)) }

    public func sample(_ hidden: Matrix, random: inout RandomSource) -> Matrix {
        lastLogits = logits(.dense(hidden))
        var sample = lastLogits
        let eps: Float = 1e-7
        for i in sample.storage.indices {
            let u = random.uniform()
            let noise = Foundation.log(u + eps) - Foundation.log(1 - u + eps)
            sample.storage[i] = Activations.sigmoid((lastLogits.storage[i] + noise) / temperature)
        }
        lastSample = sample
        return sample
    }

    public func backward(sampleGradient: Matrix, klWeight beta: Float, into hiddenGradient: inout Matrix) -> Float {
        let kl = KLDivergence.bernoulli(logits: lastLogits)
        let invTau = 1 / temperature
        var dLogits = kl.gradient
        for i in dLogits.storage.indices {
            let s = lastSample.storage[i]
            dLogits.storage[i] = beta * dLogits.storage[i] + sampleGradient.storage[i] * s * (1 - s) * invTau
        }
        hiddenGradient.add(logits.backward(dLogits)!)
        return kl.value
    }
}
