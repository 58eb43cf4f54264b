import Foundation
import SemanticHashing

/// `semhash bench step`: items per second of whole training steps (forward, backward, Adam) at
/// the paper's shape, on the compute backend in use.
let benchTrainingStepCommand = Command(
    words: ["bench", "step"],
    summary: "Time full training steps (forward + backward + Adam) at the paper's model shape.",
    discussion: """
    Builds a random sparse batch (bag-of-words rows with --nnz non-zeros among --features columns)
    and times --steps training steps of the model after a short warm-up. Compare backends with
    SEMHASH_BACKEND=swift and thread counts with SEMHASH_THREADS=1.
    """,
    options: [
        CommonOptions.model,
        CommonOptions.bits.defaulting(to: "32"),
        .integer("--features", "D", "Input dimension", default: 10_000, in: 1...10_000_000),
        .integer("--nnz", "N", "Non-zeros per input row (at most --features)", default: 40, in: 1...10_000_000),
        .integer("--batch-size", "N", "Items per step", default: 100, in: 2...100_000),
        .integer("--classes", "C", "Classes of the label head", default: 8, in: 1...100_000),
        .integer("--steps", "N", "Timed steps", default: 100, in: 1...1_000_000),
        CommonOptions.json,
    ],
    run: { args in
        let preset = try CommonOptions.preset(args)
        let bits = try args.int("--bits")!, features = try args.int("--features")!
        let nnz = try args.int("--nnz")!, batchSize = try args.int("--batch-size")!
        let classes = try args.int("--classes")!, steps = try args.int("--steps")!
        guard nnz <= features else { throw UsageError(description: "--nnz \(nnz) is more than --features \(features)") }
        var random = RandomSource(seed: 1)
        var entries: [(Int, Int, Float)] = []
        for i in 0..<batchSize {
            var columns = Set<Int>()
            while columns.count < nnz { columns.insert(random.integer(below: features)) }
            for j in columns { entries.append((i, j, Float(1 + random.integer(below: 3)))) }
        }
        let counts = SparseMatrix(rows: batchSize, columns: features, entries: entries)
        var labels = Matrix(rows: batchSize, columns: classes)
        for i in 0..<batchSize { labels[i, random.integer(below: classes)] = 1 }
        let batch = TrainingBatch(features: .sparse(counts.mapValues { log(1 + $0) }), target: .sparse(counts),
                                  labels: labels, labelled: [Bool](repeating: true, count: batchSize))
        let model = HashingVAE(configuration: ModelConfiguration(preset: preset, bits: bits, inputDimensions: features,
                                                                 classCount: classes, multiLabel: false), seed: 1)
        let adam = Adam(parameters: model.parameters)
        func step() { _ = model.trainingStep(batch, random: &random); adam.step() }
        for _ in 0..<5 { step() }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = Date()
            step()
            times.append(Date().timeIntervalSince(start))
        }
        let median = times.sorted()[times.count / 2]
        let itemsPerSecond = Double(batchSize) / median
        if args.flag("--json") {
            try CommonOptions.printJSON(["backend": ComputeBackend.current.name, "threads": ParallelExecution.threadCount,
                                         "model": preset.rawValue, "bits": bits, "features": features, "batch_size": batchSize,
                                         "median_step_ms": median * 1000, "items_per_second": itemsPerSecond])
        } else {
            print("backend: \(ComputeBackend.current.name), \(ParallelExecution.threadCount) threads")
            print(String(format: "%@ %d bits, D = %d, batch %d: median step %.2f ms, %.0f items/s (%.2f s per epoch of 10 060 items)",
                         preset.paperName, bits, features, batchSize, median * 1000, itemsPerSecond, 10_060 / itemsPerSecond))
        }
    }
)
