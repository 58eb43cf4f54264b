/// Supervision by a classifier on the code sample, as VDSH-S: the code must predict the labels.
///
/// ```
/// ŷ = classifier(z),   SUP = α·POINT(ŷ, y)
/// ∂z += α·∂POINT/∂z
/// ```
///
/// ```swift
/// let head = PointwiseHead(bits: 16, classCount: 8, multiLabel: false, alpha: 10, random: &rng)
/// ```
public final class PointwiseHead: SupervisionHead, @unchecked Sendable {
    let classifier: LabelClassifier
    public let alpha: Float
    private var lastGradient = Matrix(rows: 0, columns: 0)

    public init(bits: Int, classCount: Int, multiLabel: Bool, includeUnlabelled: Bool = false, alpha: Float,
                random: inout RandomSource) {
        classifier = LabelClassifier(inputDimensions: bits, classCount: classCount, multiLabel: multiLabel,
                                     includeUnlabelled: includeUnlabelled, random: &random)
        self.alpha = alpha
    }

    public var parameters: [Parameter] { classifier.parameters }

    public func labelProbabilities(hidden: Matrix, codeValues: Matrix) -> Matrix {
        classifier.probabilities(codeValues)
    }

    public func forward(_ batch: SupervisionBatch) -> SupervisionLoss {
        let point = classifier.forward(batch.code, labels: batch.labels, labelled: batch.labelled).loss
        lastGradient = point.gradient
        var loss = SupervisionLoss()
        loss.pointwise = point.value
        loss.weighted = alpha * point.value
        return loss
    }

    public func backward(codeGradient: inout Matrix, hiddenGradient: inout Matrix) {
        var dLogits = lastGradient
        dLogits.scale(by: alpha)
        codeGradient.add(classifier.backward(logitGradient: dLogits))
    }
}
