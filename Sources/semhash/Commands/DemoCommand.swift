import Foundation
import SemanticHashing

let demoCommand = Command(
    words: ["demo"],
    summary: "See semantic hashing work: train SSB-VAE (10 % labels) and B-VAE on a built-in corpus.",
    discussion: """
    Generates the built-in synthetic corpus (no files, no network), trains SSB-VAE with 10 % of
    the labels and the unsupervised B-VAE on it as 'semhash train' does by default (principled
    variant, at least 1 500 steps unless --epochs is given), prints their retrieval precision
    side by side, then shows two queries with their nearest neighbours in Hamming space.
    """,
    options: [
        .value("--data", "DATASET", "Dataset to use instead of the built-in corpus", default: "synthetic"),
        CommonOptions.bits,
        .integer("--epochs", "N", "Training epochs per model; by default raised until 1 500 steps", default: TrainingOptions().epochs, in: 1...100_000),
        CommonOptions.supervision.defaulting(to: "0.1"),
        CommonOptions.seed,
        CommonOptions.json,
    ],
    run: { args in
        let quiet = args.flag("--json")
        let seed = try CommonOptions.seed(args)
        let bits = try args.int("--bits")!
        let level = try args.double("--supervision")!
        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        var options = TrainingOptions(epochs: try args.int("--epochs")!, seed: seed)
        if !args.isGiven("--epochs") {
            options = options.raisingEpochs(toReach: TrainingOptions.defaultMinimumSteps, items: dataset.database.count)
        }
        func say(_ text: String) { if !quiet { print(text) } }
        say("Corpus: \(dataset.train.count + (dataset.validation?.count ?? 0)) documents to search, \(dataset.test.count) queries, \(dataset.classCount) topics, \(dataset.featureCount) words.\n")

        var results: [(preset: ModelPreset, run: HashingRunResult)] = []
        for (preset, supervision) in [(ModelPreset.ssbVAE, level), (ModelPreset.bvae, 0.0)] {
            let config = ModelConfiguration(preset: preset, bits: bits, inputDimensions: dataset.featureCount,
                                            classCount: dataset.classCount, multiLabel: dataset.isMultiLabel,
                                            reconstruction: dataset.reconstruction, variant: .principled)
            let batches = options.epochs * ((dataset.database.count + options.batchSize - 1) / options.batchSize)
            let bar = ProgressReporter(label: "training \(preset.paperName)", total: batches, quiet: quiet)
            let run = try HashingRun.trainAndEvaluate(dataset, configuration: config, options: options,
                                                      supervision: .level(supervision, seed: seed),
                                                      onBatch: { _, _, _ in bar.advance() })
            bar.finish()
            say(String(format: "  trained %@ (%@ labels) in %.1f s", preset.paperName,
                       supervision == 0 ? "no" : "\(Int((supervision * 100).rounded())) %", run.trainSeconds))
            results.append((preset, run))
        }

        let ssb = results[0].run, bvae = results[1].run
        if quiet {
            try CommonOptions.printJSON([
                "bits": bits, "seed": seed, "supervision": level,
                "ssb-vae": ssb.metrics.merging(["train_seconds": ssb.trainSeconds]) { a, _ in a },
                "bvae": bvae.metrics.merging(["train_seconds": bvae.trainSeconds]) { a, _ in a },
            ])
            return
        }
        say("")
        say("Retrieval quality (\(bits)-bit codes; relevant = same topic; \(dataset.test.count) queries):")
        say("  metric            SSB-VAE (\(Int((level * 100).rounded())) % labels)   B-VAE (no labels)")
        for name in ["p@100", "map@100", "p@1000"] {
            say("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "%.3f", ssb.metrics[name] ?? 0).padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: "%.3f", bvae.metrics[name] ?? 0))
        }
        let gain = (ssb.metrics["p@100"] ?? 0) - (bvae.metrics["p@100"] ?? 0)
        say(String(format: "\nWith a tenth of the labels, SSB-VAE's codes put %.0f more same-topic documents in each top 100.\n", gain * 100))

        // Two example queries, searched with SSB-VAE's codes.
        let database = dataset.database
        let index = LinearScanIndex(codes: BinaryCodes(thresholding: ssb.model.codeValues(database.features)))
        let queryRows = [0, dataset.test.count / 2].filter { $0 < dataset.test.count }
        let queries = BinaryCodes(thresholding: ssb.model.codeValues(dataset.test.features.gatherRows(queryRows)))
        let hits = index.search(queries, k: 5)
        func className(_ labels: Labels, _ i: Int) -> String {
            labels.classesOf(i).map { dataset.classNames[Int($0)] }.joined(separator: ",")
        }
        func snippet(_ texts: [String]?, _ i: Int) -> String {
            guard let t = texts?[i] else { return "item \(i)" }
            return t.count > 60 ? String(t.prefix(57)) + "..." : t
        }
        for (q, row) in queryRows.enumerated() {
            let code = queries.hexString(at: q)
            say("Query: \"\(snippet(dataset.test.texts, row))\"  [\(className(dataset.test.labels, row))]  code \(code)")
            say("  dist  topic      document")
            for hit in hits.neighbors(of: q) {
                say("  " + "\(hit.distance)".padding(toLength: 6, withPad: " ", startingAt: 0)
                    + className(database.labels, hit.index).padding(toLength: 11, withPad: " ", startingAt: 0)
                    + snippet(database.texts, hit.index))
            }
            say("")
        }
        say("Next: 'semhash train --help' to train on your own documents (text:DIR, libsvm:FILE, …).")
    }
)
