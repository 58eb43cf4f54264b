/// Supervision by a classifier on the hidden layer plus a pairwise term that pulls the codes of
/// similar items together and pushes dissimilar ones at least a margin apart (PHS-GS, SSB-VAE).
///
/// ```
/// ŷ = classifier(h),   S = sim(Y) (true labels, PHS-GS),  sim(Ŷ) (predicted, SSB-VAE)
///                      or sim(pseudo-labels: Y where labelled, the decision of ŷ elsewhere; no gradient)
/// SUP = α·γ·POINT(ŷ, y) + α_pair·PAIR(b̃, S)                PAIR: see `PairwiseLoss`
/// ∂b̃ += α_pair·∂PAIR/∂b̃                                    α_pair = α unless given
/// ∂logits = α·γ·∂POINT/∂logits + α_pair·act'(∂Ŷ),   ∂Ŷ from ∂S (predicted only)
/// ∂h += ∂logits·Wᵀ
/// ```
/// With `maskUnlabelledPairs` (the principled PHS-GS) pairs touching an unlabelled item are
/// skipped; the reference counts them as dissimilar, since an unlabelled item's y is all zero.
/// `pairSimilarity` is the reference's dot product Y·Yᵀ, or the bounded P(share a class) that
/// multi-label data needs (`PairSimilarity`).
///
/// ```swift
/// let head = PairwiseHead(hiddenDimensions: 500, classCount: 8, multiLabel: false, similarity: .predicted,
///                         alpha: 1e-4, gamma: 1e4, margin: 16 / 3, random: &rng)
/// ```
public final class PairwiseHead: SupervisionHead, @unchecked Sendable {
    /// Where the pairwise term's similarity comes from.
    public enum Similarity: Sendable {
        /// The true label vectors (PHS-GS).
        case trueLabels
        /// The classifier's predicted distributions, gradients flowing into it (SSB-VAE as published).
        case predicted
        /// Pseudo-labels: the true label row where the item is labelled, else the classifier's
        /// decision (its most probable class; for multi-label data every class with ŷ ≥ ½), held
        /// fixed. Hard targets give the hinge a clear pull or push for every pair; soft rows give
        /// most pairs s < ½ and push everything apart, and the gradient into Ŷ lets the classifier
        /// bend its predictions towards the current codes instead of the labels (the principled SSB-VAE).
        case pseudoLabels
    }

    let classifier: LabelClassifier
    public let similarity: Similarity
    public let pairSimilarity: PairSimilarity
    public let maskUnlabelledPairs: Bool
    public let alpha: Float, gamma: Float, margin: Float
    /// The pairwise term's weight α_pair (`ModelConfiguration.pairWeight`).
    public let pairWeight: Float
    private var lastPredicted = Matrix(rows: 0, columns: 0)
    private var lastPointGradient = Matrix(rows: 0, columns: 0)
    private var lastPair: PairwiseLoss.Result?

    public init(hiddenDimensions: Int, classCount: Int, multiLabel: Bool, includeUnlabelled: Bool = false,
                averageOverBatch: Bool = true, similarity: Similarity, pairSimilarity: PairSimilarity = .dot,
                maskUnlabelledPairs: Bool = false,
                alpha: Float, gamma: Float, pairWeight: Float? = nil, margin: Float, random: inout RandomSource) {
        classifier = LabelClassifier(inputDimensions: hiddenDimensions, classCount: classCount, multiLabel: multiLabel,
                                     includeUnlabelled: includeUnlabelled, averageOverBatch: averageOverBatch, random: &random)
        self.similarity = similarity
        self.pairSimilarity = pairSimilarity
        self.maskUnlabelledPairs = maskUnlabelledPairs
        self.alpha = alpha
        self.gamma = gamma
        self.pairWeight = pairWeight ?? alpha
        self.margin = margin
    }

    public var parameters: [Parameter] { classifier.parameters }

    public func labelProbabilities(hidden: Matrix, codeValues: Matrix) -> Matrix {
        classifier.probabilities(hidden)
    }

    public func forward(_ batch: SupervisionBatch) -> SupervisionLoss {
        let (predicted, point) = classifier.forward(batch.hidden, labels: batch.labels, labelled: batch.labelled)
        lastPredicted = predicted
        lastPointGradient = point.gradient
        let source: Matrix
        switch similarity {
        case .trueLabels: source = batch.labels
        case .predicted: source = predicted
        case .pseudoLabels: source = Self.pseudoLabels(predicted, labels: batch.labels, labelled: batch.labelled,
                                                       multiLabel: classifier.multiLabel)
        }
        let s = pairSimilarity.matrix(source)
        let n = batch.code.rows
        var mask: Matrix?
        if maskUnlabelledPairs {
            var m = Matrix(rows: n, columns: n)
            for i in 0..<n where batch.labelled[i] { for j in 0..<n where batch.labelled[j] { m[i, j] = 1 } }
            mask = m
        }
        let pair = PairwiseLoss.evaluate(codes: batch.code, similarity: s, pairMask: mask, margin: margin)
        lastPair = pair
        var loss = SupervisionLoss()
        loss.pointwise = point.value
        loss.pairwise = pair.value
        loss.weighted = alpha * gamma * point.value + pairWeight * pair.value
        return loss
    }

    /// The label rows of labelled items, and the classifier's decisions as 0/1 rows for the rest.
    static func pseudoLabels(_ predicted: Matrix, labels: Matrix, labelled: [Bool], multiLabel: Bool) -> Matrix {
        var rows = Matrix(rows: predicted.rows, columns: predicted.columns)
        guard predicted.columns > 0 else { return rows }
        for i in 0..<predicted.rows {
            if labelled[i] {
                for c in 0..<predicted.columns { rows[i, c] = labels[i, c] }
            } else if multiLabel {
                for c in 0..<predicted.columns where predicted[i, c] >= 0.5 { rows[i, c] = 1 }
            } else {
                var best = 0
                for c in 1..<predicted.columns where predicted[i, c] > predicted[i, best] { best = c }
                rows[i, best] = 1
            }
        }
        return rows
    }

    public func backward(codeGradient: inout Matrix, hiddenGradient: inout Matrix) {
        guard let pair = lastPair else { preconditionFailure("PairwiseHead.backward before forward") }
        var dLogits = lastPointGradient
        dLogits.scale(by: alpha * gamma)
        codeGradient.add(pair.codeGradient, scaledBy: pairWeight)
        if similarity == .predicted {
            let dPredicted = pairSimilarity.backward(lastPredicted, similarityGradient: pair.similarityGradient)
            dLogits.add(classifier.logitGradient(probabilities: lastPredicted, probabilityGradient: dPredicted), scaledBy: pairWeight)
        }
        hiddenGradient.add(classifier.backward(logitGradient: dLogits))
    }
}
