import Foundation
import SemanticHashing

let experimentCommand = Command(
    words: ["experiment"],
    summary: "Run a sweep of (model, bits, supervision level, run) cells and append one CSV row per cell.",
    discussion: """
    Every cell trains on train + validation with the labels its level leaves and is evaluated with
    database = train + validation, queries = test (SPEC §5–6). Run r uses seed r of
    20,144,1028,2044,101,6077,621,1981,2806,79 for initialisation, shuffling, noise and the label mask.
    α, β, γ come from --hyperparameters (looked up by dataset name, model, bits and level); --alpha,
    --beta, --gamma override them (and are required for cells the file lacks). Without a file, each
    model's defaults are used.

    Rows are appended atomically as cells finish. When --out exists the sweep resumes: cells whose
    config_hash is already in the file are skipped, so a killed sweep continues where it stopped.
    Results are bit-identical for the same settings, machine, compute backend and kernel thread
    count (SEMHASH_THREADS); keep SEMHASH_THREADS the same when resuming. On 2 cores the kernels'
    own threads and --jobs compete: SEMHASH_THREADS=1 with --jobs 2 is the fastest setting measured.
    Example:
      semhash experiment --data snippets:DATA/snippets --models ssb-vae,phs-gs,vdsh-s --bits 16,32 \\
        --levels 0.1:1.0:0.1 --runs 5 --hyperparameters reference-hyperparameters.csv --out results.csv
    """,
    options: [
        CommonOptions.data,
        .value("--dataset-name", "NAME", "Dataset name for the hyper-parameter lookup and the rows (default: the loader's, e.g. snippets)"),
        .value("--models", "LIST", "Comma list of models: vdsh, bvae, vdsh-s, phs-gs, ssb-vae", default: "ssb-vae,phs-gs,vdsh-s"),
        .value("--bits", "LIST", "Comma list of code lengths", default: "16"),
        .value("--levels", "SPEC", "Supervision levels: START:STOP:STEP (inclusive) or a comma list", default: "0.1:1.0:0.1"),
        .value("--runs", "N", "Repetitions per cell, seeded from SPEC's list", default: "5"),
        .value("--seeds", "LIST", "Comma list of seeds instead of SPEC's list (run r uses the r-th)"),
        .value("--hyperparameters", "FILE", "CSV of α, β, γ per dataset/model/supervision/bits (reference-hyperparameters.csv format)"),
        .value("--alpha", "A", "α for every cell (overrides the file)"),
        .value("--beta", "B", "β for every cell (overrides the file)"),
        .value("--gamma", "G", "γ for every cell (overrides the file)"),
        .value("--variant", "V", "reference | principled", default: "reference"),
        .value("--epochs", "N", "Training epochs per cell", default: "30"),
        .value("--batch-size", "N", "Mini-batch size", default: "100"),
        .value("--learning-rate", "LR", "Adam learning rate", default: "0.001"),
        .flag("--dense-adam", "Update every row of the first layer each step (exact Keras Adam; slower on sparse data)."),
        .value("--out", "FILE", "Results CSV (rows are appended)", default: "results.csv"),
        .value("--jobs", "N", "Cells trained at once, on threads sharing the loaded data; with 2 cores use SEMHASH_THREADS=1 and --jobs 2", default: "1"),
        .flag("--resume", "Skip cells already in --out (the default when it exists)."),
        .flag("--restart", "Delete --out first and run every cell again."),
        .flag("--dry-run", "List the cells and whether each is done, without training."),
        CommonOptions.json,
    ],
    run: { args in try ExperimentCommand.run(args) }
)

/// The steps of `semhash experiment`.
enum ExperimentCommand {
    static func run(_ args: ParsedArguments) throws {
        let quiet = args.flag("--json")
        if args.flag("--resume") && args.flag("--restart") { throw UsageError(description: "--resume and --restart exclude each other") }
        let out = args.string("--out")!
        let models = try (args.list("--models") ?? []).map { name -> ModelPreset in
            guard let preset = ModelPreset(name: name) else {
                throw UsageError(description: "unknown model '\(name)' in --models; valid: \(ModelPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return preset
        }
        let bits = try (args.list("--bits") ?? []).map { text -> Int in
            guard let b = Int(text), b > 0 else { throw UsageError(description: "--bits expects positive integers, got '\(text)'") }
            return b
        }
        let levels = try SupervisionLevels.parse(args.string("--levels")!)
        let seeds = try args.list("--seeds").map { list in
            try list.map { text -> UInt64 in
                guard let s = UInt64(text) else { throw UsageError(description: "--seeds expects non-negative integers, got '\(text)'") }
                return s
            }
        } ?? ExperimentGrid.referenceSeeds
        guard let variant = ModelVariant(rawValue: args.string("--variant")!) else {
            throw UsageError(description: "--variant must be reference or principled")
        }
        let jobs = try args.int("--jobs") ?? 1
        guard jobs >= 1 else { throw UsageError(description: "--jobs must be ≥ 1, got \(jobs)") }
        let training = TrainingOptions(epochs: try args.int("--epochs") ?? 30, batchSize: try args.int("--batch-size") ?? 100,
                                       learningRate: try args.double("--learning-rate") ?? 1e-3, lazyAdam: !args.flag("--dense-adam"))
        try training.validate()
        let table = try args.string("--hyperparameters").map(HyperparameterTable.read(path:))

        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: quiet)
        let grid = try ExperimentGrid(datasetSpec: try args.required("--data"), datasetName: args.string("--dataset-name") ?? dataset.name,
                                      models: models, bits: bits, levels: levels, runs: try args.int("--runs") ?? 5, seeds: seeds,
                                      alpha: try args.double("--alpha"), beta: try args.double("--beta"), gamma: try args.double("--gamma"),
                                      variant: variant, training: training)
        let cells = try grid.cells(table: table, tableSource: args.string("--hyperparameters") ?? "")

        // Exclusive: the lock is held for the whole sweep, so a second sweep on the same file is
        // refused instead of running every cell again; --restart empties the file under that lock.
        let results = try ResultsFile(path: out, exclusive: true)
        if args.flag("--restart") { try results.removeAllRows() }
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
            printError("\(cells.count) cells (\(models.count) models × \(bits.count) bits × \(levels.count) levels × \(grid.seeds.count) runs); \(cells.count - pending.count) already in \(out), \(pending.count) to run on \(jobs) job\(jobs == 1 ? "" : "s")")
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
            throw SemanticHashingError.invalidArgument(name: "experiment", reason: "\(summary.failures.count) cell(s) failed (see above); they are not in \(out) and run again on resume")
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
