/// What a supervision head sees of one training batch.
public struct SupervisionBatch {
    /// The trunk's output h (n × H).
    public var hidden: Matrix
    /// The relaxed or reparameterised code sample (n × B).
    public var code: Matrix
    /// Label indicator rows y (n × C), all-zero for unlabelled items.
    public var labels: Matrix
    public var labelled: [Bool]
}

/// The supervision terms of one batch: each unweighted, and the head's weighted contribution to
/// the total loss.
public struct SupervisionLoss: Sendable {
    public var pointwise: Float = 0
    public var pairwise: Float = 0
    public var weighted: Float = 0
}

/// The label-dependent part of a VAE model: a classifier and the loss terms built on it. A head
/// reads the hidden layer and/or the code sample, and sends gradients back to both.
///
/// ```
/// forward:   SUP = the head's weighted supervision loss on the batch
/// backward:  ∂code += ∂SUP/∂code,  ∂h += ∂SUP/∂h,  parameters' gradients accumulated
/// ```
///
/// ```swift
/// let loss = head.forward(batch)
/// head.backward(codeGradient: &dCode, hiddenGradient: &dHidden)
/// ```
public protocol SupervisionHead: AnyObject, Sendable {
    var parameters: [Parameter] { get }
    /// Predicted label distributions ŷ at inference, from h and the deterministic code values.
    func labelProbabilities(hidden: Matrix, codeValues: Matrix) -> Matrix
    /// The terms of one batch; remembers what `backward` needs.
    func forward(_ batch: SupervisionBatch) -> SupervisionLoss
    /// Adds the gradients of the last forward's weighted loss.
    func backward(codeGradient: inout Matrix, hiddenGradient: inout Matrix)
}
