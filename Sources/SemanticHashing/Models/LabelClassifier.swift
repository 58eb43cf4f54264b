/// The label head's classifier: one fully connected layer with a softmax (single-label) or
/// sigmoid (multi-label) output, trained with the pointwise cross-entropy.
///
/// ```
/// ŷ = softmax(Dense_C(input))  or  σ(Dense_C(input))
/// POINT = PointwiseLoss on (ŷ, y);   ∂logits from ∂POINT and from any ∂ŷ of other terms
/// ```
///
/// Multi-label options reproduce the reference's quirks (`PointwiseLoss.binaryCrossEntropy`):
/// `includeUnlabelled` counts an unlabelled item as "in no class"; `averageOverBatch` false sums
/// over the batch.
///
/// ```swift
/// let classifier = LabelClassifier(inputDimensions: 500, classCount: 8, multiLabel: false, random: &rng)
/// let (y, point) = classifier.forward(h, labels: batch.labels, labelled: batch.labelled)
/// ```
public final class LabelClassifier: @unchecked Sendable {
    let dense: Dense
    public let multiLabel: Bool
    public let includeUnlabelled: Bool
    public let averageOverBatch: Bool

    public init(inputDimensions: Int, classCount: Int, multiLabel: Bool, includeUnlabelled: Bool = false,
                averageOverBatch: Bool = true, random: inout RandomSource) {
        dense = Dense(inputDimensions: inputDimensions, outputDimensions: classCount, random: &random, name: "classifier")
        self.multiLabel = multiLabel
        self.includeUnlabelled = includeUnlabelled
        self.averageOverBatch = averageOverBatch
    }

    public var parameters: [Parameter] { dense.parameters }

    /// ŷ without remembering the input (inference).
    public func probabilities(_ input: Matrix) -> Matrix {
        activate(dense.apply(.dense(input)))
    }

    /// ŷ and the pointwise loss with its gradient with respect to the logits; remembers the input.
    public func forward(_ input: Matrix, labels: Matrix, labelled: [Bool]) -> (probabilities: Matrix, loss: LossValue) {
        let predicted = activate(dense(.dense(input)))
        let loss = multiLabel
            ? PointwiseLoss.binaryCrossEntropy(probabilities: predicted, labels: labels, labelled: labelled,
                                               includeUnlabelled: includeUnlabelled, averageOverBatch: averageOverBatch)
            : PointwiseLoss.softmaxCrossEntropy(probabilities: predicted, labels: labels)
        return (predicted, loss)
    }

    /// ∂logits from a gradient with respect to ŷ.
    public func logitGradient(probabilities: Matrix, probabilityGradient: Matrix) -> Matrix {
        multiLabel ? Activations.sigmoidBackward(output: probabilities, gradient: probabilityGradient)
                   : Activations.softmaxBackward(output: probabilities, gradient: probabilityGradient)
    }

    /// Accumulates the layer's gradients and returns ∂input.
    public func backward(logitGradient: Matrix) -> Matrix {
        dense.backward(logitGradient)!
    }

    private func activate(_ logits: Matrix) -> Matrix {
        multiLabel ? Activations.sigmoid(logits) : Activations.softmaxRows(logits)
    }
}
