import Foundation
import SemanticHashing

/// `semhash bench step`: whole training steps (gather a batch, forward, backward, Adam) against
/// the floor of their dense products, with the step split into phases.
///
/// ```
/// floor  = the step's own dense GEMM calls (same shapes, backend, threads) replayed back to back;
///          with OpenBLAS, the faster of our column/row blocks and OpenBLAS's own threads
/// ratio  = median step time / median floor time     (floor and step runs alternate)
/// phases = exclusive wall time per phase (PhaseProfiler), median over the timed steps
/// ```
/// The sparse first-layer products are not dense GEMMs: they are their own phase and not part of
/// the floor (they are our kernels, not the backend's, and their cost is memory traffic that
/// scales with the distinct terms in a batch, not with a flop count).
///
/// ```
/// semhash bench step --models ssb-vae --bits 16,32 --shapes snippets,20news
/// SEMHASH_BACKEND=swift semhash bench step --json
/// ```
let benchTrainingStepCommand = Command(
    words: ["bench", "step"],
    summary: "Time training steps against the floor of their dense products, phase by phase.",
    discussion: """
    For each shape (random bag-of-words data sized like the paper's training sets: snippets = 10 060 rows, \
    10 000 terms, 14.2 non-zeros per row, 8 classes; 20news = 11 295 rows, 10 000 terms, 75.4 non-zeros, \
    20 classes; tmc = 21 519 rows, 500 terms, 22.6 non-zeros, 22 classes multi-label), model and code length, \
    trains --warmup steps, records the dense products of one step, then alternates --repeat times: the \
    products alone (the floor), one whole step (batch gathering, forward, backward, Adam). Reports the \
    medians, their ratio and each phase's median. With OpenBLAS the products are replayed twice, as the \
    step runs them (blocks of C on semhash's threads) and on OpenBLAS's own threads, and the floor is the \
    faster. --data uses a real dataset's training split instead.
    Compare backends with SEMHASH_BACKEND=swift, thread counts with SEMHASH_THREADS=1.
    """,
    options: [
        .value("--models", "LIST", "Models, comma-separated", default: CommonOptions.modelNames.joined(separator: ",")),
        .integers("--bits", "LIST", "Code lengths, comma-separated", default: "16,32,64", in: 1...1024),
        .value("--shapes", "LIST", "Data shapes: snippets, 20news, tmc", default: "snippets,20news,tmc"),
        .value("--data", "DATASET", "A real dataset instead of the synthetic shapes (its training split)"),
        .number("--labelled", "P", "Fraction of items with labels", default: 0.1, in: 0...1),
        .integer("--batch-size", "N", "Items per step", default: 100, in: 2...100_000),
        .integer("--repeat", "N", "Timed floor/step pairs per configuration", default: 30, in: 1...100_000),
        .integer("--warmup", "N", "Untimed steps first", default: 5, in: 1...100_000),
        .flag("--products", "Also list each dense product of the step with its mean time in the floor replay."),
        CommonOptions.json,
    ],
    run: { args in
        let models = try (args.list("--models") ?? []).map { name -> ModelPreset in
            guard let preset = ModelPreset(name: name) else {
                throw UsageError(description: "--models: '\(name)' is not one of \(CommonOptions.modelNames.joined(separator: ", "))")
            }
            return preset
        }
        let bits = try args.ints("--bits") ?? [16, 32, 64]
        var sources: [(name: String, split: () throws -> DataSplit)] = []
        let labelled = try args.double("--labelled")!
        if let spec = args.string("--data") {
            sources.append((spec, { SupervisionMask.apply(to: try DatasetSpec(parsing: spec).load(), level: labelled, seed: 1).train }))
        } else {
            for name in args.list("--shapes") ?? [] {
                guard let shape = BenchDataShape.named(name) else {
                    throw UsageError(description: "--shapes: '\(name)' is not one of \(BenchDataShape.all.map(\.name).joined(separator: ", "))")
                }
                sources.append((name, { shape.trainingSplit(labelledFraction: labelled, seed: 1) }))
            }
        }
        let settings = StepBenchmark.Settings(batchSize: try args.int("--batch-size")!, repeats: try args.int("--repeat")!,
                                              warmup: try args.int("--warmup")!, listsProducts: args.flag("--products"))
        let loadBefore = StepBenchmark.loadAverage()
        var results: [StepBenchmark.Result] = []
        let json = args.flag("--json")
        if !json {
            print("backend: \(ComputeBackend.current.nameWithThreads); load average \(loadBefore)")
            if let advice = ComputeBackend.current.advice { print("note: \(advice)") }
            print(StepBenchmark.Result.header)
        }
        for source in sources {
            let split = try source.split()
            for preset in models {
                if preset.supervision != .none && split.labels.classes.isEmpty { continue }
                for b in bits {
                    let result = StepBenchmark(settings: settings).run(preset: preset, bits: b, data: split, shape: source.name)
                    results.append(result)
                    if !json {
                        print(result.row)
                        for line in result.productLines { print(line) }
                    }
                }
            }
        }
        let loadAfter = StepBenchmark.loadAverage()
        if json {
            try CommonOptions.printJSON(["backend": ComputeBackend.current.name, "threads": ParallelExecution.threadCount,
                                         "load_average_before": loadBefore, "load_average_after": loadAfter,
                                         "repeats": settings.repeats, "batch_size": settings.batchSize,
                                         "results": results.map(\.json)])
        } else {
            print("load average after: \(loadAfter)")
        }
    }
)

/// One configuration of `bench step`: warm up, record the products, alternate floor and step.
struct StepBenchmark {
    struct Settings {
        var batchSize: Int
        var repeats: Int
        var warmup: Int
        var listsProducts = false
    }

    struct Result {
        var shape: String
        var model: ModelPreset
        var bits: Int
        var floorSeconds: Double { min(blockFloorSeconds, libraryFloorSeconds ?? .infinity) }
        /// The replay as the step runs its products (`BlockedGEMM` blocks on our threads for BLAS).
        var blockFloorSeconds: Double
        /// The replay on OpenBLAS's own threads, when the backend is OpenBLAS.
        var libraryFloorSeconds: Double?
        var stepSeconds: Double
        /// Median over the pairs of step time ÷ the floor time measured just before it.
        var pairedRatio: Double
        var floorFlops: Double
        var productCalls: Int
        var phaseSeconds: [PhaseProfiler.Phase: Double]
        /// Each product of the step with its mean seconds in the block replays (with --products).
        var products: [(call: PhaseProfiler.ProductCall, seconds: Double)] = []

        var productLines: [String] {
            products.map { p in
                let c = p.call
                let shape = "\(c.m)×\(c.k)\(c.transposeA ? "ᵀ" : "")·\(c.k)×\(c.n)\(c.transposeB ? "ᵀ" : "") β=\(c.beta)"
                return "    " + pad(shape, 34) + format(p.seconds * 1e3, 3) + " ms  " + format(c.flops / p.seconds / 1e9, 1) + " GFLOP/s"
            }
        }

        var ratio: Double { stepSeconds / floorSeconds }

        static let phases = PhaseProfiler.Phase.allCases
        static var header: String {
            "shape     model    bits  blocks ms lib ms   step ms  ratio  | " + phases.map { pad(String($0.key.prefix(8)), 9) }.joined()
                + "  (phase medians, ms)"
        }

        var row: String {
            pad(shape, 10) + pad(model.rawValue, 9) + pad("\(bits)", 6) + pad(format(blockFloorSeconds * 1e3, 2), 10)
                + pad(libraryFloorSeconds.map { format($0 * 1e3, 2) } ?? "-", 9)
                + pad(format(stepSeconds * 1e3, 2), 9) + pad(format(ratio, 2) + "×", 7) + "| "
                + Self.phases.map { pad(format((phaseSeconds[$0] ?? 0) * 1e3, 3), 9) }.joined()
        }

        var json: [String: Any] {
            var phases: [String: Double] = [:]
            for (phase, seconds) in phaseSeconds { phases[phase.key + "_ms"] = seconds * 1e3 }
            return ["shape": shape, "model": model.rawValue, "bits": bits, "floor_ms": floorSeconds * 1e3,
                    "floor_blocks_ms": blockFloorSeconds * 1e3, "floor_library_threads_ms": libraryFloorSeconds.map { $0 * 1e3 } ?? NSNull(),
                    "step_ms": stepSeconds * 1e3, "ratio": ratio, "paired_ratio": pairedRatio,
                    "floor_gflop": floorFlops / 1e9, "floor_gflops_per_s": floorFlops / floorSeconds / 1e9,
                    "product_calls": productCalls, "phases": phases]
        }

        private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    }

    var settings: Settings

    func run(preset: ModelPreset, bits: Int, data: DataSplit, shape: String) -> Result {
        AllocatorTuning.keepLargeBlocksInHeap()  // as the trainer does, so the step is the one training runs
        let labels = data.labels
        let configuration = ModelConfiguration(preset: preset, bits: bits, inputDimensions: data.features.columns,
                                               classCount: max(1, labels.classCount), multiLabel: labels.isMultiLabel)
        let model = HashingVAE(configuration: configuration, seed: 1)
        let adam = Adam(parameters: model.parameters)
        let batches = BatchAssembler(data)
        var shuffler = RandomSource(seed: 2), noise = RandomSource(seed: 3)
        var order: [Int] = []
        let batchSize = min(settings.batchSize, data.count)
        func step() {
            if order.count < batchSize { order = shuffler.permutation(data.count) }
            let rows = Array(order.suffix(batchSize))
            order.removeLast(batchSize)
            let batch = batches.batch(rows: rows)
            _ = model.trainingStep(batch, random: &noise)
            adam.step()
        }
        for _ in 0..<settings.warmup { step() }
        PhaseProfiler.install(recordingProducts: true)
        step()
        let calls = PhaseProfiler.uninstall()!.products
        let replay = ProductReplay(calls)
        replay.run()
        let backend = ComputeBackend.current
        var floorTimes: [Double] = [], libraryTimes: [Double] = [], stepTimes: [Double] = [], ratios: [Double] = []
        var phaseTimes: [[Double]] = Array(repeating: [], count: PhaseProfiler.Phase.allCases.count)
        var perCall = [Double](repeating: 0, count: calls.count)
        for _ in 0..<settings.repeats {
            let blocks = perCall.withUnsafeMutableBufferPointer { p in
                Self.seconds { replay.run(perCall: settings.listsProducts ? p.baseAddress : nil) }
            }
            var floor = blocks
            if backend.hasLibraryThreading {
                var library = 0.0
                backend.withLibraryThreading { library = Self.seconds { replay.run() } }
                libraryTimes.append(library)
                floor = min(floor, library)
            }
            let profiler = PhaseProfiler.install()
            let whole = Self.seconds { step() }
            PhaseProfiler.uninstall()
            floorTimes.append(blocks)
            stepTimes.append(whole)
            ratios.append(whole / floor)
            for phase in PhaseProfiler.Phase.allCases { phaseTimes[phase.rawValue].append(profiler.seconds[phase.rawValue]) }
        }
        var phases: [PhaseProfiler.Phase: Double] = [:]
        for phase in PhaseProfiler.Phase.allCases { phases[phase] = median(phaseTimes[phase.rawValue]) }
        var result = Result(shape: shape, model: preset, bits: bits, blockFloorSeconds: median(floorTimes),
                            libraryFloorSeconds: libraryTimes.isEmpty ? nil : median(libraryTimes), stepSeconds: median(stepTimes),
                            pairedRatio: median(ratios), floorFlops: replay.flops, productCalls: calls.count, phaseSeconds: phases)
        if settings.listsProducts {
            result.products = zip(calls, perCall).map { ($0, $1 / Double(settings.repeats)) }
        }
        return result
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// The 1-minute load average, to say how busy the machine was ("" where unknown).
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? ""
    }
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// `text` left-aligned in `width` characters; a longer text (a --data spec) keeps one space after it.
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
