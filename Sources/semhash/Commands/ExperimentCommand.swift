import Foundation
import SemanticHashing

let experimentCommand = Command(
    words: ["experiment"],
    summary: "Run a sweep of (model, bits, supervision level, run) cells and append one CSV row per cell.",
    discussion: """
    Every cell trains on train + validation with the labels its supervision level leaves and is
    evaluated with database = train + validation, queries = test (docs/design.md, "Evaluation").
    Run r uses seed r of \(ExperimentGrid.referenceSeeds.map(String.init).joined(separator: ",")) (the reference's)
    for initialisation, shuffling, noise and the label mask.
    α, β, γ come from --hyperparameters (looked up by dataset name, model, bits and level); --alpha,
    --beta, --gamma override them (and are required for cells the file lacks). Without a file, each
    model's defaults are used.

    Rows are appended atomically as cells finish. When --out exists the sweep resumes: cells whose
    config_hash is already in the file are skipped, so a killed sweep continues where it stopped.
    One sweep at a time may use a results file (a second one waits for the lock or stops).
    Results are bit-identical for the same settings, machine, compute backend, kernel thread
    count (SEMHASH_THREADS) and text lemmatiser (WordNet, or Porter2 where it is missing); keep
    them the same when resuming. On 2 cores the kernels' own threads and --jobs compete:
    SEMHASH_THREADS=1 with --jobs 2 is the fastest setting measured.
    Example:
      semhash experiment --data snippets:DATA/snippets --models ssb-vae,phs-gs,vdsh-s --bits 16,32 \\
        --supervision 0.1:1.0:0.1 --runs 5 --hyperparameters reference-hyperparameters.csv --out results.csv
    """,
    options: [
        CommonOptions.data,
        .value("--dataset-name", "NAME", "Dataset name for the hyper-parameter lookup and the rows (default: the loader's, e.g. snippets)"),
        .value("--models", "LIST", "Comma list of models: \(CommonOptions.modelNames.joined(separator: ", "))", default: "ssb-vae,phs-gs,vdsh-s"),
        .integers("--bits", "LIST", "Comma list of code lengths", default: "16", in: 1...1024),
        .value("--supervision", "LEVELS", "Supervision levels: START:STOP:STEP (inclusive) or a comma list", default: "0.1:1.0:0.1"),
        .integer("--runs", "N", "Repetitions per cell, run r seeded with the r-th seed", default: 5, in: 1...1000),
        .integers("--seeds", "LIST", "Comma list of seeds instead of the reference's (run r uses the r-th)", in: 0...Int.max),
        .value("--hyperparameters", "FILE", "CSV of α, β, γ per dataset/model/supervision/bits (reference-hyperparameters.csv format)"),
    ] + CommonOptions.weights + [CommonOptions.variant] + CommonOptions.terms + CommonOptions.optimisation + [
        .value("--out", "FILE", "Results CSV (rows are appended)", default: "results.csv"),
        .integer("--jobs", "N", "Cells trained at once, on threads sharing the loaded data; with 2 cores use SEMHASH_THREADS=1 and --jobs 2", default: 1, in: 1...64),
        .flag("--resume", "Skip cells already in --out (the default when it exists)."),
        .flag("--restart", "Delete --out first and run every cell again."),
        .flag("--dry-run", "List the cells and whether each is done, without training."),
        CommonOptions.json,
    ],
    exclusive: [["--resume", "--restart"]],
    run: { args in try ExperimentCommand.run(args) }
)

/// The steps of `semhash experiment`.
enum ExperimentCommand {
    static func run(_ args: ParsedArguments) throws {
        let quiet = args.flag("--json")
        let out = args.string("--out")!
        try CommonOptions.checkWritable(out)
        let models = try (args.list("--models") ?? []).map { name -> ModelPreset in
            guard let preset = ModelPreset(name: name) else {
                throw UsageError(description: "--models: unknown model '\(name)'; valid: \(CommonOptions.modelNames.joined(separator: ", "))")
            }
            return preset
        }
        let bits = try args.ints("--bits") ?? []
        let levels = try usageChecked("--supervision") { try SupervisionLevels.parse(args.string("--supervision")!) }
        let seeds = try args.ints("--seeds")?.map(UInt64.init) ?? ExperimentGrid.referenceSeeds
        let runs = try args.int("--runs")!
        guard runs <= seeds.count else {
            throw UsageError(description: "--runs \(runs) needs \(runs) seeds, --seeds gives \(seeds.count)")
        }
        let variant = try CommonOptions.variant(args)
        let jobs = try args.int("--jobs")!
        var training = try CommonOptions.trainingOptions(args, seed: 0)
        if let name = args.string("--dataset-name") { _ = try usageChecked("--dataset-name") { try CSVField.text(name, name: "dataset name") } }
        let table = try args.string("--hyperparameters").map(HyperparameterTable.read(path:))

        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        training = try CommonOptions.forTraining(items: dataset.database.count, training, args, quiet: quiet)
        var grid = try ExperimentGrid(datasetSpec: try args.required("--data"), datasetName: args.string("--dataset-name") ?? dataset.name,
                                      models: models, bits: bits, levels: levels, runs: runs, seeds: seeds,
                                      alpha: try args.double("--alpha"), beta: try args.double("--beta"), gamma: try args.double("--gamma"),
                                      variant: variant, training: training)
        grid.pairSimilarity = try CommonOptions.pairSimilarity(args)
        grid.bitBalance = try CommonOptions.bitBalance(args)
        grid.substitutions = dataset.substitutions
        let cells = try grid.cells(table: table, tableSource: args.string("--hyperparameters") ?? "")

        // Exclusive: the lock is held for the whole sweep, so a second sweep on the same file is
        // refused instead of running every cell again; --restart empties the file under that lock.
        let results = try ResultsFile(path: out, exclusive: true)
        if args.flag("--restart") && !args.flag("--dry-run") { try results.removeAllRows() }
        if results.droppedDuplicates > 0 && !quiet {
            printError("warning: \(out) held \(results.droppedDuplicates) repeated row(s) of the same cell (from sweeps run together); kept the first of each")
        }
        if results.recoveredBytes > 0 && !quiet {
            printError("warning: \(out) ended in a partial row (\(results.recoveredBytes) bytes, left by a crash); removed it, that cell runs again")
        }
        let runner = ExperimentRunner(dataset: dataset, results: results, jobs: jobs)
        let pending = try runner.pending(cells)
        if args.flag("--dry-run") {
            let todo = Set(pending.map(\.configHash))
            for c in cells {
                print("\(todo.contains(c.configHash) ? "todo" : "done")  \(c.model.paperName) \(c.bits) bits level \(CSVField.number(c.level)) run \(c.run + 1) seed \(c.seed)  α=\(CSVField.number(c.weights.alpha)) β=\(CSVField.number(c.weights.beta)) γ=\(CSVField.number(c.weights.gamma))  \(c.configHash)")
            }
            print("\(cells.count) cells, \(cells.count - pending.count) done, \(pending.count) to run")
            return
        }
        if !quiet {
            printError("\(cells.count) cells (\(models.count) models × \(bits.count) bits × \(levels.count) levels × \(grid.seeds.count) runs); \(cells.count - pending.count) already in \(out), \(pending.count) to run on \(jobs) job\(jobs == 1 ? "" : "s") with \(ComputeBackend.current.name)")
        }
        let batchesPerCell = pending.first.map(runner.batchesPerCell) ?? 1
        let bar = ProgressReporter(label: "sweep", total: pending.count * batchesPerCell, quiet: quiet)
        let counter = FinishedCounter(total: pending.count)
        let summary = try runner.run(cells) { event in
            switch event {
            case .started: break
            case .batch: bar.advance(detail: counter.detail)
            case let .finished(cell, row, evaluateSeconds):
                let (done, eta) = counter.finish()
                let tie = row.metrics[ExperimentResultRow.tieAwareMetric].map { String(format: ", tie-aware %.4f", $0) } ?? ""
                bar.log(String(format: "[%d/%d] %@ %d bits level %@ run %d (seed %llu): p@100 %.4f%@  train %.1f s, evaluate %.1f s  ETA %@",
                               done, pending.count, cell.model.paperName, cell.bits, CSVField.number(cell.level), cell.run + 1, cell.seed,
                               row.metrics["p@100"] ?? .nan, tie, row.trainSeconds, evaluateSeconds, ProgressReporter.format(eta)))
            case let .failed(cell, reason):
                _ = counter.finish()
                bar.log("FAILED \(cell.model.paperName) \(cell.bits) bits level \(CSVField.number(cell.level)) run \(cell.run + 1) (seed \(cell.seed)): \(reason)")
            }
        }
        bar.finish()
        if quiet {
            try CommonOptions.printJSON([
                "out": out, "cells": summary.total, "skipped": summary.skipped, "finished": summary.finished.count,
                "failed": summary.failures.map { ["model": $0.cell.model.paperName, "bits": $0.cell.bits, "level": $0.cell.level,
                                                  "seed": $0.cell.seed, "reason": $0.reason] as [String: Any] },
                "seconds": summary.seconds, "jobs": jobs,
            ])
        } else {
            printError("finished \(summary.finished.count) cells in \(ProgressReporter.format(summary.seconds)) (\(summary.skipped) skipped, \(summary.failures.count) failed); rows in \(out)")
        }
        if !summary.failures.isEmpty {
            throw SemanticHashingError.trainingDiverged(reason: "\(summary.failures.count) cell(s) failed (see above); they are not in \(out) and run again on resume")
        }
    }
}

/// Counts finished cells and estimates the time left from the mean time per cell so far.
private final class FinishedCounter: @unchecked Sendable {
    // `done` is only touched under `lock`.
    private let lock = NSLock()
    private let total: Int
    private let start = Date()
    private var done = 0

    init(total: Int) { self.total = total }

    /// One more cell done: the count and the estimated seconds left.
    func finish() -> (Int, Double) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        return (done, Date().timeIntervalSince(start) / Double(done) * Double(total - done))
    }

    var detail: String {
        lock.lock(); defer { lock.unlock() }
        return "cells \(done)/\(total)"
    }
}
