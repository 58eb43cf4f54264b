import Foundation

/// Runs the cells of a sweep that a results file does not hold yet, appending one row per
/// finished cell, on `jobs` threads.
///
/// ```
/// pending = [ c ∈ cells | c.configHash ∉ { row.config_hash | row ∈ results } ]
/// for c in pending (jobs at a time):  row(c) = HashingRun.trainAndEvaluate(c) → results.append(row(c))
/// ```
///
/// Every cell is seeded, so running the pending cells of a stopped sweep produces the same rows
/// an uninterrupted sweep would have. Threads share one loaded dataset; each cell builds its own
/// model, so cells are independent. A cell that fails (e.g. a diverging loss) is reported and
/// skipped; the others still run, and a later resume retries it.
///
/// ```swift
/// let runner = ExperimentRunner(dataset: data, results: try ResultsFile(path: "results.csv"), jobs: 1)
/// let summary = try runner.run(cells)
/// ```
public final class ExperimentRunner: @unchecked Sendable {
    // The workers' shared progress (next cell, finished rows, failures) is only touched under `lock`.

    /// What happened to one cell.
    public enum Event: Sendable {
        case started(ExperimentCell)
        case batch(ExperimentCell, done: Int, total: Int)
        case finished(ExperimentCell, ExperimentResultRow, evaluateSeconds: Double)
        case failed(ExperimentCell, String)
    }

    /// The outcome of `run`.
    public struct Summary: Sendable {
        public var total: Int
        public var skipped: Int
        public var finished: [ExperimentResultRow]
        public var failures: [(cell: ExperimentCell, reason: String)]
        public var seconds: Double
    }

    public let dataset: Dataset
    public let results: ResultsFile
    public let jobs: Int
    private let lock = NSLock()

    public init(dataset: Dataset, results: ResultsFile, jobs: Int = 1) {
        self.dataset = dataset
        self.results = results
        self.jobs = max(1, jobs)
    }

    /// The cells whose rows are not in the results file yet, in the given order.
    public func pending(_ cells: [ExperimentCell]) throws -> [ExperimentCell] {
        let done = Set(try results.rows().map(\.configHash))
        return cells.filter { !done.contains($0.configHash) }
    }

    /// Batches one cell trains for, for progress.
    public func batchesPerCell(_ cell: ExperimentCell) -> Int {
        cell.epochs * ((dataset.database.count + cell.batchSize - 1) / cell.batchSize)
    }

    /// Runs the pending cells; `onEvent` is called from the worker threads.
    public func run(_ cells: [ExperimentCell], onEvent: @escaping @Sendable (Event) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        let todo = try pending(cells)
        let group = DispatchGroup()
        let state = UncheckedBox((next: 0, finished: [ExperimentResultRow](), failures: [(cell: ExperimentCell, reason: String)]()))
        for _ in 0..<min(jobs, todo.count) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while true {
                    lock.lock()
                    let index = state.value.next
                    state.value.next += 1
                    lock.unlock()
                    guard index < todo.count else { return }
                    let cell = todo[index]
                    onEvent(.started(cell))
                    do {
                        let (row, evaluateSeconds) = try runCell(cell, onEvent: onEvent)
                        try results.append(row)
                        lock.lock(); state.value.finished.append(row); lock.unlock()
                        onEvent(.finished(cell, row, evaluateSeconds: evaluateSeconds))
                    } catch {
                        lock.lock(); state.value.failures.append((cell, "\(error)")); lock.unlock()
                        onEvent(.failed(cell, "\(error)"))
                    }
                }
            }
            // Training recurses little but allocates big temporaries on the stack in debug builds.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return Summary(total: cells.count, skipped: cells.count - todo.count, finished: state.value.finished, failures: state.value.failures,
                       seconds: Date().timeIntervalSince(start))
    }

    /// Trains and evaluates one cell (design.md, Experimental protocol) and builds its row.
    public func runCell(_ cell: ExperimentCell, onEvent: (Event) -> Void = { _ in }) throws -> (ExperimentResultRow, Double) {
        let result = try HashingRun.trainAndEvaluate(dataset, configuration: cell.configuration(for: dataset), options: cell.trainingOptions,
                                                     supervision: .level(cell.level, seed: cell.seed),
                                                     onBatch: { done, total, _ in onEvent(.batch(cell, done: done, total: total)) })
        let row = ExperimentResultRow(cell: cell, metrics: result.metrics, trainSeconds: result.trainSeconds,
                                      addedValidation: dataset.validation != nil)
        return (row, result.evaluateSeconds)
    }
}

/// A mutable value shared by the worker threads of `ExperimentRunner`, guarded by its lock.
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
