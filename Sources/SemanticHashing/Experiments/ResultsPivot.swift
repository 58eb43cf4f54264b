import Foundation

/// The paper's table: one metric per (dataset, algorithm, bits) row and supervision-level column,
/// summarised over runs, with the best algorithm per dataset, bits and level.
///
/// ```
/// values(r, p) = { row.metric | row ∈ results, (row.dataset, row.algorithm, row.bits) = r, row.level = p }
/// mean = Σ v / n        std = √( Σ (v − mean)² / (n − 1) )   (sample std; 0 when n = 1)
/// best(dataset, bits, p) = argmax over algorithms of mean
/// ```
///
/// Rows that share a config_hash (a cell recorded twice) count once.
///
/// ```swift
/// let pivot = try ResultsPivot(rows: try ResultsFile.readRows(path: "results.csv"), metric: "p@100")
/// print(pivot.summary(pivot.rowKeys[0], level: 0.1)?.mean ?? .nan)
/// ```
public struct ResultsPivot: Sendable {
    /// A table row: one algorithm on one dataset at one code length.
    public struct RowKey: Hashable, Sendable {
        public var dataset: String
        public var algorithm: String
        public var bits: Int
    }

    /// The runs of one table cell, summarised.
    public struct Summary: Sendable, Equatable {
        public var values: [Double]
        public var count: Int { values.count }
        public var mean: Double { values.reduce(0, +) / Double(values.count) }
        public var standardDeviation: Double {
            guard values.count > 1 else { return 0 }
            let m = mean
            return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        }
        public var minimum: Double { values.min()! }
        public var maximum: Double { values.max()! }
    }

    public let metric: String
    /// Supervision levels present, ascending.
    public let levels: [Double]
    /// Rows ordered by bits, dataset (first appearance), then the paper's model order.
    public let rowKeys: [RowKey]
    private let cells: [RowKey: [Double: Summary]]

    /// The metric names a pivot accepts.
    public static let metrics = ExperimentResultRow.referenceMetrics + [ExperimentResultRow.tieAwareMetric, "train_seconds"]

    public init(rows: [ExperimentResultRow], metric: String) throws {
        let name = metric == "tie_aware_p@100" ? ExperimentResultRow.tieAwareMetric : metric
        guard Self.metrics.contains(name) else {
            throw SemanticHashingError.invalidArgument(name: "metric", reason: "unknown metric '\(metric)'; valid: \(Self.metrics.joined(separator: ", "))")
        }
        self.metric = name
        var seen = Set<String>()
        var cells: [RowKey: [Double: Summary]] = [:]
        var datasetOrder: [String] = []
        for row in rows where seen.insert(row.configHash).inserted {
            guard let value = row.value(of: name), !value.isNaN else { continue }
            let key = RowKey(dataset: row.dataset, algorithm: row.algorithm, bits: row.bits)
            let level = SupervisionLevels.rounded(row.level)
            cells[key, default: [:]][level, default: Summary(values: [])].values.append(value)
            if !datasetOrder.contains(row.dataset) { datasetOrder.append(row.dataset) }
        }
        guard !cells.isEmpty else {
            throw SemanticHashingError.invalidArgument(name: "metric", reason: "no row has a value for '\(name)'")
        }
        self.cells = cells
        levels = Array(Set(cells.values.flatMap(\.keys))).sorted()
        let modelOrder = [ModelPreset.vdsh, .bvae, .vdshS, .phsGS, .ssbVAE].map(\.paperName)
        func modelRank(_ name: String) -> Int { modelOrder.firstIndex(of: name) ?? modelOrder.count }
        rowKeys = cells.keys.sorted { a, b in
            if a.bits != b.bits { return a.bits < b.bits }
            if a.dataset != b.dataset { return datasetOrder.firstIndex(of: a.dataset)! < datasetOrder.firstIndex(of: b.dataset)! }
            if modelRank(a.algorithm) != modelRank(b.algorithm) { return modelRank(a.algorithm) < modelRank(b.algorithm) }
            return a.algorithm < b.algorithm
        }
    }

    public func summary(_ key: RowKey, level: Double) -> Summary? {
        cells[key]?[SupervisionLevels.rounded(level)]
    }

    /// Code lengths present, ascending.
    public var bits: [Int] { Array(Set(rowKeys.map(\.bits))).sorted() }

    /// Datasets present at `bits`, in row order.
    public func datasets(bits: Int) -> [String] {
        var order: [String] = []
        for k in rowKeys where k.bits == bits && !order.contains(k.dataset) { order.append(k.dataset) }
        return order
    }

    /// Whether `key` has the highest mean among the algorithms of its dataset and bits at `level`
    /// (train_seconds: the lowest). Ties mark every tied row.
    public func isBest(_ key: RowKey, level: Double) -> Bool {
        guard let mine = summary(key, level: level)?.mean else { return false }
        let rivals = rowKeys.filter { $0.dataset == key.dataset && $0.bits == key.bits }.compactMap { summary($0, level: level)?.mean }
        return metric == "train_seconds" ? mine <= rivals.min()! : mine >= rivals.max()!
    }

    /// The most runs any cell has; cells with fewer are flagged in the tables.
    public var maximumRuns: Int { cells.values.flatMap(\.values).map(\.count).max() ?? 0 }
}
