/// The decoder every VAE model shares: one fully connected layer from the code back to the D
/// features, scored by the reconstruction loss of the data's kind.
///
/// ```
/// distribution:  x̂ = softmax(Dense_D(b̃)),  REC = mean_i −Σ_d (t_d/Σt)·log x̂_d
/// gaussian:      x̂ = Dense_D(z),           REC = mean_i ½·‖x̂ − t‖²
/// backward:      ∂b̃ = ∂REC/∂logits · Wᵀ
/// ```
/// The distribution decoder keeps its n × D logits buffer across steps and folds the bias and
/// its gradient into the loss's passes (`SoftmaxReconstructionKernel`).
///
/// ```swift
/// let decoder = FeatureDecoder(bits: 16, outputDimensions: 10_000, kind: .distribution, random: &rng)
/// let (rec, dCode) = decoder.reconstruct(code, target: batch.target)
/// ```
public final class FeatureDecoder: @unchecked Sendable {
    let dense: Dense
    public let kind: ReconstructionKind
    /// The n × D logits and then, in place, their gradient; kept across steps (4 MB at n = 100,
    /// D = 10 000, written and read several times a step).
    private var logits = Matrix(rows: 0, columns: 0)

    public init(bits: Int, outputDimensions: Int, kind: ReconstructionKind, random: inout RandomSource) {
        dense = Dense(inputDimensions: bits, outputDimensions: outputDimensions, random: &random, name: "decoder")
        self.kind = kind
    }

    public var parameters: [Parameter] { dense.parameters }

    /// Forward and backward of the reconstruction: REC of `target` from `code`, and ∂REC/∂code.
    public func reconstruct(_ code: Matrix, target: FeatureMatrix) -> (loss: Float, codeGradient: Matrix) {
        guard kind == .distribution else {
            let rec = ReconstructionLoss.gaussian(outputs: dense(.dense(code)), target: target)
            return (rec.value, dense.backward(rec.gradient)!)
        }
        precondition(code.rows == target.rows && dense.outputDimensions == target.columns, "Decoder: target shape")
        if logits.rows != code.rows || logits.columns != dense.outputDimensions {
            logits = Matrix(rows: code.rows, columns: dense.outputDimensions)
        }
        // The bias is added inside the loss's passes, which also sum ∂b, instead of in passes of its own.
        dense.product(code, into: &logits)
        let targets = SoftmaxReconstructionKernel.Targets(target)
        let (rows, columns) = (logits.rows, logits.columns)
        let loss = logits.storage.withUnsafeMutableBufferPointer { l in
            dense.bias.value.storage.withUnsafeBufferPointer { b in
                dense.bias.gradient.storage.withUnsafeMutableBufferPointer { db in
                    SoftmaxReconstructionKernel.run(logits: l.baseAddress!, rows: rows, columns: columns, bias: b.baseAddress!,
                                                    targets: targets, columnSums: db.baseAddress!)
                }
            }
        }
        return (loss, dense.backward(logits, accumulatingBias: false)!)
    }
}
