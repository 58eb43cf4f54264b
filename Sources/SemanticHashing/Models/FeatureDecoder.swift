/// The decoder every VAE model shares: one fully connected layer from the code back to the D
/// features, scored by the reconstruction loss of the data's kind.
///
/// ```
/// distribution:  x̂ = softmax(Dense_D(b̃)),  REC = mean_i −Σ_d (t_d/Σt)·log x̂_d
/// gaussian:      x̂ = Dense_D(z),           REC = mean_i ½·‖x̂ − t‖²
/// backward:      ∂b̃ = ∂REC/∂logits · Wᵀ
/// ```
///
/// ```swift
/// let decoder = FeatureDecoder(bits: 16, outputDimensions: 10_000, kind: .distribution, random: &rng)
/// let (rec, dCode) = decoder.reconstruct(code, target: batch.target)
/// ```
public final class FeatureDecoder: @unchecked Sendable {
    let dense: Dense
    public let kind: ReconstructionKind

    public init(bits: Int, outputDimensions: Int, kind: ReconstructionKind, random: inout RandomSource) {
        dense = Dense(inputDimensions: bits, outputDimensions: outputDimensions, random: &random, name: "decoder")
        self.kind = kind
    }

    public var parameters: [Parameter] { dense.parameters }

    /// Forward and backward of the reconstruction: REC of `target` from `code`, and ∂REC/∂code.
    public func reconstruct(_ code: Matrix, target: FeatureMatrix) -> (loss: Float, codeGradient: Matrix) {
        let outputs = dense(.dense(code))
        let rec = kind == .distribution
            ? ReconstructionLoss.distribution(logits: consume outputs, target: target)
            : ReconstructionLoss.gaussian(outputs: consume outputs, target: target)
        return (rec.value, dense.backward(rec.gradient)!)
    }
}
