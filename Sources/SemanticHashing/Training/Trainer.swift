import Foundation

/// How to train: the optimisation settings of design.md, Models.
public struct TrainingOptions: Codable, Sendable {
    public var epochs: Int = 30
    public var batchSize: Int = 100
    public var learningRate: Double = 1e-3
    /// Seeds the initialisation, the epoch shuffles and the relaxation noise.
    public var seed: UInt64 = 20
    /// Lazy (row-sparse) Adam for the first layer over sparse inputs; see `Adam`.
    public var lazyAdam: Bool = true

    public init(epochs: Int = 30, batchSize: Int = 100, learningRate: Double = 1e-3, seed: UInt64 = 20, lazyAdam: Bool = true) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.lazyAdam = lazyAdam
    }

    /// The command line's default floor on optimisation steps (`--min-steps`): 30 epochs of a
    /// corpus of a few hundred items are a few hundred steps, too few for the codes to leave their
    /// initial all-ones corner (600 posts of 20 Newsgroups: validation P@100 0.19, chance 0.17, at 30
    /// epochs; 0.39 at 100 and 250). The paper's corpora reach 1 500 steps within 30 epochs anyway.
    public static let defaultMinimumSteps = 1_500

    /// These options with `epochs` raised, if needed, so that training `items` items takes at least
    /// `minimumSteps` mini-batch steps (0: unchanged). Resolved once the data size is known, so a
    /// model file or results row records the epochs that were actually run.
    public func raisingEpochs(toReach minimumSteps: Int, items: Int) -> TrainingOptions {
        guard minimumSteps > 0, items > 0 else { return self }
        let batchesPerEpoch = (items + batchSize - 1) / batchSize
        var raised = self
        raised.epochs = max(epochs, (minimumSteps + batchesPerEpoch - 1) / batchesPerEpoch)
        return raised
    }

    public func validate() throws {
        guard epochs >= 1 else { throw SemanticHashingError.invalidArgument(name: "epochs", reason: "must be ≥ 1, got \(epochs)") }
        guard batchSize >= 2 else { throw SemanticHashingError.invalidArgument(name: "batch size", reason: "must be ≥ 2, got \(batchSize)") }
        guard learningRate > 0 && learningRate.isFinite else {
            throw SemanticHashingError.invalidArgument(name: "learning rate", reason: "must be > 0")
        }
    }
}

/// What one epoch did: mean loss terms over its batches and its wall time.
public struct EpochSummary: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var losses: LossBreakdown
    public var seconds: Double
}

/// Trains a `HashingVAE` with Adam on mini-batches, reshuffled every epoch.
///
/// ```swift
/// let model = HashingVAE(configuration: config, seed: options.seed)
/// try Trainer(options: options).train(model, on: maskedDatabase) { print($0.epoch) }
/// ```
public struct Trainer {
    public var options: TrainingOptions

    public init(options: TrainingOptions) { self.options = options }

    /// `data`: the training items (train then validation) with the labels the model may see.
    /// `onBatch(done, total)` and `onEpoch` report progress. Throws on a non-finite loss.
    @discardableResult
    public func train(_ model: HashingVAE, on data: DataSplit,
                      onBatch: (Int, Int, LossBreakdown) -> Void = { _, _, _ in },
                      onEpoch: (EpochSummary) -> Void = { _ in }) throws -> [EpochSummary] {
        try options.validate()
        AllocatorTuning.keepLargeBlocksInHeap()
        let n = data.count
        guard n >= 2 else { throw SemanticHashingError.invalidArgument(name: "training items", reason: "at least 2 are needed, the data has \(n)") }
        let adam = Adam(parameters: model.parameters, learningRate: Float(options.learningRate), lazyRowUpdates: options.lazyAdam)
        var shuffler = RandomSource(seed: options.seed &+ 0x5348_5546)  // "SHUF"
        var noise = RandomSource(seed: options.seed &+ 0x4E4F_4953)      // "NOIS"
        let batches = BatchAssembler(data)
        let batchesPerEpoch = (n + options.batchSize - 1) / options.batchSize
        var history: [EpochSummary] = []
        for epoch in 1...options.epochs {
            let start = Date()
            let order = shuffler.permutation(n)
            var sum = LossBreakdown()
            for b in 0..<batchesPerEpoch {
                let rows = Array(order[(b * options.batchSize)..<min(n, (b + 1) * options.batchSize)])
                // A last batch of one item has no batch variance to normalise with; skip it.
                if rows.count < 2 { continue }
                let batch = batches.batch(rows: rows)
                let losses = model.trainingStep(batch, random: &noise)
                guard losses.total.isFinite else {
                    throw SemanticHashingError.trainingDiverged(
                        reason: "the loss became \(losses.total) in epoch \(epoch), batch \(b + 1); try smaller loss weights (alpha, gamma) or a lower learning rate")
                }
                adam.step()
                sum = sum + losses
                onBatch((epoch - 1) * batchesPerEpoch + b + 1, options.epochs * batchesPerEpoch, losses)
            }
            let summary = EpochSummary(epoch: epoch, epochs: options.epochs, losses: sum.scaled(by: 1 / Float(batchesPerEpoch)),
                                       seconds: Date().timeIntervalSince(start))
            history.append(summary)
            onEpoch(summary)
        }
        return history
    }
}
