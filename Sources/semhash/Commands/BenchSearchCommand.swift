import Dispatch
import Foundation
import SemanticHashing

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

/// The codes as FAISS reads binary vectors: ⌈bits / 8⌉ bytes per code, first bit in the most
/// significant bit of the first byte (bits must be a multiple of 8).
private func faissBytes(_ codes: BinaryCodes) -> Data {
    let bytesPerCode = codes.bits / 8
    var out = Data(capacity: codes.count * bytesPerCode)
    for i in 0..<codes.count {
        for b in 0..<bytesPerCode {
            out.append(UInt8(truncatingIfNeeded: codes.words[i * codes.wordsPerCode + b / 8] >> UInt64(56 - 8 * (b % 8))))
        }
    }
    return out
}

/// The distances of every query's hits, row by row, as little-endian Int32.
private func distanceBytes(_ results: SearchResults) -> Data {
    var out = Data(capacity: results.neighbors.count * 4)
    for n in results.neighbors { withUnsafeBytes(of: Int32(n.distance).littleEndian) { out.append(contentsOf: $0) } }
    return out
}

@MainActor let benchSearchCommand = Command(
    words: ["bench", "search"],
    summary: "Time exact k-NN search (flat scan and multi-index hashing) on synthetic codes",
    discussion: """
    Generates seeded codes (random: uniform bits; clustered: 20 random centres, each bit flipped
    with probability 0.1), then times 'flat' (LinearScanIndex) for each scan kernel and thread
    count and 'mih' (MultiIndexHashingIndex, build timed separately). Kernels and thread counts
    take turns within each repeat, so a slow spell of a shared machine lands on all of them; the
    results of every kernel and of MIH are checked against the first flat kernel ('same').
    Lists are comma-separated and run as one grid. Queries/s are medians over --repeat runs;
    'q/CPU-s' is queries per CPU-second of this process, steadier than wall time on a busy
    machine (for one thread). '2T/1T' is wall clock: a second thread only helps when a second
    core is free (with Linux's session autogroups, a busy process of another session keeps half
    the cores whatever its nice value). Ratios to FAISS IndexBinaryFlat on the very same codes come from
    docs/benchmarks/faiss_flat_vs_semhash.py, which runs this command with --write-codes.
    """,
    options: [
        .value("--bits", "LIST", "Code lengths", default: "32"),
        .value("--count", "LIST", "Database sizes", default: "1000000"),
        .value("--queries", "N", "Queries", default: "1000"),
        .value("--k", "K", "Neighbours per query", default: "100"),
        .value("--codes", "LIST", "random and/or clustered", default: "random"),
        .value("--threads", "LIST", "Thread counts for the flat scan (MIH uses the first)", default: "1,2"),
        .value("--kinds", "LIST", "Index kinds: flat, mih", default: "flat,mih"),
        .value("--kernels", "LIST", "Flat-scan kernels: portable, avx2, avx512 (default: the fastest this processor runs)"),
        .value("--substrings", "M", "MIH substrings (default: the paper's B / log2 N)"),
        .value("--repeat", "R", "Runs per measurement (median reported)", default: "1"),
        .value("--seed", "S", "Seed for the codes", default: "1"),
        .value("--write-codes", "DIR", "Also write each grid cell's database and queries (FAISS byte layout) and the first kernel's hit distances into DIR"),
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
        let writeDirectory = args.string("--write-codes")
        guard queries > 0, k > 0 else { throw UsageError(description: "--queries and --k must be positive") }
        for kind in kinds where kind != "flat" && kind != "mih" {
            throw UsageError(description: "--kinds: unknown kind '\(kind)'; valid: flat, mih")
        }
        let kernels = try (args.list("--kernels") ?? [ScanKernel.fastest.rawValue]).map { name in
            guard let kernel = ScanKernel(rawValue: name) else {
                throw UsageError(description: "--kernels: unknown kernel '\(name)'; valid: \(ScanKernel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard kernel.isSupported else {
                throw UsageError(description: "--kernels: this processor cannot run the \(name) kernel")
            }
            return kernel
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
        if writeDirectory != nil, let odd = bitsList.first(where: { $0 % 8 != 0 }) {
            throw UsageError(description: "--write-codes needs code lengths that are multiples of 8 (FAISS's layout), got \(odd)")
        }
        let json = args.flag("--json")
        var rows: [[String: Any]] = []
        if !json {
            print("bits  count       codes      kind  kernel    threads  queries/s  q/CPU-s  build s  2T/1T  same")
        }
        for bits in bitsList {
            for count in counts {
                for distribution in distributions {
                    let (database, queryCodes) = SyntheticCodes.generate(distribution, bits: bits, count: count, queries: queries, seed: seed)
                    let stem = writeDirectory.map { "\($0)/\(bits)-\(distribution.rawValue)-\(count)-seed\(seed)" }
                    if let stem {
                        try AtomicFile.write(faissBytes(database), to: stem + "-database.u8")
                        try AtomicFile.write(faissBytes(queryCodes), to: stem + "-queries.u8")
                    }
                    var reference: SearchResults?
                    func report(kind: String, kernel: ScanKernel?, threads: Int, qps: Double, cpuQPS: Double, oneThreadQPS: Double?,
                                build: Double?, same: Bool?) {
                        let scaling = threads > 1 ? oneThreadQPS.map { qps / $0 } : nil
                        var row: [String: Any] = ["bits": bits, "count": count, "codes": distribution.rawValue, "kind": kind,
                                                  "threads": threads, "queriesPerSecond": qps.rounded(), "k": k, "queries": queries,
                                                  "queriesPerCPUSecond": cpuQPS.rounded(), "seed": Int(seed)]
                        if let kernel { row["kernel"] = kernel.rawValue }
                        if let build { row["buildSeconds"] = build }
                        if let scaling { row["ratioToOneThread"] = scaling }
                        if let same { row["sameAsFirstKernel"] = same }
                        rows.append(row)
                        if !json {
                            func cell(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "–" }
                            var cells: [String] = []
                            cells.append(String(bits).padding(toLength: 6, withPad: " ", startingAt: 0))
                            cells.append(String(count).padding(toLength: 12, withPad: " ", startingAt: 0))
                            cells.append(distribution.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))
                            cells.append(kind.padding(toLength: 6, withPad: " ", startingAt: 0))
                            cells.append((kernel?.rawValue ?? "–").padding(toLength: 10, withPad: " ", startingAt: 0))
                            cells.append(String(threads).padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(String(format: "%.0f", qps).padding(toLength: 11, withPad: " ", startingAt: 0))
                            cells.append(String(format: "%.0f", cpuQPS).padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(cell(build, "%.2f").padding(toLength: 9, withPad: " ", startingAt: 0))
                            cells.append(cell(scaling, "%.2f×").padding(toLength: 7, withPad: " ", startingAt: 0))
                            cells.append(same.map { $0 ? "yes" : "NO" } ?? "–")
                            print(cells.joined())
                        }
                    }
                    if kinds.contains("flat") || kinds.contains("mih") {
                        // MIH alone still needs the flat scan's answer to check against.
                        let timedKernels = kinds.contains("flat") ? kernels : [kernels[0]]
                        let timedThreads = kinds.contains("flat") ? threadList : [threadList[0]]
                        var indexes = timedKernels.map { LinearScanIndex(codes: database, threads: threadList[0], kernel: $0) }
                        var results = [SearchResults?](repeating: nil, count: timedKernels.count)
                        // Kernels and thread counts take turns within each repeat, so a slow spell
                        // of a shared machine lands on all of them alike and their ratios stay fair.
                        let cells = timedKernels.indices.flatMap { kernel in timedThreads.map { (kernel, $0) } }
                        var times = [[Double]](repeating: [], count: cells.count), cpu = times
                        for _ in 0..<repeats {
                            for (c, (kernel, threads)) in cells.enumerated() {
                                indexes[kernel].threads = threads
                                let cpuStart = processCPUSeconds()
                                times[c].append(seconds { results[kernel] = indexes[kernel].search(queryCodes, k: k) })
                                cpu[c].append(processCPUSeconds() - cpuStart)
                            }
                        }
                        reference = results[0]
                        if let stem, let reference { try AtomicFile.write(distanceBytes(reference), to: stem + "-distances.i32") }
                        if kinds.contains("flat") {
                            var oneThread: [Int: Double] = [:]
                            for (c, (kernel, threads)) in cells.enumerated() {
                                let qps = Double(queries) / median(times[c])
                                if threads == 1 { oneThread[kernel] = qps }
                                report(kind: "flat", kernel: timedKernels[kernel], threads: threads, qps: qps,
                                       cpuQPS: Double(queries) / median(cpu[c]), oneThreadQPS: oneThread[kernel], build: nil,
                                       same: kernel == 0 ? nil : results[kernel] == reference)
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
                        report(kind: "mih", kernel: nil, threads: threadList[0], qps: Double(queries) / median(times),
                               cpuQPS: Double(queries) / median(cpu), oneThreadQPS: nil, build: build, same: result == reference)
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
