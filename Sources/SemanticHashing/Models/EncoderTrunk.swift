/// The encoder trunk every VAE model shares: two fully connected layers, each followed by ReLU and
/// batch normalisation.
///
/// ```
/// h = BN₂(ReLU(Dense₂(BN₁(ReLU(Dense₁(x))))))
/// backward: ∂x is not needed (x is the data), so it stops at Dense₁'s weights
/// ```
///
/// ```swift
/// let trunk = EncoderTrunk(inputDimensions: 10_000, hiddenDimensions: 500, random: &rng)
/// let h = trunk(x, training: true)     // then trunk.backward(dH)
/// ```
public final class EncoderTrunk: @unchecked Sendable {
    let dense1: Dense
    let norm1: BatchNorm
    let dense2: Dense
    let norm2: BatchNorm

    public init(inputDimensions: Int, hiddenDimensions: Int, random: inout RandomSource) {
        dense1 = Dense(inputDimensions: inputDimensions, outputDimensions: hiddenDimensions, random: &random, name: "encoder.dense1")
        norm1 = BatchNorm(features: hiddenDimensions, name: "encoder.norm1")
        dense2 = Dense(inputDimensions: hiddenDimensions, outputDimensions: hiddenDimensions, random: &random, name: "encoder.dense2")
        norm2 = BatchNorm(features: hiddenDimensions, name: "encoder.norm2")
    }

    public var parameters: [Parameter] { dense1.parameters + norm1.parameters + dense2.parameters + norm2.parameters }
    var norms: [BatchNorm] { [norm1, norm2] }

    /// h for a batch; `training` uses batch statistics and remembers what `backward` needs. Each
    /// ReLU runs inside the batch normalisation after it (`rectifying`).
    public func callAsFunction(_ x: FeatureMatrix, training: Bool) -> Matrix {
        if !training {
            return norm2(dense2.apply(.dense(norm1(dense1.apply(x), training: false, rectifying: true))), training: false, rectifying: true)
        }
        let a1 = norm1(dense1(x), training: true, rectifying: true)
        return norm2(dense2(.dense(a1)), training: true, rectifying: true)
    }

    /// Accumulates the trunk's parameter gradients from ∂h of the last training forward.
    public func backward(_ hiddenGradient: Matrix) {
        let d2 = norm2.backward(hiddenGradient)
        let d1 = norm1.backward(dense2.backward(d2)!)
        dense1.backward(d1, needInputGradient: false)
    }
}
