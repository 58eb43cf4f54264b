#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The threads behind `parallelFor`: `threadCount − 1` workers that live as long as the process,
/// plus the calling thread, taking the items of one job at a time.
///
/// ```
/// run(count, body):  every item 0..<count is claimed exactly once, by whichever thread asks
///                    first, and run as body(item); returns when all have finished
/// ```
/// Why not `DispatchQueue.concurrentPerform`: a training step runs a few dozen short parallel
/// loops (tens of microseconds each), and waking Dispatch's threads for each cost a noticeable
/// share of the step. These workers spin for a short while after a job, so the next loop of the
/// same step starts at once, then sleep on a condition variable, so an idle pool costs nothing.
/// Items are claimed one at a time, so a worker the machine pauses does not hold up the others.
///
/// One job runs at a time. A call made while the pool is busy (from inside a job, or from another
/// thread) runs its items on the calling thread instead, so nesting cannot deadlock.
///
/// ```swift
/// WorkerPool.shared.run(4) { part in process(part) }
/// ```
final class WorkerPool: @unchecked Sendable {
    // `body` is written only by the thread that owns `busy`, before it publishes the job through
    // `state` (release); workers read it only after claiming an item of that job (acquire), and
    // the job's owner does not return before every claimed item has finished.

    static let shared = WorkerPool(workers: ParallelExecution.threadCount - 1)

    /// How long an idle worker keeps polling for the next job before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    let workerCount: Int
    /// job number (bits 40…63) | item count (bits 20…39) | next unclaimed item (bits 0…19).
    private let state = Atomic<UInt64>(0)
    private static let itemBits: UInt64 = 20, itemMask: UInt64 = (1 << 20) - 1, jobShift: UInt64 = 40
    private let unfinished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private var body: ((Int) -> Void)?
    private var sleepers = 0
    // Allocated, not stored inline: pthread objects must not move, and `&property` does not
    // promise a stable address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private init(workers: Int) {
        workerCount = max(0, workers)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<workerCount {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "semhash-worker"
            thread.start()
        }
    }

    /// Runs body(0) … body(count − 1) on the workers and the calling thread.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, workerCount > 0, count <= Int(Self.itemMask),
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for item in 0..<count { body(item) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            unfinished.store(count, ordering: .relaxed)
            let job = ((state.load(ordering: .relaxed) >> Self.jobShift) &+ 1) & 0xFF_FFFF
            state.store(job << Self.jobShift | UInt64(count) << Self.itemBits, ordering: .releasing)
            pthread_mutex_lock(mutex)
            if sleepers > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            work(on: job)
            var polls = 0
            while unfinished.load(ordering: .acquiring) > 0 {
                polls += 1
                if polls & 63 == 0 { sched_yield() }
            }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs items of job `job` until none is left (or another job has started).
    private func work(on job: UInt64) {
        var current = state.load(ordering: .acquiring)
        while current >> Self.jobShift == job {
            let item = current & Self.itemMask
            if item >= (current >> Self.itemBits) & Self.itemMask { return }
            let (claimed, seen) = state.compareExchange(expected: current, desired: current &+ 1, ordering: .acquiringAndReleasing)
            if !claimed { current = seen; continue }
            body!(Int(item))
            unfinished.subtract(1, ordering: .releasing)
            current = state.load(ordering: .acquiring)
        }
    }

    private func workerLoop() {
        var seenJob = state.load(ordering: .acquiring) >> Self.jobShift
        while true {
            // Poll for a new job for a while, then sleep until one is published.
            let start = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            var job = state.load(ordering: .acquiring) >> Self.jobShift
            while job == seenJob {
                polls += 1
                if polls & 255 == 0 && DispatchTime.now().uptimeNanoseconds &- start > Self.spinNanoseconds {
                    pthread_mutex_lock(mutex)
                    sleepers += 1
                    while state.load(ordering: .acquiring) >> Self.jobShift == seenJob { pthread_cond_wait(wake, mutex) }
                    sleepers -= 1
                    pthread_mutex_unlock(mutex)
                }
                job = state.load(ordering: .acquiring) >> Self.jobShift
            }
            seenJob = job
            work(on: job)
        }
    }
}
