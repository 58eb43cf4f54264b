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
    --tune auto searches the weights the command line does not fix within --budget: it hides the
    labels of 30 % of the labelled training items, trains candidates (the defaults first, then
    draws within ×100 of α and γ and ×10 of β), and scores how well the hidden items' codes
    retrieve each other's classes; models that read an input classifier into their codes are also
    scored with its weight there ×½, 2, 4 (a refit, not a training). The best candidate replaces
    the starting weights if it is ahead by three standard errors of the per-query difference; the
    final model trains with the winner and every label. Only labels that training may use are
    read; the test split is never touched.
    Example:
      semhash train --data snippets:DATA/snippets --model ssb-vae --bits 16 --supervision 0.1 --out m.semhash
      semhash train --data text:my-corpus --model ssb-vae --bits 32 --tune auto --budget 10m
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
            printError("trained \(settings.preset.paperName) (\(settings.bits) bits) in \(String(format: "%.2f", run.trainSeconds)) s on \(ComputeBackend.current.name); wrote \(out)")
        }
    }
)

/// The model and optimisation options of `train`, and the training they describe.
struct TrainingSettings {
    static let options: [OptionSpec] = [CommonOptions.data, CommonOptions.model, CommonOptions.bits]
        + CommonOptions.supervisionGroup + CommonOptions.weights + [CommonOptions.variant] + CommonOptions.terms + CommonOptions.optimisation
        + [CommonOptions.seed,
           .choice("--tune", "MODE", "Choose the loss weights on held-out labelled items", ["off", "auto"], default: "off"),
           .duration("--budget", "Time for --tune auto, the final training included", default: "5m")]

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
        tune = args.string("--tune") == "auto"
        budget = OptionSpec.seconds(fromDuration: args.string("--budget")!)!
        if tune && preset.family != .vae {
            throw UsageError(description: "--tune auto: \(preset.rawValue) is fitted in closed form and has no loss weights to tune")
        }
        if tune && !args.isGiven("--labeled-rows"), try args.double("--supervision") == 0 {
            throw UsageError(description: "--tune auto scores candidates on labelled items, and --supervision 0 leaves none")
        }
        if args.isGiven("--budget") && !tune {
            throw UsageError(description: "--budget applies to --tune auto")
        }
        self.args = args
    }

    var tune: Bool
    var budget: TimeInterval

    struct Result {
        var file: ModelFile
        var trainSeconds: Double
        var summaryJSON: [String: Any]
    }

    func train(on dataset: Dataset, args: ParsedArguments, quiet: Bool) throws -> Result {
        let masked = try CommonOptions.maskedTraining(dataset, args, seed: options.seed)
        let options = try CommonOptions.forTraining(items: masked.split.count, self.options, args, quiet: quiet)
        var weights = try CommonOptions.weights(args, over: preset.defaultWeights)
        var config = ModelConfiguration(preset: preset, bits: bits, inputDimensions: dataset.featureCount,
                                        classCount: dataset.classCount, multiLabel: dataset.isMultiLabel,
                                        reconstruction: dataset.reconstruction, weights: weights, variant: variant,
                                        pairSimilarity: try CommonOptions.pairSimilarity(args), bitBalance: try CommonOptions.bitBalance(args))
        try config.validate()
        var tuningJSON: [[String: Any]]?
        var readoutInputWeight = 1.0
        if tune {
            let outcome = try tuneWeights(config, on: masked.split, options: options, quiet: quiet)
            weights = outcome.chosen.weights
            readoutInputWeight = outcome.chosen.readoutInputWeight
            config.weights = weights
            tuningJSON = outcome.ranked.map { c in
                ["alpha": c.weights.alpha, "beta": c.weights.beta, "gamma": c.weights.gamma, "readout_input_weight": c.readoutInputWeight,
                 "chosen": c.hasSameSetting(as: outcome.chosen), "score": c.score ?? NSNull(), "seconds": c.seconds, "failure": c.failure ?? NSNull()]
            }
        }
        let batchesTotal = options.epochs * ((masked.split.count + options.batchSize - 1) / options.batchSize)
        let bar = ProgressReporter(label: "\(preset.paperName) \(bits) bits", total: batchesTotal, quiet: quiet)
        // At most 30 epoch lines (every epoch of the default 30), however many the step floor asks for.
        let logEvery = (options.epochs + 29) / 30
        if logEvery > 1 { bar.log("losses every \(logEvery) epochs of \(options.epochs), and the last") }
        let start = Date()
        let (model, history) = try ModelTraining.fit(config, on: masked.split, options: options, readoutInputWeight: readoutInputWeight, onBatch: { _, _, losses in
            bar.advance(detail: String(format: "loss %.4g", losses.total))
        }, onEpoch: { e in
            guard e.epoch == 1 || e.epoch % logEvery == 0 || e.epoch == e.epochs else { return }
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
        var json: [String: Any] = ["model": preset.rawValue, "bits": bits, "supervision": masked.level as Any? ?? NSNull(),
                                   "labelled_items": masked.labelled, "seed": options.seed, "epochs": options.epochs, "train_seconds": seconds,
                                   "alpha": weights.alpha, "beta": weights.beta, "gamma": weights.gamma]
        if let tuningJSON { json["tuning"] = tuningJSON }
        if let readout = (model as? HashingVAE)?.readout, let kept = readout.fitAttempts.last {
            json["readout"] = ["split_bits": kept.splitBits, "largest_share": kept.largestShare, "input_weight": readout.inputWeight,
                               "pseudo_labelled_items": readout.pseudoLabelledItems,
                               "attempts": readout.fitAttempts.map { ["split_bits": $0.splitBits, "largest_share": $0.largestShare] }]
        }
        if let choice = (model as? HashingVAE)?.inputReadoutChoice?.json { json["input_readout"] = choice }
        return Result(file: file, trainSeconds: seconds, summaryJSON: json)
    }

    /// `--tune auto`: the weights to train with, and every candidate's score.
    private func tuneWeights(_ config: ModelConfiguration, on split: DataSplit, options: TrainingOptions,
                             quiet: Bool) throws -> BudgetedTuning.Outcome {
        let fixed = Set(["alpha", "beta", "gamma"].filter { args.isGiven("--\($0)") })
        let tuning = try BudgetedTuning(configuration: config, training: split, options: options, fixed: fixed)
        func log(_ line: String) { if !quiet { printError(line) } }
        let searched = BudgetedTuning.tunableWeights(of: preset).filter(tuning.searched.contains)
        log("tuning \(searched.isEmpty ? "nothing (every weight is fixed)" : searched.joined(separator: ", ")) within \(ProgressReporter.format(budget)): "
                + "\(tuning.queries.count + tuning.references.count) labelled items train without their labels, and the codes of "
                + "\(tuning.queries.count) of them retrieve among the other \(tuning.references.count) (held-out p@\(tuning.cutoff))")
        func number(_ v: Double) -> String { String(format: "%.3g", v) }
        func describe(_ c: BudgetedTuning.Candidate) -> String {
            "α=\(number(c.weights.alpha)) β=\(number(c.weights.beta)) γ=\(number(c.weights.gamma))"
                + (c.readoutInputWeight == 1 ? "" : ", input classifier ×\(number(c.readoutInputWeight)) in the readout")
        }
        // The bar counts seconds of the budget, so its ETA is the time the budget leaves.
        let bar = ProgressReporter(label: "tune", total: Int(budget.rounded(.up)), quiet: quiet)
        let outcome = tuning.run(budget: budget, maxCandidates: searched.isEmpty ? 1 : 50) { i, c in
            bar.log("  [\(i + 1)] \(describe(c))  " + (c.score.map { String(format: "held-out p@\(tuning.cutoff) %.4f", $0) } ?? "diverged")
                    + String(format: "  (%.1f s)", c.seconds))
            bar.advance(by: Int(c.seconds.rounded()), detail: "candidate \(i + 1)")
        }
        bar.finish()
        guard let score = outcome.chosen.score else {
            throw SemanticHashingError.trainingDiverged(reason: "every --tune candidate diverged (\(outcome.current.failure ?? "no candidate ran")); try a lower --learning-rate")
        }
        let tried = "\(outcome.ranked.count) candidate\(outcome.ranked.count == 1 ? "" : "s")"
        if outcome.chosen.hasSameSetting(as: outcome.current) {
            let best = outcome.ranked[0]
            log("kept the starting weights (held-out \(String(format: "%.4f", score))) after \(tried): "
                + (best.hasSameSetting(as: outcome.current) ? "none scored higher"
                   : "the best, \(describe(best)) at \(String(format: "%.4f", best.score ?? 0)), is not ahead by \(Int(BudgetedTuning.requiredStandardErrors)) standard errors of the per-query difference"))
        } else {
            log("tuned after \(tried): \(describe(outcome.chosen)), held-out \(String(format: "%.4f", score)) against \(String(format: "%.4f", outcome.current.score ?? 0)) with the starting weights")
        }
        return outcome
    }
}
