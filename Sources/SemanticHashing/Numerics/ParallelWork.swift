import Dispatch
import Foundation

/// Runs items 0..<count on up to `threads` workers (worker w takes items w, w + W, w + 2W, …,
/// so each worker can keep its own scratch buffers) and gathers one result per item:
///
/// ```
/// result[i] = work(i)   for i in 0..<count, computed on W = min(threads, count) threads
/// ```
///
/// ```swift
/// let lists = ParallelWork.map(count: batches, threads: 2) { worker, items, slots in
///     for i in items { slots.store(compute(i), at: i) } }
/// ```
enum ParallelWork {
    /// Write access to the result slots. Unchecked-Sendable because workers write through a
    /// shared pointer; it is safe since every slot is written by exactly one worker (the one
    /// that owns the item) and read only after all workers have joined.
    struct Slots<T>: @unchecked Sendable {
        fileprivate let base: UnsafeMutablePointer<T?>
        func store(_ value: T, at item: Int) { base[item] = value }
    }

    /// The same thread count as every other kernel (`SEMHASH_THREADS` or the core count).
    static var defaultThreads: Int { ParallelExecution.threadCount }

    static func map<T>(count: Int, threads: Int,
                       _ work: @Sendable (_ worker: Int, _ items: StrideTo<Int>, _ slots: Slots<T>) -> Void) -> [T] {
        let base = UnsafeMutablePointer<T?>.allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: max(count, 1))
        defer { base.deinitialize(count: max(count, 1)); base.deallocate() }
        let slots = Slots(base: base)
        let workers = max(1, min(threads, count))
        if workers == 1 {
            work(0, stride(from: 0, to: count, by: 1), slots)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                work(w, stride(from: w, to: count, by: workers), slots)
            }
        }
        return (0..<count).map { base[$0]! }
    }
}
