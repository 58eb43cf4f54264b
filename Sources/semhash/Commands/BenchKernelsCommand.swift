import Foundation
import SemanticHashing

/// `semhash bench kernels`: throughput of the dense GEMM backends and of the sparse first-layer
/// kernels on the shapes the models use.
///
/// ```
/// GFLOP/s = 2·m·n·k / median seconds per product           (dense)
/// speedup = median dense time / median sparse time           (same product, S densified)
/// GB/s    = 12·n / median seconds of a[i] = b[i] + s·c[i]   (STREAM triad, 3 × 64 MB, 1 and all threads)
/// ```
///
/// The triad is the memory bandwidth the optimiser's pass over the first layer runs against
/// (design.md, Speed): it reads and writes every touched weight and both moments.
///
/// ```
/// semhash bench kernels --repeat 15
/// semhash bench kernels --json
/// ```
extension Command {
    /// Built on demand: `Command` holds a closure and is not Sendable, so it cannot be a global constant.
    static var benchKernels: Command {
        Command(
            words: ["bench", "kernels"],
            summary: "Measure GEMM (BLAS vs portable Swift) and sparse-kernel throughput.",
            discussion: """
            Dense shapes are the SSB-VAE layer products for batch 100, hidden 500, vocabulary 10 000 and 32 bits; \
            the sparse case is a 100×10 000 bag-of-words batch with 40 non-zeros per row at uniformly random columns; \
            the memory case is the STREAM triad a = b + s·c over three 64 MB arrays, on one thread and on all. \
            Each figure is the median of --repeat timed runs after one warm-up run.
            """,
            options: [
                .flag("--json", "Print one JSON object instead of a table."),
                .integer("--repeat", "N", "Timed runs per measurement.", default: 10, in: 1...10_000),
            ],
            run: { arguments in
                let repeats = try arguments.int("--repeat") ?? 10
                guard repeats >= 1 else { throw UsageError(description: "--repeat must be at least 1") }
                let report = KernelBenchmark(repeats: repeats).run()
                print(arguments.flag("--json") ? report.json : report.table)
            }
        )
    }
}

/// The measurements behind `semhash bench kernels`.
struct KernelBenchmark {
    struct DenseCase {
        var label: String
        var m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
    }

    struct DenseResult {
        var denseCase: DenseCase
        var seconds: [String: Double]   // backend name → median seconds
    }

    struct SparseResult {
        var label: String
        var sparseSeconds: Double
        var denseSeconds: Double
        var denseBackend: String
        var speedup: Double { denseSeconds / sparseSeconds }
    }

    struct Report {
        var backends: [ComputeBackend]
        var dense: [DenseResult]
        var sparse: [SparseResult]
        /// Triad GB/s by thread count.
        var bandwidth: [(threads: Int, gigabytesPerSecond: Double)]
        var repeats: Int
    }

    var repeats: Int

    static let denseCases = [
        DenseCase(label: "encoder (100×500)·(500×500)", m: 100, n: 500, k: 500),
        DenseCase(label: "decoder (100×32)·(32×10000)", m: 100, n: 10_000, k: 32),
        DenseCase(label: "dW dec (32×100)·(100×10000) Aᵀ", m: 32, n: 10_000, k: 100, transposeA: true),
        DenseCase(label: "dZ dec (100×10000)·(10000×32) Bᵀ", m: 100, n: 32, k: 10_000, transposeB: true),
    ]

    func run() -> Report {
        var rng = RandomSource(seed: 2024)
        let backends = [ComputeBackend.blas, ComputeBackend.portable].compactMap { $0 }
        var dense: [DenseResult] = []
        for shape in Self.denseCases {
            let a = randomMatrix(shape.transposeA ? shape.k : shape.m, shape.transposeA ? shape.m : shape.k, &rng)
            let b = randomMatrix(shape.transposeB ? shape.n : shape.k, shape.transposeB ? shape.k : shape.n, &rng)
            var c = Matrix(rows: shape.m, columns: shape.n)
            var seconds: [String: Double] = [:]
            for backend in backends {
                seconds[backend.name] = medianSeconds {
                    backend.gemm(a, transposeA: shape.transposeA, b, transposeB: shape.transposeB, into: &c)
                }
            }
            dense.append(DenseResult(denseCase: shape, seconds: seconds))
        }

        let best = backends[0]
        let batch = 100, vocabulary = 10_000, hidden = 500, perRow = 40
        var entries: [(Int, Int, Float)] = []
        for i in 0..<batch {
            var columns = Set<Int>()
            while columns.count < perRow { columns.insert(rng.integer(below: vocabulary)) }
            for j in columns { entries.append((i, j, Float(1 + rng.integer(below: 3)))) }
        }
        let s = SparseMatrix(rows: batch, columns: vocabulary, entries: entries)
        let sDense = s.densified()
        let w = randomMatrix(vocabulary, hidden, &rng)
        let g = randomMatrix(batch, hidden, &rng)
        var hiddenOut = Matrix(rows: batch, columns: hidden)
        var gradient = Matrix(rows: vocabulary, columns: hidden)
        let forward = SparseResult(
            label: "S·W (100×10000, 40 nnz/row)·(10000×500)",
            sparseSeconds: medianSeconds { LinearAlgebra.sparseTimesDense(s, w, into: &hiddenOut) },
            denseSeconds: medianSeconds { best.gemm(sDense, w, into: &hiddenOut) },
            denseBackend: best.name)
        let backward = SparseResult(
            label: "Sᵀ·G (10000×100)·(100×500), touched rows",
            sparseSeconds: medianSeconds { _ = LinearAlgebra.sparseTransposeTimesDense(s, g) },
            denseSeconds: medianSeconds { best.gemm(sDense, transposeA: true, g, into: &gradient) },
            denseBackend: best.name)
        return Report(backends: backends, dense: dense, sparse: [forward, backward], bandwidth: triadBandwidth(), repeats: repeats)
    }

    /// STREAM triad GB/s (12 bytes an element: two reads and a write; the write-allocate read is not
    /// counted, as STREAM does not) on one thread and on every thread of the pool.
    private func triadBandwidth() -> [(threads: Int, gigabytesPerSecond: Double)] {
        let n = 16 << 20
        var a = [Float](repeating: 0, count: n), b = [Float](repeating: 1, count: n), c = [Float](repeating: 2, count: n)
        let threadCounts = ParallelExecution.threadCount > 1 ? [1, ParallelExecution.threadCount] : [1]
        return threadCounts.map { threads in
            let seconds = a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeBufferPointer { c in
                        medianSeconds {
                            parallelFor(threads, serial: threads == 1) { part in
                                let range = ParallelExecution.chunk(part, of: threads, total: n)
                                for i in range { a[i] = b[i] + 3 * c[i] }
                            }
                        }
                    }
                }
            }
            return (threads, 12 * Double(n) / seconds / 1e9)
        }
    }

    private func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout RandomSource) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in rng.uniform(-1, 1) })
    }

    /// Median wall time of `repeats` runs of `body`, after one untimed warm-up run.
    private func medianSeconds(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }
}

extension KernelBenchmark.DenseCase {
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

extension KernelBenchmark.Report {
    private var blasName: String? { backends.first { $0.kind == .blas }?.name }
    private var portableName: String { ComputeBackend.portable.name }

    var table: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func number(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var lines = ["Dense GEMM, GFLOP/s (median of \(repeats); higher is better)"]
        for backend in backends { lines.append("  \(backend.kind == .blas ? "BLAS    " : "portable"): \(backend.name)") }
        var header = pad("shape", 36) + pad("GFLOP", 8)
        if blasName != nil { header += pad("BLAS", 10) }
        header += pad("portable", 10)
        if blasName != nil { header += "portable time ÷ BLAS time" }
        lines += ["", header]
        for result in dense {
            var line = pad(result.denseCase.label, 36) + pad(number(result.denseCase.flops / 1e9, 3), 8)
            let portable = result.seconds[portableName]!
            if let blasName, let blas = result.seconds[blasName] {
                line += pad(number(result.denseCase.flops / blas / 1e9), 10)
                line += pad(number(result.denseCase.flops / portable / 1e9), 10)
                line += number(portable / blas, 2) + "×"
            } else {
                line += pad(number(result.denseCase.flops / portable / 1e9), 10)
            }
            lines.append(line)
        }
        lines += ["", "Sparse first layer vs the same product densified (dense on \(sparse.first?.denseBackend ?? "-"))",
                  pad("product", 44) + pad("sparse ms", 11) + pad("dense ms", 11) + "speedup"]
        for result in sparse {
            lines.append(pad(result.label, 44) + pad(number(result.sparseSeconds * 1e3, 3), 11)
                         + pad(number(result.denseSeconds * 1e3, 3), 11) + number(result.speedup, 1) + "×")
        }
        lines += ["", "Memory bandwidth, STREAM triad a = b + s·c over 3 × 64 MB"]
        for (threads, rate) in bandwidth {
            lines.append("  \(threads) thread\(threads == 1 ? " " : "s"): \(number(rate)) GB/s")
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var denseObjects: [[String: Any]] = []
        for result in dense {
            var object: [String: Any] = ["label": result.denseCase.label, "m": result.denseCase.m,
                                         "n": result.denseCase.n, "k": result.denseCase.k,
                                         "transposeA": result.denseCase.transposeA,
                                         "transposeB": result.denseCase.transposeB]
            var gflops: [String: Double] = [:]
            for (name, seconds) in result.seconds { gflops[name] = result.denseCase.flops / seconds / 1e9 }
            object["gflops"] = gflops
            if let blasName, let blas = result.seconds[blasName], let portable = result.seconds[portableName] {
                object["portableOverBLASTime"] = portable / blas
            }
            denseObjects.append(object)
        }
        let sparseObjects: [[String: Any]] = sparse.map {
            ["label": $0.label, "sparseSeconds": $0.sparseSeconds, "denseSeconds": $0.denseSeconds,
             "denseBackend": $0.denseBackend, "speedup": $0.speedup]
        }
        let root: [String: Any] = ["repeats": repeats, "threads": ParallelExecution.threadCount,
                                   "backends": backends.map(\.name), "current": ComputeBackend.current.name,
                                   "dense": denseObjects, "sparse": sparseObjects,
                                   "triadGBps": Dictionary(uniqueKeysWithValues: bandwidth.map { (String($0.threads), $0.gigabytesPerSecond) })]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
