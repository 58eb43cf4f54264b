/// One mini-batch as a model trains on it.
public struct TrainingBatch: Sendable {
    /// Encoder input x (n × D).
    public var features: FeatureMatrix
    /// Reconstruction target before per-row normalisation (n × D).
    public var target: FeatureMatrix
    /// Label indicator rows y (n × C), all-zero for unlabelled items.
    public var labels: Matrix
    /// Whether each item carries labels.
    public var labelled: [Bool]

    public init(features: FeatureMatrix, target: FeatureMatrix, labels: Matrix, labelled: [Bool]) {
        precondition(features.rows == target.rows && features.rows == labels.rows && labelled.count == features.rows,
                     "TrainingBatch: parts have different item counts")
        self.features = features
        self.target = target
        self.labels = labels
        self.labelled = labelled
    }

    public var count: Int { features.rows }
}

/// The loss terms of one step, unweighted, and the weighted total.
public struct LossBreakdown: Sendable {
    public var total: Float = 0
    public var reconstruction: Float = 0
    public var kl: Float = 0
    public var pointwise: Float = 0
    public var pairwise: Float = 0
    /// The bit-balance penalty (0 when its weight is 0).
    public var balance: Float = 0

    public init() {}

    static func + (a: LossBreakdown, b: LossBreakdown) -> LossBreakdown {
        var s = LossBreakdown()
        s.total = a.total + b.total
        s.reconstruction = a.reconstruction + b.reconstruction
        s.kl = a.kl + b.kl
        s.pointwise = a.pointwise + b.pointwise
        s.pairwise = a.pairwise + b.pairwise
        s.balance = a.balance + b.balance
        return s
    }

    func scaled(by s: Float) -> LossBreakdown {
        var out = LossBreakdown()
        out.total = total * s
        out.reconstruction = reconstruction * s
        out.kl = kl * s
        out.pointwise = pointwise * s
        out.pairwise = pairwise * s
        out.balance = balance * s
        return out
    }
}
