import Foundation

/// How a supervised VAE's codes are read once it is trained (the principled variant): from its
/// classifier's softened predictions, a linear classifier's predictions on the input and its
/// latent's logits together, by the recipe label-ITQ applies to a linear classifier's outputs,
/// instead of from the logits alone.
///
/// ```
/// f(x) = [ ŷ_T(x) | q(x) | ℓ(x) ]  ŷ_T: the head's label distribution softened by T (softmax(log ŷ / T);
///                                     σ(logit(ŷ) / T) for multi-label data); q: the input classifier's
///                                     (`InputClassifier`; on single-label data refitted with `PseudoLabels`);
///                                     ℓ: the latent's code values (logits; μ for VDSH-S),
///                                     read through the model's `LatentInputReadout` when it has one
/// s = √(trace cov ŷ_T / trace cov q)  (the two classifiers weigh the same in the class directions)
/// E = the r leading principal directions of [ŷ_T | s·q],  r = min(B, 2(C − 1))  (C − 1 without q, C for
///     multi-label data)
/// G = the B − r leading principal directions of ℓ, scaled by a·√(mean variance along E / along G),
///     a = ½ (label-ITQ's padding scale: the classes weigh more than the bits beside them)
/// D = diag(1, …, 1, s, …, s)         (so that [ŷ_T | s·q] = [ŷ_T | q]·D, and E acts on [ŷ_T | q] as D·E)
/// V = (f − μ)·diag(D·E, G)            (n × B, on the training items; μ: the mean of f)
/// R = the ITQ rotation of V;  P = diag(D·E, G)·R;  bit j of x = [((f(x) − μ)·P)_j > 0]
/// ```
/// When that puts more than 5 % of the training items on one code, P is fitted split instead: the
/// same recipe on B − k bits, and k bits from the part of ℓ those do not predict, rotated on their
/// own (`ReadoutDirections`, Training/), so that they spread a class over several codes.
/// Why: the classifier of a VAE trained with 10 % labels is about as accurate as a logistic
/// regression on the same labels (TREC test accuracy 0.69 against 0.71, Ohsumed 0.41 against
/// 0.36), yet its codes retrieved worse than label-ITQ's, because the only path from the
/// classifier to the bits is the pairwise term, and strengthening that term over-fits. Reading the
/// prediction into the code directly carries it over without touching training. The classifier
/// is trained to near one-hot outputs; T = 10 gives back the graded confidence that ranks items
/// within a class and places ambiguous ones between classes (validation P@100, 16 bits, 10 %
/// labels, T = 1 → 10: Ohsumed 0.263 → 0.293, docs/results/defaults.md). The head reads the trunk,
/// which a reconstruction objective shapes towards rare topical words; a linear classifier on the
/// input sees the function words too ("who", "how many"), and the two disagree usefully: with
/// both, SSB-VAE's validation P@100 rose on all five corpora measured (TREC 0.552 → 0.622,
/// 20 Newsgroups 0.632 → 0.663). Unscaled, the peaked q outweighed the softened ŷ_T (20
/// Newsgroups 0.601). Readouts written before q existed have no classifier and read [ŷ_T | ℓ].
///
/// ```swift
/// model.readout = ClassAlignedReadout.fit(model, on: data, seed: 20)   // after training (Training/)
/// let codes = model.codes(queries)                                     // read through it
/// ```
public struct ClassAlignedReadout: Sendable {
    /// The softening temperature T.
    public static let temperature: Float = 10
    /// μ (1 × (2C + B); 1 × (C + B) without an input classifier).
    public var mean: Matrix
    /// P ((2C + B) × B; (C + B) × B without an input classifier).
    public var projection: Matrix
    /// q; nil in readouts written before it existed.
    public var inputClassifier: InputClassifier?
    /// The fits tried, in order, then the kept one again if it was not the last (empty for a readout
    /// read from a file).
    public internal(set) var fitAttempts: [FitAttempt] = []
    /// The multiplier of q's balancing scale the fit used (1 unless `--tune auto` chose another;
    /// 1 for a readout read from a file, whose P already holds it).
    public internal(set) var inputWeight = 1.0
    /// How many unlabelled items q was refitted with (`PseudoLabels`; 0 when it kept its first fit,
    /// and for a readout read from a file).
    public internal(set) var pseudoLabelledItems = 0

    /// One fit of P: how many bits were split off for ℓ's within-class part (0: none), and the
    /// share of the fitted items on its most common code.
    public struct FitAttempt: Sendable, Equatable {
        public var splitBits: Int
        public var largestShare: Double
    }

    public init(mean: Matrix, projection: Matrix, inputClassifier: InputClassifier?) {
        self.mean = mean
        self.projection = projection
        self.inputClassifier = inputClassifier
    }

    /// The readout's tensors in a model file.
    static let meanName = "readout.mean", projectionName = "readout.projection"
    static let classifierWeightsName = "readout.classifier.weights", classifierBiasName = "readout.classifier.bias"
    static let tensorNames = [meanName, projectionName, classifierWeightsName, classifierBiasName]

    /// The tensors to store: μ, P, and the input classifier's W and b when there is one.
    var state: [(name: String, value: Matrix)] {
        var out = [(Self.meanName, mean), (Self.projectionName, projection)]
        if let inputClassifier {
            out += [(Self.classifierWeightsName, inputClassifier.weights), (Self.classifierBiasName, inputClassifier.bias)]
        }
        return out
    }

    /// [ŷ_T | q] and ℓ of a batch (ŷ_T alone without an input classifier); ℓ read through the
    /// model's input readout when it has one (the head always sees the latent as trained).
    static func inputs(_ model: HashingVAE, _ x: FeatureMatrix, inputClassifier: InputClassifier?) -> (predictions: Matrix, logits: Matrix) {
        let h = model.trunk(x, training: false)
        let latent = model.latent.codeValues(h)
        let logits = model.inputReadout.map { $0.codeValues(latent: latent, input: x) } ?? latent
        guard let head = model.head else { preconditionFailure("ClassAlignedReadout: the model has no supervision head") }
        var predictions = head.labelProbabilities(hidden: h, codeValues: latent)
        soften(&predictions, multiLabel: model.configuration.multiLabel, temperature: temperature)
        if let inputClassifier { predictions = Matrix.hstack([predictions, inputClassifier.probabilities(x)]) }
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
        let (predictions, logits) = Self.inputs(model, x, inputClassifier: inputClassifier)
        return CenteredFeatures(.dense(Matrix.hstack([predictions, logits])), mean: mean).times(projection)
    }

    /// Checks a readout read from a model file against the model's shapes: with an input
    /// classifier when either of its tensors is there (then both must be).
    init(state tensors: [String: Matrix], configuration c: ModelConfiguration) throws {
        var classifier: InputClassifier?
        if tensors[Self.classifierWeightsName] != nil || tensors[Self.classifierBiasName] != nil {
            classifier = InputClassifier(weights: try checkedTensor(tensors, Self.classifierWeightsName, rows: c.inputDimensions, columns: c.classCount),
                                         bias: try checkedTensor(tensors, Self.classifierBiasName, rows: 1, columns: c.classCount),
                                         multiLabel: c.multiLabel)
        }
        let width = c.classCount * (classifier == nil ? 1 : 2) + c.bits
        self.init(mean: try checkedTensor(tensors, Self.meanName, rows: 1, columns: width),
                  projection: try checkedTensor(tensors, Self.projectionName, rows: width, columns: c.bits),
                  inputClassifier: classifier)
    }
}

/// A linear classifier on the encoder's input x, fitted (by Training/, with label-ITQ's logistic
/// regression) on the labelled training items: q = softmax(x·W + b), or σ(x·W + b) per class for
/// multi-label data.
public struct InputClassifier: Sendable, Equatable {
    /// W (D × C).
    public var weights: Matrix
    /// b (1 × C).
    public var bias: Matrix
    public var multiLabel: Bool

    public init(weights: Matrix, bias: Matrix, multiLabel: Bool) {
        self.weights = weights
        self.bias = bias
        self.multiLabel = multiLabel
    }

    /// q of a batch (n × C).
    public func probabilities(_ x: FeatureMatrix) -> Matrix {
        let z = x.times(weights, plus: bias)
        return multiLabel ? Activations.sigmoid(z) : Activations.softmaxRows(z)
    }
}

private extension Float {
    func pow(_ e: Float) -> Float { Float(Foundation.pow(Double(self), Double(e))) }
}
