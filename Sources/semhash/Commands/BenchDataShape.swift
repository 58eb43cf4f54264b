import Foundation
import SemanticHashing

/// The size and sparsity of one of the paper's training sets, and random data of that shape for
/// the benchmarks: bag-of-words rows whose terms follow a Zipf law, so a batch of 100 touches
/// about as many distinct columns as the real corpus does.
///
/// ```
/// P(column r) ∝ 1 / (r + 1)^0.77        (fits the distinct columns per batch of 100:
///                                          Snippets 1 033 of 1 420 non-zeros, 20 Newsgroups 3 748 of 7 540)
/// non-zeros per row ~ Poisson(mean), at least 1;   count ~ 1 + Geometric(½)
/// input = log(1 + count) (Snippets) or count·idf (tf-idf shapes);   target = counts or the input
/// ```
///
/// ```swift
/// let split = BenchDataShape.snippets.trainingSplit(labelledFraction: 0.1, seed: 1)
/// ```
struct BenchDataShape: Sendable {
    var name: String
    var features: Int
    var rows: Int
    var nonZerosPerRow: Double
    var classes: Int
    var multiLabel: Bool
    /// log(1 + count) input with raw counts as the target (Snippets); otherwise tf-idf for both.
    var logCounts: Bool

    static let snippets = BenchDataShape(name: "snippets", features: 10_000, rows: 10_060, nonZerosPerRow: 14.2,
                                         classes: 8, multiLabel: false, logCounts: true)
    static let newsgroups = BenchDataShape(name: "20news", features: 10_000, rows: 11_295, nonZerosPerRow: 75.4,
                                           classes: 20, multiLabel: false, logCounts: false)
    static let tmc = BenchDataShape(name: "tmc", features: 500, rows: 21_519, nonZerosPerRow: 22.6,
                                    classes: 22, multiLabel: true, logCounts: false)
    static let all = [snippets, newsgroups, tmc]

    static func named(_ name: String) -> BenchDataShape? { all.first { $0.name == name } }

    /// A training split of this shape with `labelledFraction` of the items labelled.
    func trainingSplit(labelledFraction: Double, seed: UInt64) -> DataSplit {
        var stream = documents(seed: seed)
        let (input, counts) = stream.next(rows)
        var random = RandomSource(seed: seed &+ 1)
        let labels = randomLabels(rows, labelledFraction: labelledFraction, random: &random)
        return DataSplit(features: .sparse(input), reconstructionTarget: logCounts ? .sparse(counts) : nil, labels: labels)
    }

    /// Random class sets for `count` items (one class, or 1–4 for multi-label data), `labelledFraction` of them non-empty.
    func randomLabels(_ count: Int, labelledFraction: Double, random: inout RandomSource) -> Labels {
        var sets: [[Int]] = []
        for _ in 0..<count {
            guard random.uniformDouble() < labelledFraction else { sets.append([]); continue }
            var set = Set([random.integer(below: classes)])
            while multiLabel && set.count < 4 && random.uniform() < 0.55 { set.insert(random.integer(below: classes)) }
            sets.append(set.sorted())
        }
        if multiLabel { return Labels(multiLabel: sets, classCount: classes) }
        return Labels(classCount: classes, isMultiLabel: false, offsets: sets.reduce(into: [0]) { $0.append($0.last! + $1.count) },
                      classes: sets.flatMap { $0.map(Int32.init) })
    }

    /// An endless stream of documents of this shape, drawn chunk by chunk (so a benchmark can
    /// encode any number of them without holding them all).
    func documents(seed: UInt64) -> DocumentStream { DocumentStream(shape: self, seed: seed) }

    struct DocumentStream {
        let shape: BenchDataShape
        private var random: RandomSource
        private var cumulative: [Double]
        private let columnOfRank: [Int]
        private let idf: [Float]

        init(shape: BenchDataShape, seed: UInt64) {
            self.shape = shape
            random = RandomSource(seed: seed)
            cumulative = [Double](repeating: 0, count: shape.features)
            var total = 0.0
            for r in 0..<shape.features {
                total += 1 / pow(Double(r + 1), 0.77)
                cumulative[r] = total
            }
            // A fixed random map from popularity rank to column, so popular terms are not all adjacent.
            columnOfRank = random.permutation(shape.features)
            // Rarer terms weigh more, as with tf-idf (the exact weights do not matter to the speed).
            idf = (0..<shape.features).map { r in Float(1 + log(Double(r + 1))) }
        }

        /// The next `count` documents: encoder inputs and raw counts (same sparsity pattern).
        mutating func next(_ count: Int) -> (input: SparseMatrix, counts: SparseMatrix) {
            let features = shape.features, total = cumulative[features - 1]
            var rowStart = [0]
            var columns: [Int32] = []
            var counts: [Float] = []
            var inputs: [Float] = []
            for _ in 0..<count {
                let wanted = max(1, min(features, poisson(shape.nonZerosPerRow)))
                var row: [Int: Float] = [:]
                while row.count < wanted {
                    let u = random.uniformDouble() * total
                    var low = 0, high = features - 1
                    while low < high { let mid = (low + high) / 2; if cumulative[mid] < u { low = mid + 1 } else { high = mid } }
                    var value: Float = 1
                    while random.uniform() < 0.5 { value += 1 }
                    row[low, default: 0] += value
                }
                for (rank, value) in row.map({ ($0.key, $0.value) }).sorted(by: { columnOfRank[$0.0] < columnOfRank[$1.0] }) {
                    columns.append(Int32(columnOfRank[rank]))
                    counts.append(value)
                    inputs.append(shape.logCounts ? log(1 + value) : value * idf[rank])
                }
                rowStart.append(columns.count)
            }
            return (SparseMatrix(rows: count, columns: features, rowStart: rowStart, columnIndices: columns, values: inputs),
                    SparseMatrix(rows: count, columns: features, rowStart: rowStart, columnIndices: columns, values: counts))
        }

        private mutating func poisson(_ mean: Double) -> Int {
            // Knuth's method is slow for large means; a rounded normal is close enough for a shape.
            let u1 = max(random.uniformDouble(), 1e-300), u2 = random.uniformDouble()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            return Int((mean + z * mean.squareRoot()).rounded())
        }
    }
}
