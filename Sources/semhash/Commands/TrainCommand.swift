import Foundation
import SemanticHashing

let trainCommand = Command(
    words: ["train"],
    summary: "Train a hashing model and save it.",
    discussion: """
    Trains on the training + validation items with the labels the supervision level leaves, then
    writes a self-describing model file (the fitted text vectoriser included, so new text is
    encoded exactly as in training). Loss weights default to the model's; --alpha/--beta/--gamma
    override them:
      vdsh, bvae:       REC + β·KL
      vdsh-s:           REC + β·KL + α·POINT
      phs-gs, ssb-vae:  REC + β·KL + α·(γ·POINT + PAIR)
    docs/design.md explains the models and their losses.
    Example:
      semhash train --data snippets:DATA/snippets --model ssb-vae --bits 16 --supervision 0.1 --out m.semhash
    """,
    options: TrainingSettings.options + [.value("--out", "FILE", "Where to write the model", default: "model.semhash"), CommonOptions.json],
    exclusive: [CommonOptions.supervisionExclusive],
    run: { args in
        let quiet = args.flag("--json")
        let settings = try TrainingSettings(args)
        let out = args.string("--out")!
        try CommonOptions.checkWritable(out)
        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        let run = try settings.train(on: dataset, args: args, quiet: quiet)
        try run.file.write(to: out)
        reportTrainingCodeUsage(run.file, on: dataset.database, quiet: quiet)
        if quiet {
            try CommonOptions.printJSON(run.summaryJSON.merging(["out": out]) { a, _ in a })
        } else {
            printError("trained \(settings.preset.paperName) (\(settings.bits) bits) in \(String(format: "%.2f", run.trainSeconds)) s; wrote \(out)")
        }
    }
)

/// The model and optimisation options of `train`, and the training they describe.
struct TrainingSettings {
    static let options: [OptionSpec] = [CommonOptions.data, CommonOptions.model, CommonOptions.bits]
        + CommonOptions.supervisionGroup + CommonOptions.weights + [CommonOptions.variant] + CommonOptions.terms + CommonOptions.optimisation
        + [CommonOptions.seed]

    var preset: ModelPreset
    var bits: Int
    var variant: ModelVariant
    var options: TrainingOptions
    let args: ParsedArguments

    init(_ args: ParsedArguments) throws {
        preset = try CommonOptions.preset(args)
        bits = try args.int("--bits")!
        variant = try CommonOptions.variant(args)
        options = try CommonOptions.trainingOptions(args, seed: try CommonOptions.seed(args))
        self.args = args
    }

    struct Result {
        var file: ModelFile
        var trainSeconds: Double
        var summaryJSON: [String: Any]
    }

    func train(on dataset: Dataset, args: ParsedArguments, quiet: Bool) throws -> Result {
        let masked = try CommonOptions.maskedTraining(dataset, args, seed: options.seed)
        let options = try CommonOptions.forTraining(items: masked.split.count, self.options, args, quiet: quiet)
        let weights = try CommonOptions.weights(args, over: preset.defaultWeights)
        let config = ModelConfiguration(preset: preset, bits: bits, inputDimensions: dataset.featureCount,
                                        classCount: dataset.classCount, multiLabel: dataset.isMultiLabel,
                                        reconstruction: dataset.reconstruction, weights: weights, variant: variant,
                                        pairSimilarity: try CommonOptions.pairSimilarity(args), bitBalance: try CommonOptions.bitBalance(args))
        try config.validate()
        let batchesTotal = options.epochs * ((masked.split.count + options.batchSize - 1) / options.batchSize)
        let bar = ProgressReporter(label: "\(preset.paperName) \(bits) bits", total: batchesTotal, quiet: quiet)
        let start = Date()
        let (model, history) = try ModelTraining.fit(config, on: masked.split, options: options, onBatch: { _, _, losses in
            bar.advance(detail: String(format: "loss %.4g", losses.total))
        }, onEpoch: { e in
            bar.log(String(format: "epoch %d/%d  loss %.5g  rec %.4g  kl %.4g  point %.4g  pair %.4g  (%.2f s)",
                           e.epoch, e.epochs, e.losses.total, e.losses.reconstruction, e.losses.kl, e.losses.pointwise,
                           e.losses.pairwise, e.seconds))
        })
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        let last = history.last?.losses ?? LossBreakdown()
        let metadata = ModelMetadata(
            dataset: args.string("--data") ?? "", datasetName: dataset.name, classNames: dataset.classNames,
            supervision: masked.level, labelledItems: masked.labelled, training: options, trainSeconds: seconds,
            finalLosses: history.isEmpty ? [:] : ["total": Double(last.total), "reconstruction": Double(last.reconstruction), "kl": Double(last.kl),
                                                  "pointwise": Double(last.pointwise), "pairwise": Double(last.pairwise)],
            created: ISO8601DateFormatter().string(from: Date()), backend: ComputeBackend.current.name,
            version: SemanticHashingVersion.string)
        let file = ModelFile(model: model, preprocessing: dataset.preprocessing, metadata: metadata)
        let json: [String: Any] = ["model": preset.rawValue, "bits": bits, "supervision": masked.level as Any? ?? NSNull(),
                                   "labelled_items": masked.labelled, "seed": options.seed, "epochs": options.epochs, "train_seconds": seconds,
                                   "alpha": weights.alpha, "beta": weights.beta, "gamma": weights.gamma]
        return Result(file: file, trainSeconds: seconds, summaryJSON: json)
    }
}
