/// One cell of an experiment sweep: a (model, bits, supervision level, run) on a dataset, with
/// every setting that changes its result, and the fingerprint that identifies it in a results file.
///
/// ```
/// config_hash = FNV-1a-64( "semhash-experiment/v1|data=…|name=…|model=…|bits=…|level=…|alpha=…|beta=…|gamma=…|
///                           variant=…|hidden=…|temperature=…|epochs=…|batch=…|lr=…|lazy_adam=…|seed=…" )
/// ```
///
/// Two cells with the same hash train the same model on the same data with the same seed, so
/// (on one machine and compute backend) they produce the same numbers: the hash is the resume key.
///
/// ```swift
/// let cell = ExperimentCell(datasetSpec: "snippets:DATA/snippets", datasetName: "snippets", model: .ssbVAE, bits: 16,
///                           level: 0.1, run: 0, seed: 20, weights: LossWeights(alpha: 1e-4, beta: 1.0 / 64, gamma: 1e4))
/// print(cell.configHash)
/// ```
public struct ExperimentCell: Sendable, Equatable {
    /// Bumped whenever the meaning of a setting or of the training code's output changes on purpose,
    /// so old rows are not mistaken for new ones.
    public static let formatVersion = 1

    public var datasetSpec: String
    public var datasetName: String
    public var model: ModelPreset
    public var bits: Int
    public var level: Double
    /// 0-based index of the repetition; `seed` is the seed this run uses.
    public var run: Int
    public var seed: UInt64
    public var weights: LossWeights
    public var variant: ModelVariant
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var lazyAdam: Bool
    public var pairSimilarity: PairSimilarity
    public var bitBalance: Double
    /// The dataset's `substitutions` (settings this machine could not honour): a corpus stemmed
    /// with Porter2 for want of WordNet is other data, so its rows must not resume WordNet's.
    public var substitutions: [(key: String, value: String)]

    public static func == (a: ExperimentCell, b: ExperimentCell) -> Bool { a.canonicalDescription == b.canonicalDescription && a.run == b.run }

    public init(datasetSpec: String, datasetName: String, model: ModelPreset, bits: Int, level: Double, run: Int, seed: UInt64,
                weights: LossWeights, variant: ModelVariant = .reference, training: TrainingOptions = TrainingOptions(),
                pairSimilarity: PairSimilarity = .dot, bitBalance: Double = 0, substitutions: [(key: String, value: String)] = []) {
        self.datasetSpec = datasetSpec
        self.datasetName = datasetName
        self.model = model
        self.bits = bits
        self.level = SupervisionLevels.rounded(level)
        self.run = run
        self.seed = seed
        self.weights = weights
        self.variant = variant
        self.epochs = training.epochs
        self.batchSize = training.batchSize
        self.learningRate = training.learningRate
        self.lazyAdam = training.lazyAdam
        self.pairSimilarity = pairSimilarity
        self.bitBalance = bitBalance
        self.substitutions = substitutions
    }

    /// The optimisation settings of this cell, seeded with its run's seed.
    public var trainingOptions: TrainingOptions {
        TrainingOptions(epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: seed, lazyAdam: lazyAdam)
    }

    /// The model's architecture and losses for `dataset`.
    public func configuration(for dataset: Dataset) -> ModelConfiguration {
        ModelConfiguration(preset: model, bits: bits, inputDimensions: dataset.featureCount, classCount: dataset.classCount,
                           multiLabel: dataset.isMultiLabel, reconstruction: dataset.reconstruction, weights: weights, variant: variant,
                           pairSimilarity: pairSimilarity, bitBalance: bitBalance)
    }

    /// Every setting that changes the result, in a fixed order and spelling.
    public var canonicalDescription: String {
        // Architecture constants that are not flags yet still belong in the fingerprint.
        let defaults = ModelConfiguration(preset: model, bits: bits, inputDimensions: 1, classCount: 1, multiLabel: false)
        // A setting the model ignores is written at its default, so that changing it (the step
        // floor raising the epochs of a classical model, the command line's principled variant on
        // a model without labels) does not make the same result look like a new cell.
        let classical = model.family == .classical
        let variant = model.usesLabels && !classical ? self.variant : .reference
        let training = classical ? TrainingOptions() : trainingOptions
        var fields: [(String, String)] = [
            ("data", datasetSpec), ("name", datasetName), ("model", model.rawValue), ("bits", String(bits)),
            ("level", CSVField.number(level)), ("alpha", CSVField.number(weights.alpha)), ("beta", CSVField.number(weights.beta)),
            ("gamma", CSVField.number(weights.gamma)), ("variant", variant.rawValue), ("hidden", String(defaults.hiddenDimensions)),
            ("temperature", CSVField.number(defaults.temperature)), ("epochs", String(training.epochs)),
            ("batch", String(training.batchSize)), ("lr", CSVField.number(training.learningRate)),
            ("lazy_adam", String(training.lazyAdam)), ("seed", String(seed)),
        ]
        // Settings added later appear only when they differ from what older rows meant, so those
        // rows keep their hashes.
        if pairSimilarity != .dot { fields.append(("similarity", pairSimilarity.rawValue)) }
        if bitBalance != 0 { fields.append(("bit_balance", CSVField.number(bitBalance))) }
        fields += substitutions.map { ("substituted_\($0.key)", $0.value) }
        // The principled variant's second revision: β per 16 bits, the pair weight by labelled share.
        if variant == .principled { fields.append(("principled", "2")) }
        return (["semhash-experiment/v\(Self.formatVersion)"] + fields.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
    }

    /// 16 hex digits of FNV-1a-64 over `canonicalDescription`.
    public var configHash: String { FNV1a.hex64(canonicalDescription) }
}
