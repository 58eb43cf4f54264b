/// Cuts a training split into the mini-batches a model trains on: for given rows, their encoder
/// inputs, reconstruction targets, label rows and labelled flags.
///
/// ```
/// batch(rows) = (x[rows], t[rows], Y[rows], labelled[rows])      t = x when the split has no separate target
/// ```
///
/// ```swift
/// let batches = BatchAssembler(data)
/// let batch = batches.batch(rows: Array(order[0..<100]))
/// ```
public struct BatchAssembler: Sendable {
    public let data: DataSplit
    /// Label indicator rows of every item (all-zero for unlabelled items).
    public let labelMatrix: Matrix
    public let labelled: [Bool]

    public init(_ data: DataSplit) {
        self.data = data
        labelMatrix = data.labels.indicatorMatrix()
        labelled = (0..<data.count).map(data.labels.isLabelled)
    }

    public var count: Int { data.count }

    /// The batch of `rows`, in that order. When the target is the features themselves the rows
    /// are gathered once and shared.
    public func batch(rows: [Int]) -> TrainingBatch {
        PhaseProfiler.during(.gathering) {
            let features = data.features.gatherRows(rows)
            let target = data.reconstructionTarget?.gatherRows(rows) ?? features
            return TrainingBatch(features: features, target: target, labels: labelMatrix.gatherRows(rows),
                                 labelled: rows.map { labelled[$0] })
        }
    }
}
