import Foundation

/// Which training items keep their labels.
public enum SupervisionChoice: Sendable, Equatable {
    /// A fraction p of the training (and, separately, validation) items, by a seeded shuffle (design.md, Experimental protocol).
    case level(Double, seed: UInt64)
    /// Exactly these 0-based rows of train + validation (e.g. the reference's `labeled_rows_p0.1.txt`).
    case rows([Int])

    public var level: Double? { if case .level(let p, _) = self { return p } else { return nil } }
}

/// The measured outcome of one train-and-evaluate run.
public struct HashingRunResult: Sendable {
    public var model: any HashingModel
    /// Retrieval metrics by name: "p@100", "r@100", "p@1000", "p@5000", "map@100", "map@1000",
    /// "map@5000", "tie-aware p@100".
    public var metrics: [String: Double]
    public var labelledItems: Int
    public var history: [EpochSummary]
    public var trainSeconds: Double
    public var evaluateSeconds: Double
}

/// Train one model on a dataset and evaluate its codes: the unit of every experiment (design.md, Experimental protocol).
///
/// ```swift
/// let config = ModelConfiguration(preset: .ssbVAE, bits: 16, inputDimensions: data.featureCount,
///                                 classCount: data.classCount, multiLabel: data.isMultiLabel)
/// let result = try HashingRun.trainAndEvaluate(data, configuration: config, options: TrainingOptions(seed: 20),
///                                              supervision: .level(0.1, seed: 20))
/// print(result.metrics["p@100"]!)
/// ```
public enum HashingRun {
    /// Masks the labels, trains, and evaluates with database = train + val, queries = test.
    public static func trainAndEvaluate(_ dataset: Dataset, configuration: ModelConfiguration, options: TrainingOptions,
                                        supervision: SupervisionChoice,
                                        onBatch: (Int, Int, LossBreakdown) -> Void = { _, _, _ in },
                                        onEpoch: (EpochSummary) -> Void = { _ in }) throws -> HashingRunResult {
        try configuration.validate()
        let masked: (train: DataSplit, labeledRows: [Int])
        switch supervision {
        case .level(let p, let seed):
            guard (0...1).contains(p) else {
                throw SemanticHashingError.invalidArgument(name: "supervision level", reason: "must be between 0 and 1, got \(p)")
            }
            masked = SupervisionMask.apply(to: dataset, level: p, seed: seed)
        case .rows(let rows):
            let n = dataset.train.count + (dataset.validation?.count ?? 0)
            if let bad = rows.first(where: { $0 < 0 || $0 >= n }) {
                throw SemanticHashingError.invalidArgument(name: "labelled rows", reason: "row \(bad) is outside 0..<\(n)")
            }
            masked = SupervisionMask.apply(to: dataset, labeledRows: rows)
        }
        let start = Date()
        let (model, history) = try ModelTraining.fit(configuration, on: masked.train, options: options, onBatch: onBatch, onEpoch: onEpoch)
        let trainSeconds = Date().timeIntervalSince(start)
        let evaluationStart = Date()
        let metrics = evaluate(model, on: dataset)
        return HashingRunResult(model: model, metrics: metrics, labelledItems: masked.labeledRows.count, history: history,
                                trainSeconds: trainSeconds, evaluateSeconds: Date().timeIntervalSince(evaluationStart))
    }

    /// Encodes the database (train + val, with their true labels) and the queries (test) and
    /// computes the retrieval metrics of design.md, Evaluation.
    public static func evaluate(_ model: any HashingModel, on dataset: Dataset) -> [String: Double] {
        let database = dataset.database
        let metrics = RetrievalMetrics.evaluate(
            queryCodes: model.codes(dataset.test.features), queryLabels: dataset.test.labels,
            databaseCodes: model.codes(database.features), databaseLabels: database.labels)
        return metrics.report
    }
}
