import Foundation

/// How a supervised VAE's codes are read once it is trained (the principled variant): from its
/// classifier's softened predictions and its latent's logits together, by the recipe label-ITQ
/// applies to a linear classifier's outputs, instead of from the logits alone.
///
/// ```
/// f(x) = [ ŷ_T(x) | ℓ(x) ]        ŷ_T: the head's label distribution softened by T (softmax(log ŷ / T);
///                                     σ(logit(ŷ) / T) for multi-label data), ℓ: the latent's code
///                                     values (logits; μ for VDSH-S)
/// E = the r leading principal directions of ŷ_T,  r = min(B, C − 1)  (C for multi-label data)
/// G = the B − r leading principal directions of ℓ, scaled by s = √(mean variance along E / along G)
/// V = (f − μ)·diag(E, G)              (n × B, on the training items)
/// R = the ITQ rotation of V;   P = diag(E, G)·R;   bit j of x = [((f(x) − μ)·P)_j > 0]
/// ```
/// Why: the classifier of a VAE trained with 10 % labels is about as accurate as a logistic
/// regression on the same labels (TREC test accuracy 0.69 against 0.71, Ohsumed 0.41 against
/// 0.36), yet its codes retrieved worse than label-ITQ's, because the only path from the
/// classifier to the bits is the pairwise term, and strengthening that term over-fits. Reading the
/// prediction into the code directly carries it over without touching training. The classifier
/// is trained to near one-hot outputs; T = 10 gives back the graded confidence that ranks items
/// within a class and places ambiguous ones between classes (validation P@100, 16 bits, 10 %
/// labels, T = 1 → 10: Ohsumed 0.263 → 0.293, docs/results/defaults.md).
///
/// ```swift
/// model.readout = ClassAlignedReadout.fit(model, on: data.features, seed: 20)   // after training (Training/)
/// let codes = model.codes(queries)                                             // read through it
/// ```
public struct ClassAlignedReadout: Sendable {
    /// The softening temperature T.
    public static let temperature: Float = 10
    /// μ (1 × (C + B)).
    public var mean: Matrix
    /// P ((C + B) × B).
    public var projection: Matrix

    public init(mean: Matrix, projection: Matrix) {
        self.mean = mean
        self.projection = projection
    }

    /// The readout's tensors in a model file.
    static let meanName = "readout.mean", projectionName = "readout.projection"

    /// ŷ_T and ℓ of a batch.
    static func inputs(_ model: HashingVAE, _ x: FeatureMatrix) -> (predictions: Matrix, logits: Matrix) {
        let h = model.trunk(x, training: false)
        let logits = model.latent.codeValues(h)
        guard let head = model.head else { preconditionFailure("ClassAlignedReadout: the model has no supervision head") }
        var predictions = head.labelProbabilities(hidden: h, codeValues: logits)
        soften(&predictions, multiLabel: model.configuration.multiLabel, temperature: temperature)
        return (predictions, logits)
    }

    /// softmax(log p / T) per row, or σ(logit(p) / T) per entry for multi-label data.
    static func soften(_ p: inout Matrix, multiLabel: Bool, temperature t: Float) {
        let tiny: Float = 1e-7
        if multiLabel {
            for k in p.storage.indices {
                let q = min(max(p.storage[k], tiny), 1 - tiny)
                p.storage[k] = 1 / (1 + ((1 - q) / q).pow(1 / t))
            }
            return
        }
        for i in 0..<p.rows {
            var sum: Float = 0
            for j in 0..<p.columns {
                let v = max(p[i, j], tiny).pow(1 / t)
                p[i, j] = v
                sum += v
            }
            for j in 0..<p.columns { p[i, j] /= sum }
        }
    }

    /// The code values (f(x) − μ)·P of a batch.
    func codeValues(_ model: HashingVAE, _ x: FeatureMatrix) -> Matrix {
        let (predictions, logits) = Self.inputs(model, x)
        return CenteredFeatures(.dense(Matrix.hstack([predictions, logits])), mean: mean).times(projection)
    }

    /// Checks a readout read from a model file against the model's shapes.
    init(state tensors: [String: Matrix], classCount: Int, bits: Int) throws {
        self.init(mean: try checkedTensor(tensors, Self.meanName, rows: 1, columns: classCount + bits),
                  projection: try checkedTensor(tensors, Self.projectionName, rows: classCount + bits, columns: bits))
    }
}

private extension Float {
    func pow(_ e: Float) -> Float { Float(Foundation.pow(Double(self), Double(e))) }
}
