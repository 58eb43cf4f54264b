import Foundation
import SemanticHashing

/// Options and steps that several commands share, each declared once: the dataset, the model and
/// its loss weights, the optimisation settings, the supervision (which labels the model sees),
/// seeds and output. Defaults come from the library's own default values.
enum CommonOptions {
    static let dataHelp = "Dataset spec: snippets:DIR, 20news:DIR, tmc:DIR, text:DIR|FILE, libsvm:TRAIN[,TEST][?values=log1p], arff:…, mat:FILE, npy:X,Y, csv:FILE, fashion-mnist:DIR, synthetic[:k=v,…]. See 'semhash datasets info --help'."

    static let data = OptionSpec.value("--data", "DATASET", dataHelp).required()
    static let json = OptionSpec.flag("--json", "Print one JSON object on stdout instead of a table.")

    // MARK: The model

    static let modelNames = ModelPreset.allCases.map(\.rawValue)
    static let model = OptionSpec.choice("--model", "NAME", "Model", modelNames, default: ModelPreset.ssbVAE.rawValue)
    static let bits = OptionSpec.integer("--bits", "B", "Code length in bits", default: 16, in: 1...1024)
    static let weights: [OptionSpec] = [
        .number("--alpha", "A", "Weight α of the supervised terms (default: the model's)", in: 0...Double.greatestFiniteMagnitude),
        .number("--beta", "B", "Weight β of the KL term (default: the model's)", in: 0...Double.greatestFiniteMagnitude),
        .number("--gamma", "G", "Weight γ of the pointwise term inside α·(γ·POINT + PAIR) (default: the model's)", in: 0...Double.greatestFiniteMagnitude),
    ]
    static let terms: [OptionSpec] = [
        .choice("--pair-similarity", "KIND", "Similarity of two items' label vectors in the pairwise term",
                PairSimilarity.allCases.map(\.rawValue), default: PairSimilarity.dot.rawValue),
        .number("--bit-balance", "L", "Weight λ of the penalty on unbalanced, correlated bits (0 = off)", default: 0,
                in: 0...Double.greatestFiniteMagnitude),
    ]
    static func pairSimilarity(_ args: ParsedArguments) throws -> PairSimilarity { PairSimilarity(rawValue: try args.required("--pair-similarity"))! }
    static func bitBalance(_ args: ParsedArguments) throws -> Double { try args.double("--bit-balance")! }

    /// The command line's default is principled (validation P@100 of SSB-VAE at 10 % labels, 16
    /// bits: TREC +0.041, TMC +0.023, Snippets +0.005, Ohsumed +0.002); the paper's grids pass
    /// `--variant reference`.
    static let variant = OptionSpec.choice("--variant", "V", "principled (sound loss terms, pseudo-labels in SSB-VAE) or reference (the paper's method and the reference's quirks, to reproduce its tables)",
                                           ModelVariant.allCases.map(\.rawValue), default: ModelVariant.principled.rawValue)

    // MARK: Optimisation

    static let optimisation: [OptionSpec] = {
        let d = TrainingOptions()
        return [
            .integer("--epochs", "N", "Training epochs; by default raised on small data until --min-steps is reached", default: d.epochs, in: 1...100_000),
            .integer("--min-steps", "N", "At least this many mini-batch steps, unless --epochs alone is given: small corpora train more epochs (0 = off)",
                     default: TrainingOptions.defaultMinimumSteps, in: 0...100_000_000),
            .integer("--batch-size", "N", "Mini-batch size", default: d.batchSize, in: 2...1_000_000),
            .number("--learning-rate", "LR", "Adam learning rate", default: d.learningRate, in: 0...10, openBelow: true),
            .flag("--dense-adam", "Update every row of the first layer each step (exact Keras Adam; slower on sparse data)."),
        ]
    }()
    static let seed = OptionSpec.integer("--seed", "N", "Seed of initialisation, shuffling and noise", default: Int(TrainingOptions().seed),
                                         in: 0...Int.max)

    /// The optimisation settings of the command line, seeded with `seed`; `epochs` is still the
    /// option's value until `forTraining(items:_:)` knows the data size.
    static func trainingOptions(_ args: ParsedArguments, seed: UInt64) throws -> TrainingOptions {
        TrainingOptions(epochs: try args.int("--epochs")!, batchSize: try args.int("--batch-size")!,
                        learningRate: try args.double("--learning-rate")!, seed: seed, lazyAdam: !args.flag("--dense-adam"))
    }

    /// `options` with the epochs raised so that training `items` items takes `--min-steps` steps,
    /// saying so unless `quiet`. An explicit `--epochs` alone is taken as it is; the floor is part
    /// of the default.
    static func forTraining(items: Int, _ options: TrainingOptions, _ args: ParsedArguments, quiet: Bool) throws -> TrainingOptions {
        if args.given.contains("--epochs") && !args.given.contains("--min-steps") { return options }
        let minimumSteps = try args.int("--min-steps")!
        let raised = options.raisingEpochs(toReach: minimumSteps, items: items)
        if raised.epochs > options.epochs && !quiet {
            printError("training \(raised.epochs) epochs instead of \(options.epochs): \(items) items make "
                       + "\((items + options.batchSize - 1) / options.batchSize) steps an epoch, and --min-steps asks for \(minimumSteps)")
        }
        return raised
    }

    static func seed(_ args: ParsedArguments) throws -> UInt64 { UInt64(try args.int("--seed")!) }

    static func preset(_ args: ParsedArguments, option: String = "--model") throws -> ModelPreset {
        ModelPreset(name: try args.required(option))!
    }

    static func variant(_ args: ParsedArguments) throws -> ModelVariant {
        ModelVariant(rawValue: try args.required("--variant"))!
    }

    /// `base` with each weight the command line gives replacing its value.
    static func weights(_ args: ParsedArguments, over base: LossWeights) throws -> LossWeights {
        LossWeights(alpha: try args.double("--alpha") ?? base.alpha, beta: try args.double("--beta") ?? base.beta,
                    gamma: try args.double("--gamma") ?? base.gamma)
    }

    // MARK: Supervision

    static let supervision = OptionSpec.number("--supervision", "P", "Fraction of training items that keep their labels", default: 1, in: 0...1)
    static let labeledRows = OptionSpec.value("--labeled-rows", "FILE", "File of 0-based rows of train+val that keep their labels (instead of --supervision)")
    static let maskSeed = OptionSpec.integer("--mask-seed", "N", "Seed of the label mask (default: --seed)", in: 0...Int.max)
    static let supervisionGroup = [supervision, labeledRows, maskSeed]
    static let supervisionExclusive = ["--supervision", "--labeled-rows"]

    /// The training items (train + val) with labels masked per --labeled-rows or --supervision.
    static func maskedTraining(_ dataset: Dataset, _ args: ParsedArguments, seed: UInt64) throws -> (split: DataSplit, level: Double?, labelled: Int) {
        if let path = args.string("--labeled-rows") {
            let rows = try SupervisionMask.readLabeledRows(path: path, rowCount: dataset.train.count + (dataset.validation?.count ?? 0))
            let masked = SupervisionMask.apply(to: dataset, labeledRows: rows)
            return (masked.train, nil, masked.labeledRows.count)
        }
        let level = try args.double("--supervision")!
        let maskSeed = try args.int("--mask-seed").map(UInt64.init) ?? seed
        let masked = SupervisionMask.apply(to: dataset, level: level, seed: maskSeed)
        return (masked.train, level, masked.labeledRows.count)
    }

    // MARK: Steps

    /// Loads --data. `ranks`: the caller will rank the database (evaluation), so warn when its
    /// order can sway the metrics. `model`: the text is vectorised by that model's own vectoriser.
    static func loadDataset(_ args: ParsedArguments, quiet: Bool = false, ranks: Bool = true, for model: ModelFile? = nil) throws -> (Dataset, Double) {
        let spec = try DatasetSpec(parsing: try args.required("--data"))
        let start = Date()
        var vectorizer: TextVectorizer?
        if let model, case .text(let v) = model.preprocessing {
            try v.checkReproducible()
            vectorizer = v
        }
        let dataset = try spec.load(vectorizer: vectorizer)
        let seconds = Date().timeIntervalSince(start)
        if !quiet { printError("loaded \(spec) in \(String(format: "%.2f", seconds)) s: \(dataset.train.count) train, \(dataset.validation?.count ?? 0) val, \(dataset.test.count) test, \(dataset.featureCount) features, \(dataset.classCount) classes") }
        if !quiet { for note in dataset.notes + [ComputeBackend.current.advice].compactMap({ $0 }) { printError("note: \(note)") } }
        if ranks && dataset.database.labels.isGroupedByClass {
            printError("note: the database (train + val) is sorted by class; ties in Hamming distance are broken by database index, so P@K and MAP@K depend on that order. Compare the tie-aware P@100, which does not.")
        }
        return (dataset, seconds)
    }

    /// Refuses an output path whose folder does not exist, before any long work starts.
    static func checkWritable(_ path: String) throws {
        let folder = SemanticHashing.folder(of: path)
        var isDirectory: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) else {
            throw SemanticHashingError.io(path: path, reason: "cannot write here: the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
            throw SemanticHashingError.io(path: path, reason: "cannot write here: the folder \(folder.isEmpty ? "." : folder) is not writable")
        }
    }

    static func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Runs a library check of an option's value, reporting a rejected value as a usage error of
/// `option` (exit 64) instead of the library's own name for the setting.
func usageChecked<T>(_ option: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let SemanticHashingError.invalidArgument(_, reason) {
        throw UsageError(description: "\(option): \(reason)")
    }
}
