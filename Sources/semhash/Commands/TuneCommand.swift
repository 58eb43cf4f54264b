import Foundation
import SemanticHashing

let tuneCommand = Command(
    words: ["tune"],
    summary: "Search α, β, γ for one dataset/model/bits/level on a validation split and write the winner to a hyper-parameter CSV.",
    discussion: """
    Carves a seeded fraction of the training (+ validation) items as queries, trains each candidate
    on the rest with the given supervision level, and ranks candidates by P@100 of those queries;
    the test split is never used. Candidates: a log grid (--grid, every combination) or --random N
    log-uniform draws in the same ranges. Weights without a range keep the value in --out (if it has
    a row for this cell), else the model's default. The winner replaces or is added to its row of
    --out, in the format 'semhash experiment --hyperparameters' reads.
    Example:
      semhash tune --data snippets:DATA/snippets --model ssb-vae --bits 16 --supervision 0.1 \\
        --grid alpha=1e-4:1e4:100,gamma=1:1e4:100 --epochs 10 --out tuned.csv
    """,
    options: [
        CommonOptions.data,
        .value("--dataset-name", "NAME", "Dataset name written to the CSV (default: the loader's)"),
        CommonOptions.model, CommonOptions.bits,
        .number("--supervision", "P", "Supervision level", default: 0.1, in: 0...1),
        .value("--grid", "RANGES", "Ranges: alpha=LOW:HIGH[:FACTOR],beta=…,gamma=… or NAME=VALUE to fix (default: alpha=1e-4:1e4:100, and gamma=1:1e4:100 for phs-gs/ssb-vae)"),
        .integer("--random", "N", "Draw N log-uniform candidates in the ranges instead of the full grid", in: 1...100_000),
        .number("--validation", "F", "Fraction of the training items used as validation queries", default: 0.1, in: 0...0.9, openBelow: true),
        CommonOptions.variant,
    ] + CommonOptions.terms + CommonOptions.optimisation + [
        .integer("--seed", "N", "Seed of the split, the label mask, training and random draws", default: Int(TrainingOptions().seed), in: 0...Int.max),
        .integer("--repetitions", "N", "The repetitions column of the written row (default: the existing row's, else 5)", in: 1...1000),
        .value("--out", "FILE", "Hyper-parameter CSV to add the winner to", default: "tuned-hyperparameters.csv"),
        CommonOptions.json,
    ],
    run: { args in try TuneCommand.run(args) }
)

/// The steps of `semhash tune`.
enum TuneCommand {
    static func run(_ args: ParsedArguments) throws {
        let quiet = args.flag("--json")
        let preset = try CommonOptions.preset(args)
        guard preset.family == .vae else {
            throw UsageError(description: "--model \(preset.rawValue) has no loss weights to tune (it is fitted in closed form)")
        }
        let bits = try args.int("--bits")!
        let level = SupervisionLevels.rounded(try args.double("--supervision")!)
        let variant = try CommonOptions.variant(args)
        let training = try CommonOptions.trainingOptions(args, seed: try CommonOptions.seed(args))
        let ranges = try usageChecked("--grid") {
            try args.string("--grid").map(HyperparameterSearch.parseRanges) ?? HyperparameterSearch.defaultRanges(for: preset)
        }
        let out = args.string("--out")!
        var table = FileManager.default.fileExists(atPath: out) ? try HyperparameterTable.read(path: out) : HyperparameterTable()

        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        let name = try CSVField.text(args.string("--dataset-name") ?? dataset.name, name: "--dataset-name")
        let existing = table.entry(dataset: name, model: preset, bits: bits, level: level)
        let base = existing?.weights ?? preset.defaultWeights
        let candidates: [LossWeights]
        if let n = try args.int("--random") {
            candidates = HyperparameterSearch.random(ranges, base: base, count: n, seed: training.seed)
        } else {
            candidates = HyperparameterSearch.grid(ranges, base: base)
        }
        let fraction = try args.double("--validation")!
        let pool = dataset.database.count
        let trainingItems = pool - HyperparameterSearch.queryCount(pool: pool, fraction: fraction)
        let search = try HyperparameterSearch(dataset: dataset, model: preset, bits: bits, level: level,
                                              training: try CommonOptions.forTraining(items: trainingItems, training, args, quiet: quiet),
                                              validationFraction: fraction, variant: variant,
                                              pairSimilarity: try CommonOptions.pairSimilarity(args), bitBalance: try CommonOptions.bitBalance(args))
        let bar = ProgressReporter(label: "tune", total: candidates.count, quiet: quiet)
        if !quiet {
            printError("\(candidates.count) candidates for \(preset.paperName), \(bits) bits, level \(CSVField.number(level)) on \(name): \(search.split.train.count) training items, \(search.split.test.count) validation queries")
        }
        let ranked = search.run(candidates) { i, c in
            bar.advance()
            bar.log(String(format: "[%d/%d] α=%@ β=%@ γ=%@  %@  (%.1f s)", i + 1, candidates.count, CSVField.number(c.weights.alpha),
                           CSVField.number(c.weights.beta), CSVField.number(c.weights.gamma),
                           c.score.map { String(format: "p@100 %.4f", $0) } ?? "diverged", c.seconds)
                    + (c.inputReadoutChoice.flatMap { $0.scores.isEmpty ? nil : "  codes read from: \($0.chosen.rawValue)" } ?? ""))
        }
        bar.finish()
        guard let best = ranked.first, best.score != nil else {
            throw SemanticHashingError.invalidArgument(name: "tune", reason: "every candidate diverged; try smaller ranges or a lower --learning-rate")
        }
        let repetitions = try args.int("--repetitions") ?? existing?.repetitions ?? 5
        table.upsert(.init(dataset: name, model: preset, level: level, weights: best.weights, bits: bits, repetitions: repetitions))
        try table.write(to: out)
        if quiet {
            try CommonOptions.printJSON([
                "out": out, "dataset": name, "model": preset.paperName, "bits": bits, "level": level,
                "ranked": ranked.map { c -> [String: Any] in
                    var row: [String: Any] = ["alpha": c.weights.alpha, "beta": c.weights.beta, "gamma": c.weights.gamma,
                                              "p@100": c.score ?? NSNull(), "seconds": c.seconds, "failure": c.failure ?? NSNull()]
                    if let choice = c.inputReadoutChoice?.json { row["input_readout"] = choice }
                    return row
                },
            ])
            return
        }
        print("rank  alpha        beta         gamma        val p@100  seconds")
        for (i, c) in ranked.enumerated() {
            func col(_ v: Double) -> String { CSVField.number(v).padding(toLength: 12, withPad: " ", startingAt: 0) }
            let score = c.score.map { String(format: "%.4f", $0) } ?? "diverged"
            print(String(i + 1).padding(toLength: 6, withPad: " ", startingAt: 0) + col(c.weights.alpha) + " " + col(c.weights.beta) + " "
                  + col(c.weights.gamma) + " " + score.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + String(format: "%.1f", c.seconds))
        }
        printError("wrote the winner (α=\(CSVField.number(best.weights.alpha)) β=\(CSVField.number(best.weights.beta)) γ=\(CSVField.number(best.weights.gamma))) to \(out)")
    }
}
