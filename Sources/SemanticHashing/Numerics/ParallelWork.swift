import Dispatch
import Foundation

/// Runs items 0..<count on up to `threads` workers and gathers one result per item. Workers
/// take the next unclaimed item when they finish one, so a slow item or a worker the machine
/// pauses does not leave the others idle at the end; each worker can keep its own scratch
/// buffers across the items it takes.
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
    /// that claimed the item) and read only after all workers have joined.
    struct Slots<T>: @unchecked Sendable {
        fileprivate let base: UnsafeMutablePointer<T?>
        func store(_ value: T, at item: Int) { base[item] = value }
    }

    /// The items one worker claims, in increasing order, as it asks for them.
    struct Claims: Sequence, IteratorProtocol {
        fileprivate let counter: ClaimCounter
        mutating func next() -> Int? { counter.claim() }
    }

    /// Hands out 0..<count once each, to whichever worker asks first.
    fileprivate final class ClaimCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let count: Int
        init(count: Int) { self.count = count }
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }

    /// The same thread count as every other kernel (`SEMHASH_THREADS` or the core count).
    static var defaultThreads: Int { ParallelExecution.threadCount }

    static func map<T>(count: Int, threads: Int,
                       _ work: @Sendable (_ worker: Int, _ items: Claims, _ slots: Slots<T>) -> Void) -> [T] {
        let base = UnsafeMutablePointer<T?>.allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: max(count, 1))
        defer { base.deinitialize(count: max(count, 1)); base.deallocate() }
        let slots = Slots(base: base)
        let workers = max(1, min(threads, count))
        let counter = ClaimCounter(count: count)
        if workers == 1 {
            work(0, Claims(counter: counter), slots)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                work(w, Claims(counter: counter), slots)
            }
        }
        return (0..<count).map { base[$0]! }
    }
}
