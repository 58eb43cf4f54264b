/// The cells of a sweep: every (run, bits, level, model) with its seed and loss weights (design.md, Experimental protocol).
///
/// ```
/// cells = [ (model, bits, level, run) for run in 0..<runs, bits in bits, level in levels, model in models ]
/// seed(run) = seeds[run]        seeds = 20, 144, 1028, 2044, 101, 6077, 621, 1981, 2806, 79
/// weights   = table[dataset, model, bits, level], each overridden by a given α/β/γ;
///             without a table: the model's defaults, overridden likewise
/// ```
///
/// Runs are the outermost loop, so a sweep stopped half-way already holds complete tables with
/// fewer repetitions rather than some models or levels and not others.
///
/// ```swift
/// let grid = ExperimentGrid(datasetSpec: "snippets:DATA/snippets", datasetName: "snippets", models: [.ssbVAE],
///                           bits: [16], levels: try SupervisionLevels.parse("0.1:1.0:0.1"), runs: 5)
/// let cells = try grid.cells(table: try HyperparameterTable.read(path: "reference-hyperparameters.csv"))
/// ```
public struct ExperimentGrid: Sendable {
    /// The seeds the reference reseeds with (design.md, Experimental protocol); run r uses `referenceSeeds[r]`.
    public static let referenceSeeds: [UInt64] = [20, 144, 1028, 2044, 101, 6077, 621, 1981, 2806, 79]

    public var datasetSpec: String
    public var datasetName: String
    public var models: [ModelPreset]
    public var bits: [Int]
    public var levels: [Double]
    public var seeds: [UInt64]
    /// Weights given explicitly (flags); each overrides the table's or default value.
    public var alpha: Double?, beta: Double?, gamma: Double?
    public var variant: ModelVariant
    public var training: TrainingOptions
    public var pairSimilarity: PairSimilarity = .dot
    public var bitBalance: Double = 0
    /// The loaded dataset's `substitutions`, carried into every cell's fingerprint.
    public var substitutions: [(key: String, value: String)] = []

    public init(datasetSpec: String, datasetName: String, models: [ModelPreset], bits: [Int], levels: [Double], runs: Int,
                seeds: [UInt64] = ExperimentGrid.referenceSeeds, alpha: Double? = nil, beta: Double? = nil, gamma: Double? = nil,
                variant: ModelVariant = .reference, training: TrainingOptions = TrainingOptions()) throws {
        guard runs >= 1 else { throw SemanticHashingError.invalidArgument(name: "runs", reason: "must be ≥ 1, got \(runs)") }
        guard runs <= seeds.count else {
            throw SemanticHashingError.invalidArgument(name: "runs", reason: "\(runs) runs need \(runs) seeds, only \(seeds.count) given (\(seeds.map(String.init).joined(separator: ",")))")
        }
        guard !models.isEmpty else { throw SemanticHashingError.invalidArgument(name: "models", reason: "no models given") }
        guard !bits.isEmpty else { throw SemanticHashingError.invalidArgument(name: "code lengths", reason: "no code lengths given") }
        self.datasetSpec = datasetSpec
        self.datasetName = try CSVField.text(datasetName, name: "dataset name")
        self.models = models
        self.bits = bits
        self.levels = levels
        self.seeds = Array(seeds.prefix(runs))
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.variant = variant
        self.training = training
    }

    /// The weights of one (model, bits, level); `table` nil means the model's defaults.
    public func weights(model: ModelPreset, bits: Int, level: Double, table: HyperparameterTable?, tableSource: String = "the hyper-parameter table") throws -> LossWeights {
        var base = model.defaultWeights
        // The classical models have no loss weights.
        if model.family == .classical { return base }
        if let table {
            if let entry = table.entry(dataset: datasetName, model: model, bits: bits, level: level) {
                base = entry.weights
            } else if alpha == nil || beta == nil || gamma == nil {
                _ = try table.weights(dataset: datasetName, model: model, bits: bits, level: level, source: tableSource)
            }
        }
        return LossWeights(alpha: alpha ?? base.alpha, beta: beta ?? base.beta, gamma: gamma ?? base.gamma)
    }

    /// All cells in sweep order (runs outermost, then bits, levels, models).
    public func cells(table: HyperparameterTable?, tableSource: String = "the hyper-parameter table") throws -> [ExperimentCell] {
        var cells: [ExperimentCell] = []
        for (run, seed) in seeds.enumerated() {
            for b in bits {
                for level in levels {
                    for model in models {
                        let w = try weights(model: model, bits: b, level: level, table: table, tableSource: tableSource)
                        cells.append(ExperimentCell(datasetSpec: datasetSpec, datasetName: datasetName, model: model, bits: b, level: level,
                                                    run: run, seed: seed, weights: w, variant: variant, training: training,
                                                    pairSimilarity: pairSimilarity, bitBalance: bitBalance, substitutions: substitutions))
                    }
                }
            }
        }
        return cells
    }
}
