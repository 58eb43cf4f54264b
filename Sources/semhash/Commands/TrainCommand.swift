import Foundation
import SemanticHashing

let trainCommand = Command(
    words: ["train"],
    summary: "Train a hashing model (ssb-vae, phs-gs, vdsh-s, vdsh, bvae) and save it.",
    discussion: """
    Trains on the training + validation items with the labels the supervision level leaves
    (SPEC §6), then writes a self-describing model file. Loss weights default to the reference's
    Snippets settings for the model; --alpha/--beta/--gamma override them:
      vdsh, bvae:       REC + β·KL
      vdsh-s:           REC + β·KL + α·POINT
      phs-gs, ssb-vae:  REC + β·KL + α·(γ·POINT + PAIR)
    Example:
      semhash train --data snippets:DATA/snippets --model ssb-vae --bits 16 --supervision 0.1 --out m.semhash
    """,
    options: TrainingSettings.options + [.value("--out", "FILE", "Where to write the model", default: "model.semhash"), CommonOptions.json],
    run: { args in
        let quiet = args.flag("--json")
        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        let settings = try TrainingSettings(args)
        let run = try settings.train(on: dataset, args: args, quiet: quiet)
        let out = args.string("--out")!
        try run.file.write(to: out)
        if quiet {
            try CommonOptions.printJSON(run.summaryJSON.merging(["out": out]) { a, _ in a })
        } else {
            printError("trained \(settings.preset.paperName) (\(settings.bits) bits) in \(String(format: "%.2f", run.trainSeconds)) s; wrote \(out)")
        }
    }
)

/// The model and optimisation flags shared by `train` and `evaluate --train`-style commands.
struct TrainingSettings {
    static let options: [OptionSpec] = [
        CommonOptions.data,
        .value("--model", "NAME", "vdsh | bvae | vdsh-s | phs-gs | ssb-vae", default: "ssb-vae"),
        .value("--bits", "B", "Code length in bits", default: "16"),
        CommonOptions.supervision, CommonOptions.labeledRows,
        .value("--alpha", "A", "Weight α of the supervised terms (default: the model's)"),
        .value("--beta", "B", "Weight β of the KL term (default: the model's)"),
        .value("--gamma", "G", "Weight γ of the pointwise term inside α·(γ·POINT + PAIR) (default: the model's)"),
        .value("--variant", "V", "reference (reproduce the reference's quirks) | principled", default: "reference"),
        .value("--epochs", "N", "Training epochs", default: "30"),
        .value("--batch-size", "N", "Mini-batch size", default: "100"),
        .value("--learning-rate", "LR", "Adam learning rate", default: "0.001"),
        .flag("--dense-adam", "Update every row of the first layer each step (exact Keras Adam; slower on sparse data)."),
        .value("--seed", "N", "Seed of initialisation, shuffling and noise", default: "20"),
        CommonOptions.maskSeed,
    ]

    var preset: ModelPreset
    var bits: Int
    var variant: ModelVariant
    var alpha: Double?, beta: Double?, gamma: Double?
    var options: TrainingOptions

    init(_ args: ParsedArguments) throws {
        preset = try CommonOptions.preset(args)
        bits = try args.int("--bits") ?? 16
        guard let v = ModelVariant(rawValue: args.string("--variant") ?? "reference") else {
            throw UsageError(description: "--variant must be reference or principled")
        }
        variant = v
        alpha = try args.double("--alpha")
        beta = try args.double("--beta")
        gamma = try args.double("--gamma")
        options = TrainingOptions(epochs: try args.int("--epochs") ?? 30, batchSize: try args.int("--batch-size") ?? 100,
                                  learningRate: try args.double("--learning-rate") ?? 1e-3,
                                  seed: try CommonOptions.seed(args), lazyAdam: !args.flag("--dense-adam"))
    }

    struct Result {
        var file: ModelFile
        var trainSeconds: Double
        var summaryJSON: [String: Any]
    }

    func train(on dataset: Dataset, args: ParsedArguments, quiet: Bool) throws -> Result {
        let masked = try CommonOptions.maskedTraining(dataset, args, seed: options.seed)
        let defaults = preset.defaultWeights
        let weights = LossWeights(alpha: alpha ?? defaults.alpha, beta: beta ?? defaults.beta, gamma: gamma ?? defaults.gamma)
        let config = ModelConfiguration(preset: preset, bits: bits, inputDimensions: dataset.featureCount,
                                        classCount: dataset.classCount, multiLabel: dataset.isMultiLabel,
                                        reconstruction: dataset.reconstruction, weights: weights, variant: variant)
        try config.validate()
        let model = HashingVAE(configuration: config, seed: options.seed)
        let batchesTotal = options.epochs * ((masked.split.count + options.batchSize - 1) / options.batchSize)
        let bar = ProgressReporter(label: "\(preset.paperName) \(bits) bits", total: batchesTotal, quiet: quiet)
        let start = Date()
        let history = try Trainer(options: options).train(model, on: masked.split, onBatch: { _, _, losses in
            bar.advance(detail: String(format: "loss %.4g", losses.total))
        }, onEpoch: { e in
            bar.log(String(format: "epoch %d/%d  loss %.5g  rec %.4g  kl %.4g  point %.4g  pair %.4g  (%.2f s)",
                           e.epoch, e.epochs, e.losses.total, e.losses.reconstruction, e.losses.kl, e.losses.pointwise,
                           e.losses.pairwise, e.seconds))
        })
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        let last = history.last!.losses
        let metadata = ModelMetadata(
            dataset: args.string("--data") ?? "", datasetName: dataset.name, classNames: dataset.classNames,
            supervision: masked.level, labelledItems: masked.labelled, training: options, trainSeconds: seconds,
            finalLosses: ["total": Double(last.total), "reconstruction": Double(last.reconstruction), "kl": Double(last.kl),
                          "pointwise": Double(last.pointwise), "pairwise": Double(last.pairwise)],
            created: ISO8601DateFormatter().string(from: Date()), backend: ComputeBackend.current.name,
            version: SemanticHashingVersion.string)
        let file = ModelFile(model: model, preprocessing: dataset.preprocessing, metadata: metadata)
        let json: [String: Any] = ["model": preset.rawValue, "bits": bits, "supervision": masked.level as Any? ?? NSNull(),
                                   "labelled_items": masked.labelled, "seed": options.seed, "train_seconds": seconds,
                                   "alpha": weights.alpha, "beta": weights.beta, "gamma": weights.gamma]
        return Result(file: file, trainSeconds: seconds, summaryJSON: json)
    }
}
