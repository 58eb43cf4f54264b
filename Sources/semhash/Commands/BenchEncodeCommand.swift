import Foundation
import SemanticHashing

/// `semhash bench encode`: encoding a large collection and evaluating retrieval over it, with
/// documents per second and the memory each needs beyond the codes and labels themselves.
///
/// ```
/// encode:   documents/s = count / seconds in model.codes (document generation not timed)
/// evaluate: queries/s and query-item pairs/s of RetrievalMetrics.evaluate (P@K, R@K, MAP@K, K = 100, 1000, 5000)
/// memory:   peak resident memory during the phase − resident memory before it; the codes and labels
///           are listed separately, so what is left must stay flat as the collection grows
/// ```
///
/// ```
/// semhash bench encode --count 100000,1000000 --bits 16,32,64
/// ```
let benchEncodeCommand = Command(
    words: ["bench", "encode"],
    summary: "Encode a large Snippets-shaped collection and evaluate retrieval over it: documents/s and memory.",
    discussion: """
    Documents are drawn like Snippets (10 000 terms, 14.2 non-zeros per row, Zipf-distributed terms) \
    chunk by chunk and never held all at once; the model is an SSB-VAE of the paper's shape (untrained: \
    the speed does not depend on the weights). The encoded collection then serves as the database of an \
    evaluation with --queries further documents as queries and random single labels over 8 classes.
    Peak memory is read from /proc/self/status (VmHWM, reset before each phase).
    """,
    options: [
        .integers("--count", "LIST", "Collection sizes, comma-separated", default: "1000000", in: 1...100_000_000),
        .integers("--bits", "LIST", "Code lengths", default: "16,32,64", in: 1...1024),
        .integer("--queries", "N", "Queries of the evaluation", default: 1000, in: 1...1_000_000),
        .integer("--chunk", "N", "Documents encoded at a time", default: 2048, in: 1...1_000_000),
        CommonOptions.json,
    ],
    run: { args in
        let counts = try args.ints("--count") ?? [1_000_000]
        let bitsList = try args.ints("--bits") ?? [16, 32, 64]
        let queries = try args.int("--queries")!, chunk = try args.int("--chunk")!
        let shape = BenchDataShape.snippets
        var rows: [[String: Any]] = []
        let json = args.flag("--json")
        if !json {
            print("backend: \(ComputeBackend.current.nameWithThreads); load average \(StepBenchmark.loadAverage())")
            print("items      bits  encode docs/s  encode peak MB  eval s   queries/s  pairs/s     eval peak MB  codes MB  labels MB")
        }
        for count in counts {
            for bits in bitsList {
                let model = HashingVAE(configuration: ModelConfiguration(preset: .ssbVAE, bits: bits, inputDimensions: shape.features,
                                                                         classCount: shape.classes, multiLabel: false), seed: 1)
                // Encode the collection chunk by chunk; only model.codes is timed.
                var stream = shape.documents(seed: 11)
                let before = MemoryUse.current()
                MemoryUse.resetPeak()
                var codes = BinaryCodes(bits: bits)
                var encodeSeconds = 0.0
                var done = 0
                while done < count {
                    let (input, _) = stream.next(min(chunk, count - done))
                    encodeSeconds += StepBenchmark.seconds { codes.append(contentsOf: model.codes(.sparse(input), chunkSize: chunk)) }
                    done += input.rows
                }
                let encodePeak = MemoryUse.peak() - before
                let (queryInput, _) = stream.next(queries)
                let queryCodes = model.codes(.sparse(queryInput), chunkSize: chunk)
                var random = RandomSource(seed: 12)
                let databaseLabels = shape.randomLabels(count, labelledFraction: 1, random: &random)
                let queryLabels = shape.randomLabels(queries, labelledFraction: 1, random: &random)
                let beforeEvaluation = MemoryUse.current()
                MemoryUse.resetPeak()
                let evaluateSeconds = StepBenchmark.seconds {
                    _ = RetrievalMetrics.evaluate(queryCodes: queryCodes, queryLabels: queryLabels, databaseCodes: codes,
                                                  databaseLabels: databaseLabels)
                }
                let evaluatePeak = MemoryUse.peak() - beforeEvaluation
                let codeBytes = Double(codes.words.count * 8)
                let labelBytes = Double(databaseLabels.offsets.count * 8 + databaseLabels.classes.count * 4)
                let row: [String: Any] = [
                    "items": count, "bits": bits, "queries": queries,
                    "encode_seconds": encodeSeconds, "encode_documents_per_second": Double(count) / encodeSeconds,
                    "encode_peak_extra_mb": encodePeak / 1e6, "evaluate_seconds": evaluateSeconds,
                    "evaluate_queries_per_second": Double(queries) / evaluateSeconds,
                    "evaluate_pairs_per_second": Double(queries) * Double(count) / evaluateSeconds,
                    "evaluate_peak_extra_mb": evaluatePeak / 1e6, "codes_mb": codeBytes / 1e6, "labels_mb": labelBytes / 1e6,
                ]
                rows.append(row)
                if !json {
                    print(String(format: "%-10d %-5d %-14.0f %-15.1f %-8.2f %-10.0f %-11.3g %-13.1f %-9.1f %.1f", count, bits,
                                 Double(count) / encodeSeconds, encodePeak / 1e6, evaluateSeconds, Double(queries) / evaluateSeconds,
                                 Double(queries) * Double(count) / evaluateSeconds, evaluatePeak / 1e6, codeBytes / 1e6, labelBytes / 1e6))
                }
            }
        }
        if json {
            try CommonOptions.printJSON(["backend": ComputeBackend.current.name, "threads": ParallelExecution.threadCount,
                                         "chunk": chunk, "results": rows])
        }
    }
)

/// Resident memory of this process, from /proc/self/status (Linux; 0 elsewhere).
enum MemoryUse {
    /// Current resident bytes (VmRSS).
    static func current() -> Double { field("VmRSS:") }
    /// Peak resident bytes since the last `resetPeak` (VmHWM).
    static func peak() -> Double { field("VmHWM:") }
    /// Starts a new peak at the current resident size (writing 5 to /proc/self/clear_refs).
    static func resetPeak() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }

    private static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
