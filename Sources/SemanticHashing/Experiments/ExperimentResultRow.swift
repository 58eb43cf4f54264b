/// One finished cell as a row of the results CSV: the reference's columns (design.md, Experimental protocol) followed by
/// ours.
///
/// ```
/// dataset,algorithm,level,alpha,beta,gamma,p@100,r@100,p@1000,p@5000,map@100,map@1000,map@5000,
/// added_val_flag,seed_used,tie_aware_p@100,bits,train_seconds,config_hash
/// ```
///
/// Numbers are written in Swift's shortest round-trip form, so reading a row back gives the same
/// values bit for bit; a metric the evaluation did not produce is an empty field.
///
/// ```swift
/// let row = ExperimentResultRow(cell: cell, result: result, addedValidation: true)
/// let line = row.csvLine   // no trailing newline
/// ```
public struct ExperimentResultRow: Sendable, Equatable {
    /// The retrieval metrics of the reference's CSV, in its order.
    public static let referenceMetrics = ["p@100", "r@100", "p@1000", "p@5000", "map@100", "map@1000", "map@5000"]
    public static let tieAwareMetric = "tie-aware p@100"
    public static let columns = ["dataset", "algorithm", "level", "alpha", "beta", "gamma"] + referenceMetrics
        + ["added_val_flag", "seed_used", "tie_aware_p@100", "bits", "train_seconds", "config_hash"]
    public static let header = columns.joined(separator: ",")
    /// Columns that vary between two runs of the same cell (wall time), left out when comparing.
    public static let timingColumns: Set<String> = ["train_seconds"]

    public var dataset: String
    public var algorithm: String
    public var level: Double
    public var weights: LossWeights
    /// Metric values by the names of `HashingRunResult.metrics` ("p@100", …, "tie-aware p@100").
    public var metrics: [String: Double]
    public var addedValidation: Bool
    public var seed: UInt64
    public var bits: Int
    public var trainSeconds: Double
    public var configHash: String

    public init(dataset: String, algorithm: String, level: Double, weights: LossWeights, metrics: [String: Double],
                addedValidation: Bool, seed: UInt64, bits: Int, trainSeconds: Double, configHash: String) {
        self.dataset = dataset
        self.algorithm = algorithm
        self.level = level
        self.weights = weights
        self.metrics = metrics
        self.addedValidation = addedValidation
        self.seed = seed
        self.bits = bits
        self.trainSeconds = trainSeconds
        self.configHash = configHash
    }

    public init(cell: ExperimentCell, metrics: [String: Double], trainSeconds: Double, addedValidation: Bool) {
        self.init(dataset: cell.datasetName, algorithm: cell.model.paperName, level: cell.level, weights: cell.weights,
                  metrics: metrics.filter { Self.referenceMetrics.contains($0.key) || $0.key == Self.tieAwareMetric },
                  addedValidation: addedValidation, seed: cell.seed, bits: cell.bits, trainSeconds: trainSeconds,
                  configHash: cell.configHash)
    }

    /// The fields in `columns` order.
    public var fields: [String] {
        func metric(_ name: String) -> String { metrics[name].map(CSVField.number) ?? "" }
        return [dataset, algorithm, CSVField.number(level), CSVField.number(weights.alpha), CSVField.number(weights.beta),
                CSVField.number(weights.gamma)] + Self.referenceMetrics.map(metric)
            + [addedValidation ? "True" : "False", String(seed), metric(Self.tieAwareMetric), String(bits),
               String(format: "%.3f", trainSeconds), configHash]
    }

    /// The row as one CSV line, without the newline.
    public var csvLine: String { fields.joined(separator: ",") }

    /// Reads a row written by `csvLine`; `location` (file:line) names it in errors.
    public init(fields: [String], location: String) throws {
        guard fields.count == Self.columns.count else {
            throw SemanticHashingError.malformedInput(location: location, reason: "\(fields.count) fields, expected \(Self.columns.count) (\(Self.header))")
        }
        func field(_ name: String) -> String { fields[Self.columns.firstIndex(of: name)!] }
        func number(_ name: String) throws -> Double {
            let text = field(name)
            guard let v = text == "nan" ? Double.nan : Double(text) else {
                throw SemanticHashingError.malformedInput(location: location, reason: "\(name) '\(text)' is not a number")
            }
            return v
        }
        var metrics: [String: Double] = [:]
        for name in Self.referenceMetrics where !field(name).isEmpty { metrics[name] = try number(name) }
        if !field("tie_aware_p@100").isEmpty { metrics[Self.tieAwareMetric] = try number("tie_aware_p@100") }
        guard let seed = UInt64(field("seed_used")) else {
            throw SemanticHashingError.malformedInput(location: location, reason: "seed_used '\(field("seed_used"))' is not a non-negative integer")
        }
        guard let bits = Int(field("bits")), bits > 0 else {
            throw SemanticHashingError.malformedInput(location: location, reason: "bits '\(field("bits"))' is not a positive integer")
        }
        guard !field("config_hash").isEmpty else { throw SemanticHashingError.malformedInput(location: location, reason: "empty config_hash") }
        self.init(dataset: field("dataset"), algorithm: field("algorithm"), level: try number("level"),
                  weights: LossWeights(alpha: try number("alpha"), beta: try number("beta"), gamma: try number("gamma")),
                  metrics: metrics, addedValidation: field("added_val_flag").lowercased() == "true", seed: seed, bits: bits,
                  trainSeconds: try number("train_seconds"), configHash: field("config_hash"))
    }

    /// The value of a results column or metric by name: "p@100", "tie-aware p@100" or "tie_aware_p@100", "train_seconds".
    public func value(of name: String) -> Double? {
        switch name {
        case "tie_aware_p@100", Self.tieAwareMetric: return metrics[Self.tieAwareMetric]
        case "train_seconds": return trainSeconds
        default: return metrics[name]
        }
    }
}
