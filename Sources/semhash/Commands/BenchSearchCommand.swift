import Dispatch
import Foundation
import SemanticHashing

/// FAISS 1.15.1 `IndexBinaryFlat`, k = 100, 1 000 queries, one thread (docs/benchmarks), queries/s.
/// 64-bit random at 10⁶ uses the quiet re-check (850), the stricter of the two figures.
private let faissFlatAnchors: [String: Double] = [
    "16/random/100000": 2620, "16/random/1000000": 268,
    "32/random/100000": 7860, "32/random/1000000": 928, "32/random/10000000": 47,
    "32/clustered/100000": 4250, "32/clustered/1000000": 816, "32/clustered/10000000": 93,
    "64/random/100000": 6790, "64/random/1000000": 850, "64/random/10000000": 44,
    "64/clustered/100000": 5520, "64/clustered/1000000": 837, "64/clustered/10000000": 44,
]

private func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

/// CPU seconds (user + system) this process has used: on a shared, busy machine the
/// single-thread queries per CPU-second is steadier than wall-clock queries/s.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

private func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

private func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

private func positiveInts(_ args: ParsedArguments, _ name: String) throws -> [Int] {
    try (args.list(name) ?? []).map { s in
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")), v > 0 else {
            throw UsageError(description: "\(name) expects positive integers (comma-separated), got '\(s)'")
        }
        return v
    }
}

@MainActor let benchSearchCommand = Command(
    words: ["bench", "search"],
    summary: "Time exact k-NN search (flat scan and multi-index hashing) on synthetic codes",
    discussion: """
    Generates seeded codes as the FAISS comparison uses (random: uniform bits; clustered: 20 random
    centres, each bit flipped with probability 0.1), then times 'flat' (LinearScanIndex) at each
    thread count and 'mih' (MultiIndexHashingIndex, build timed separately). Every MIH result is
    checked against the flat scan ("exact"). Lists are comma-separated and run as one grid, so
    ratios come from one run. Queries/s are medians over --repeat runs; 'vs FAISS' divides by the
    IndexBinaryFlat one-thread figure of docs/benchmarks where there is one. 'q/CPU-s' is queries per
    CPU-second of this process: steadier than wall time on a busy machine (for one thread).
    """,
    options: [
        .value("--bits", "LIST", "Code lengths", default: "32"),
        .value("--count", "LIST", "Database sizes", default: "1000000"),
        .value("--queries", "N", "Queries", default: "1000"),
        .value("--k", "K", "Neighbours per query", default: "100"),
        .value("--codes", "LIST", "random and/or clustered", default: "random"),
        .value("--threads", "LIST", "Thread counts for the flat scan (MIH uses the first)", default: "1,2"),
        .value("--kinds", "LIST", "Index kinds: flat, mih", default: "flat,mih"),
        .value("--substrings", "M", "MIH substrings (default: the paper's B / log2 N)"),
        .value("--repeat", "R", "Runs per measurement (median reported)", default: "1"),
        .value("--seed", "S", "Seed for the codes", default: "1"),
        .flag("--json", "Print JSON instead of a table."),
    ],
    run: { args in
        let bitsList = try positiveInts(args, "--bits")
        let counts = try positiveInts(args, "--count")
        let threadList = try positiveInts(args, "--threads")
        let queries = try args.int("--queries") ?? 1000
        let k = try args.int("--k") ?? 100
        let repeats = max(1, try args.int("--repeat") ?? 1)
        let seed = UInt64(try args.int("--seed") ?? 1)
        let substrings = try args.int("--substrings")
        let kinds = args.list("--kinds") ?? ["flat", "mih"]
        guard queries > 0, k > 0 else { throw UsageError(description: "--queries and --k must be positive") }
        for kind in kinds where kind != "flat" && kind != "mih" {
            throw UsageError(description: "--kinds: unknown kind '\(kind)'; valid: flat, mih")
        }
        let distributions = try (args.list("--codes") ?? ["random"]).map { name in
            guard let d = SyntheticCodes.Distribution(rawValue: name) else {
                throw UsageError(description: "--codes: unknown distribution '\(name)'; valid: random, clustered")
            }
            return d
        }
        if let m = substrings, bitsList.contains(where: { m < 1 || m > $0 }) {
            throw UsageError(description: "--substrings must be in 1...bits")
        }
        let json = args.flag("--json")
        var rows: [[String: Any]] = []
        if !json {
            print("bits  count       codes      kind  threads  queries/s  q/CPU-s  build s  vs FAISS  2T/1T  exact")
        }
        for bits in bitsList {
            for count in counts {
                for distribution in distributions {
                    let (database, queryCodes) = SyntheticCodes.generate(distribution, bits: bits, count: count, queries: queries, seed: seed)
                    let anchor = faissFlatAnchors["\(bits)/\(distribution.rawValue)/\(count)"]
                    var reference: SearchResults?
                    var oneThreadQPS: Double?
                    func report(kind: String, threads: Int, qps: Double, cpuQPS: Double, build: Double?, exact: Bool?) {
                        if kind == "flat" && threads == 1 { oneThreadQPS = qps }
                        let ratio = anchor.map { qps / $0 }
                        let scaling = kind == "flat" && threads > 1 ? oneThreadQPS.map { qps / $0 } : nil
                        var row: [String: Any] = ["bits": bits, "count": count, "codes": distribution.rawValue, "kind": kind,
                                                  "threads": threads, "queriesPerSecond": qps.rounded(), "k": k, "queries": queries,
                                                  "queriesPerCPUSecond": cpuQPS.rounded()]
                        if let build { row["buildSeconds"] = build }
                        if let anchor { row["faissFlatQueriesPerSecond"] = anchor }
                        if let ratio { row["ratioToFaissFlat"] = ratio }
                        if let scaling { row["ratioToOneThread"] = scaling }
                        if let exact { row["exact"] = exact }
                        rows.append(row)
                        if !json {
                            func cell(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "–" }
                            var cells: [String] = []
                            cells.append(String(bits).padding(toLength: 6, withPad: " ", startingAt: 0))
                            cells.append(String(count).padding(toLength: 12, withPad: " ", startingAt: 0))
                            cells.append(distribution.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))
                            cells.append(kind.padding(toLength: 6, withPad: " ", startingAt: 0))
                            cells.append(String(threads).padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(String(format: "%.0f", qps).padding(toLength: 11, withPad: " ", startingAt: 0))
                            cells.append(String(format: "%.0f", cpuQPS).padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(cell(build, "%.2f").padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(cell(ratio, "%.2f×").padding(toLength: 10, withPad: " ", startingAt: 0))
                            cells.append(cell(scaling, "%.2f×").padding(toLength: 7, withPad: " ", startingAt: 0))
                            cells.append(exact.map { $0 ? "yes" : "NO" } ?? "–")
                            print(cells.joined())
                        }
                    }
                    if kinds.contains("flat") || kinds.contains("mih") {
                        var flat = LinearScanIndex(codes: database, threads: threadList[0])
                        // Thread counts take turns within each repeat, so a slow spell of a shared
                        // machine lands on all of them alike and the 2T/1T ratio stays fair.
                        let timedThreads = kinds.contains("flat") ? threadList : [threadList[0]]
                        var times = [[Double]](repeating: [], count: timedThreads.count), cpu = times
                        for _ in 0..<repeats {
                            for (t, threads) in timedThreads.enumerated() {
                                flat.threads = threads
                                let cpuStart = processCPUSeconds()
                                times[t].append(seconds { reference = flat.search(queryCodes, k: k) })
                                cpu[t].append(processCPUSeconds() - cpuStart)
                            }
                        }
                        if kinds.contains("flat") {
                            for (t, threads) in timedThreads.enumerated() {
                                report(kind: "flat", threads: threads, qps: Double(queries) / median(times[t]),
                                       cpuQPS: Double(queries) / median(cpu[t]), build: nil, exact: nil)
                            }
                        }
                    }
                    if kinds.contains("mih") {
                        var mih: MultiIndexHashingIndex!
                        let build = seconds { mih = MultiIndexHashingIndex(codes: database, substrings: substrings, threads: threadList[0]) }
                        var result: SearchResults?
                        var times: [Double] = [], cpu: [Double] = []
                        for _ in 0..<repeats {
                            let cpuStart = processCPUSeconds()
                            times.append(seconds { result = mih.search(queryCodes, k: k) })
                            cpu.append(processCPUSeconds() - cpuStart)
                        }
                        report(kind: "mih", threads: threadList[0], qps: Double(queries) / median(times),
                               cpuQPS: Double(queries) / median(cpu), build: build, exact: result == reference)
                        if !json { print("      (mih: m = \(mih.substringCount) substrings of \(mih.substrings.map(\.length)) bits)") }
                        rows[rows.count - 1]["substrings"] = mih.substringCount
                    }
                }
            }
        }
        if json { try printJSON(rows) }
    })

@MainActor let benchMetricsCommand = Command(
    words: ["bench", "metrics"],
    summary: "Time the seven retrieval metrics on Snippets-sized random codes and labels",
    discussion: """
    Random codes and random single labels (seeded), then RetrievalMetrics.evaluate at the cut-offs
    100, 1000, 5000 (P@K, R@K, MAP@K and the tie-aware P@K: the paper's seven metrics and more).
    The reference implementation takes 12–13 s for this size (its published figures).
    """,
    options: [
        .value("--queries", "N", "Query items", default: "2280"),
        .value("--items", "N", "Database items", default: "10060"),
        .value("--bits", "B", "Code length", default: "16"),
        .value("--classes", "C", "Classes", default: "8"),
        .value("--threads", "T", "Worker threads (default: all cores)"),
        .value("--repeat", "R", "Runs (median reported)", default: "5"),
        .value("--seed", "S", "Seed", default: "1"),
        .flag("--json", "Print JSON."),
    ],
    run: { args in
        let queries = try args.int("--queries") ?? 2280, items = try args.int("--items") ?? 10060
        let bits = try args.int("--bits") ?? 16, classes = try args.int("--classes") ?? 8
        let repeats = max(1, try args.int("--repeat") ?? 5)
        let threads = try args.int("--threads")
        guard queries > 0, items > 0, bits > 0, classes > 0 else { throw UsageError(description: "sizes must be positive") }
        let (database, queryCodes) = SyntheticCodes.generate(.random, bits: bits, count: items, queries: queries,
                                                             seed: UInt64(try args.int("--seed") ?? 1))
        var rng = RandomSource(seed: 99)
        let databaseLabels = Labels(singleLabel: (0..<items).map { _ in rng.integer(below: classes) }, classCount: classes)
        let queryLabels = Labels(singleLabel: (0..<queries).map { _ in rng.integer(below: classes) }, classCount: classes)
        var metrics: RetrievalMetrics!
        var times: [Double] = []
        for _ in 0..<repeats {
            times.append(seconds {
                metrics = RetrievalMetrics.evaluate(queryCodes: queryCodes, queryLabels: queryLabels, databaseCodes: database,
                                                    databaseLabels: databaseLabels, cutoffs: [100, 1000, 5000], threads: threads)
            })
        }
        let values = metrics.cutoffs.map { c in
            ["k": c.k, "precision": c.precision, "recall": c.recall, "map": c.meanAveragePrecision,
             "expectedPrecision": c.expectedPrecision] as [String: Any]
        }
        if args.flag("--json") {
            try printJSON(["queries": queries, "items": items, "bits": bits, "classes": classes,
                           "medianSeconds": median(times), "seconds": times, "metrics": values])
        } else {
            print(String(format: "%d queries × %d items, %d bits, %d classes: median %.3f s over %d runs (min %.3f s)",
                         queries, items, bits, classes, median(times), repeats, times.min()!))
            for c in metrics.cutoffs {
                print(String(format: "  K=%-5d P %.4f  R %.4f  MAP %.4f  E[P] %.4f", c.k, c.precision, c.recall,
                             c.meanAveragePrecision, c.expectedPrecision))
            }
        }
    })
