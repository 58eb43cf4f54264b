import Foundation

/// Runs `body(0) … body(count - 1)` on up to `ParallelExecution.threadCount` threads and returns
/// when all have finished.
///
/// ```
/// parallelFor(count, body)  ≡  for index in 0..<count { body(index) }   (in some interleaving)
/// ```
///
/// Each call of `body` must touch memory disjoint from the others' writes; the caller guarantees
/// this (typically every index owns a block of rows of an output). When `serial` is true, or there
/// is only one index or one thread, the loop runs on the calling thread without any dispatch cost,
/// so callers pass `serial: work < threshold` for small problems.
///
/// ```swift
/// parallelFor(blocks, serial: rows * columns < 50_000) { block in
///     for i in rowRange(block) { … }   // writes only rows of this block
/// }
/// ```
public func parallelFor(_ count: Int, serial: Bool = false, _ body: (Int) -> Void) {
    if count <= 0 { return }
    if serial || count == 1 || ParallelExecution.threadCount == 1 {
        for index in 0..<count { body(index) }
        return
    }
    WorkerPool.shared.run(count, body)
}

/// How many threads the kernels split work across.
public enum ParallelExecution {
    /// The number of active processors, or `SEMHASH_THREADS` when set to a positive integer.
    public static let threadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["SEMHASH_THREADS"] {
            if let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 { return value }
            FileHandle.standardError.write(Data("warning: ignoring SEMHASH_THREADS='\(text)' (expected a positive integer)\n".utf8))
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Splits `0..<total` into `parts` contiguous ranges whose lengths differ by at most
    /// `granularity` and (except the last) are multiples of `granularity`.
    public static func chunk(_ part: Int, of parts: Int, total: Int, granularity: Int = 1) -> Range<Int> {
        let units = (total + granularity - 1) / granularity
        let lower = min(total, (units * part / parts) * granularity)
        let upper = min(total, (units * (part + 1) / parts) * granularity)
        return lower..<upper
    }
}
