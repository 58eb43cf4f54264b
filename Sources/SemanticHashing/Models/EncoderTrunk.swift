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
    // ReLU outputs of the last training forward, for the backward pass.
    private var activation1 = Matrix(rows: 0, columns: 0)
    private var activation2 = Matrix(rows: 0, columns: 0)

    public init(inputDimensions: Int, hiddenDimensions: Int, random: inout RandomSource) {
        dense1 = Dense(inputDimensions: inputDimensions, outputDimensions: hiddenDimensions, random: &random, name: "encoder.dense1")
        norm1 = BatchNorm(features: hiddenDimensions, name: "encoder.norm1")
        dense2 = Dense(inputDimensions: hiddenDimensions, outputDimensions: hiddenDimensions, random: &random, name: "encoder.dense2")
        norm2 = BatchNorm(features: hiddenDimensions, name: "encoder.norm2")
    }

    public var parameters: [Parameter] { dense1.parameters + norm1.parameters + dense2.parameters + norm2.parameters }
    var norms: [BatchNorm] { [norm1, norm2] }

    /// h for a batch; `training` uses batch statistics and remembers what `backward` needs.
    public func callAsFunction(_ x: FeatureMatrix, training: Bool) -> Matrix {
        if !training {
            return norm2(Activations.relu(dense2.apply(.dense(norm1(Activations.relu(dense1.apply(x)), training: false)))), training: false)
        }
        activation1 = Activations.relu(dense1(x))
        let a1 = norm1(activation1, training: true)
        activation2 = Activations.relu(dense2(.dense(a1)))
        return norm2(activation2, training: true)
    }

    /// Accumulates the trunk's parameter gradients from ∂h of the last training forward.
    public func backward(_ hiddenGradient: Matrix) {
        let d2 = Activations.reluBackward(output: activation2, gradient: norm2.backward(hiddenGradient))
        let d1 = Activations.reluBackward(output: activation1, gradient: norm1.backward(dense2.backward(d2)!))
        dense1.backward(d1, needInputGradient: false)
    }
}
