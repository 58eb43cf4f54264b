/// How an unsupervised VAE's codes are read once it is trained (the principled variant), when its
/// latent alone keeps the collection's neighbourhoods less well than a readout that also sees the
/// input's principal components:
///
/// ```
/// values(x) = ℓ(x)·A + x·W + b,   bit j = [values(x)_j > 0]      ℓ: the latent's code values (logits; μ for VDSH)
/// rotated latent: A = R, the ITQ rotation of ℓ − μ_ℓ;  W = 0
/// both:   f = [ℓ − μ_ℓ | s·(x − μ_x)·V],  s = √(mean variance of ℓ / of x·V)   V: the B leading principal directions of x
///         E = the B leading principal directions of f,  R = the ITQ rotation of f·E,  (A; W/(s·V)) = E·R
/// input:  A = 0, W = V·R (PCA followed by ITQ, the `itq` baseline's code)
/// ```
/// The latent alone (A = I, W = 0, b = 0) is stored as no readout at all. Which of the four a
/// model reads is chosen after training, without labels, by `NeighbourhoodAgreement`: the share of
/// each training item's 100 nearest neighbours in the input (cosine) that its 100 nearest codes
/// keep. Why: on short texts the reconstruction spends the bits on rare topical words, and a
/// model's latent can then keep fewer of the input's neighbours than 16 principal components do;
/// measured on validation carves, 16 bits, the choice followed P@100 by class on all five
/// corpora (docs/results/defaults.md, section 12).
///
/// ```swift
/// model.inputReadout = LatentInputReadout.choose(model, on: data, seed: 20).readout   // Training/
/// let codes = model.codes(queries)                                                   // read through it
/// ```
public struct LatentInputReadout: Sendable, Equatable {
    /// What the codes are read from.
    public enum Source: String, Sendable, CaseIterable {
        /// ℓ alone, as during training.
        case latent
        /// ℓ centred and rotated by ITQ (a Gaussian latent's μ is neither centred nor balanced).
        case rotatedLatent = "rotated-latent"
        /// ℓ and the input's principal components together.
        case both
        /// The input's principal components alone.
        case input
    }

    /// A (B × B).
    public var latentWeights: Matrix
    /// W (D × B).
    public var inputWeights: Matrix
    /// b (1 × B).
    public var bias: Matrix

    public init(latentWeights: Matrix, inputWeights: Matrix, bias: Matrix) {
        precondition(latentWeights.rows == latentWeights.columns && inputWeights.columns == latentWeights.columns
                     && bias.rows == 1 && bias.columns == latentWeights.columns,
                     "LatentInputReadout: A \(latentWeights.rows)×\(latentWeights.columns), W \(inputWeights.rows)×\(inputWeights.columns), b \(bias.rows)×\(bias.columns)")
        self.latentWeights = latentWeights
        self.inputWeights = inputWeights
        self.bias = bias
    }

    /// `.input` when A is zero (the latent takes no part), `.rotatedLatent` when W is (the input
    /// takes none), else `.both`.
    public var source: Source {
        if latentWeights.storage.allSatisfy({ $0 == 0 }) { return .input }
        return inputWeights.storage.allSatisfy { $0 == 0 } ? .rotatedLatent : .both
    }

    /// ℓ·A + x·W + b for a batch, ℓ its code values.
    func codeValues(latent: Matrix, input x: FeatureMatrix) -> Matrix {
        var values = x.times(inputWeights, plus: bias)
        LinearAlgebra.gemm(latent, latentWeights, beta: 1, into: &values)
        return values
    }

    /// The tensors in a model file.
    static let latentWeightsName = "input_readout.latent_weights", inputWeightsName = "input_readout.input_weights",
               biasName = "input_readout.bias"
    static let tensorNames = [latentWeightsName, inputWeightsName, biasName]

    var state: [(name: String, value: Matrix)] {
        [(Self.latentWeightsName, latentWeights), (Self.inputWeightsName, inputWeights), (Self.biasName, bias)]
    }

    /// Reads and checks the three tensors against the model's shapes.
    init(state tensors: [String: Matrix], configuration c: ModelConfiguration) throws {
        self.init(latentWeights: try checkedTensor(tensors, Self.latentWeightsName, rows: c.bits, columns: c.bits),
                  inputWeights: try checkedTensor(tensors, Self.inputWeightsName, rows: c.inputDimensions, columns: c.bits),
                  bias: try checkedTensor(tensors, Self.biasName, rows: 1, columns: c.bits))
    }
}
