import Foundation

/// Gaussian latent variables, reparameterised; a bit is the sign of the mean.
///
/// ```
/// μ = Dense_B(h),  logσ² = Dense_B(h)
/// sample:    z = μ + exp(½·logσ²)·n,   n ~ N(0, 1)
/// backward:  ∂μ = β·∂KL/∂μ + ∂z,   ∂logσ² = β·∂KL/∂logσ² + ∂z ⊙ ½·σ·n
/// KL against N(0, 1): see `KLDivergence.gaussian`;   bit = [μ > 0]
/// ```
///
/// ```swift
/// let latent = GaussianLatent(hiddenDimensions: 500, bits: 16, random: &rng)
/// let z = latent.sample(h, random: &noise)
/// ```
public final class GaussianLatent: LatentLayer, @unchecked Sendable {
    let mean: Dense
    let logVariance: Dense
    private var lastMean = Matrix(rows: 0, columns: 0)
    private var lastLogVariance = Matrix(rows: 0, columns: 0)
    private var lastNoise = Matrix(rows: 0, columns: 0)

    public init(hiddenDimensions: Int, bits: Int, random: inout RandomSource) {
        mean = Dense(inputDimensions: hiddenDimensions, outputDimensions: bits, random: &random, name: "encoder.mean")
        logVariance = Dense(inputDimensions: hiddenDimensions, outputDimensions: bits, random: &random, name: "encoder.logvar")
    }

    public var parameters: [Parameter] { mean.parameters + logVariance.parameters }

    public func codeValues(_ hidden: Matrix) -> Matrix { mean.apply(.dense(hidden)) }

    public func sample(_ hidden: Matrix, random: inout RandomSource) -> Matrix {
        lastMean = mean(.dense(hidden))
        lastLogVariance = logVariance(.dense(hidden))
        lastNoise = Matrix(rows: lastMean.rows, columns: lastMean.columns)
        var sample = lastMean
        for i in sample.storage.indices {
            lastNoise.storage[i] = random.normal()
            sample.storage[i] = lastMean.storage[i] + Foundation.exp(0.5 * lastLogVariance.storage[i]) * lastNoise.storage[i]
        }
        return sample
    }

    public func backward(sampleGradient: Matrix, klWeight beta: Float, into hiddenGradient: inout Matrix) -> Float {
        let kl = KLDivergence.gaussian(mean: lastMean, logVariance: lastLogVariance)
        var dMean = kl.meanGradient, dLogVariance = kl.logVarianceGradient
        for i in dMean.storage.indices {
            dMean.storage[i] = beta * dMean.storage[i] + sampleGradient.storage[i]
            let sigmaNoise = Foundation.exp(0.5 * lastLogVariance.storage[i]) * lastNoise.storage[i]
            dLogVariance.storage[i] = beta * dLogVariance.storage[i] + sampleGradient.storage[i] * 0.5 * sigmaNoise
        }
        hiddenGradient.add(mean.backward(dMean)!)
        hiddenGradient.add(logVariance.backward(dLogVariance)!)
        return kl.value
    }
}
