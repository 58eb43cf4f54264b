/// Exact top-k selection over small-integer distances, fed one candidate at a time. It keeps a
/// histogram of accepted distances and the cut-off d_k, the k-th smallest distance so far:
///
/// ```
/// d_k = min { t : #{accepted with d ≤ t} ≥ k }     (bits + 1 while fewer than k accepted)
/// accept d  ⇔  d < limit,  limit = d_k       (candidates arrive in index order: a tie loses)
///                          limit = d_k + 1   (any order: a tie may still win on index)
/// result = the min(k, accepted) smallest keys (d, i) among accepted with d ≤ d_k, in order
/// ```
/// Candidates are kept as one 64-bit key, distance above index, so ordering by key is ordering
/// by (distance, index) and the result is a plain integer sort. The histogram and keys live in
/// unmanaged buffers owned by a class: every offer is a few stores, with no copy-on-write check
/// or bounds check (a fifth of a short query's time went there with arrays). A copy of a
/// selection therefore shares its buffers; each query owns one and `reset()`s it for the next.
///
/// ```swift
/// var top = CountingSelection(k: 100, bits: 32, candidatesInIndexOrder: true)
/// if d < top.limit { top.offer(distance: d, index: i) }
/// ```
struct CountingSelection {
    let k: Int
    let bits: Int
    let inIndexOrder: Bool
    /// Accepted candidates with distance < cutoff.
    private var below = 0
    private(set) var cutoff: Int
    private(set) var limit: Int
    /// Candidate count that triggers the next compaction; doubles when many ties survive one,
    /// so a large block tied at the cut-off costs amortised O(1) per candidate, not O(n).
    private var compactAt: Int
    private let buffers: Buffers

    /// The histogram (bits + 2 bins) and the growing list of candidate keys.
    private final class Buffers {
        let histogram: UnsafeMutablePointer<Int32>
        let bins: Int
        var keys: UnsafeMutablePointer<UInt64>
        var count = 0
        var capacity: Int

        init(bins: Int, capacity: Int) {
            self.bins = bins
            histogram = .allocate(capacity: bins)
            histogram.initialize(repeating: 0, count: bins)
            self.capacity = capacity
            keys = .allocate(capacity: capacity)
        }

        deinit {
            histogram.deallocate()
            keys.deallocate()
        }

        @inline(__always)
        func append(_ key: UInt64) {
            if count == capacity { grow() }
            keys[count] = key
            count += 1
        }

        private func grow() {
            let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * capacity)
            bigger.update(from: keys, count: count)
            keys.deallocate()
            keys = bigger
            capacity *= 2
        }
    }

    init(k: Int, bits: Int, candidatesInIndexOrder: Bool) {
        self.k = k
        self.bits = bits
        self.inIndexOrder = candidatesInIndexOrder
        cutoff = bits + 1
        limit = k == 0 ? 0 : bits + (candidatesInIndexOrder ? 1 : 2)
        compactAt = 4 * max(k, 256)
        buffers = Buffers(bins: bits + 2, capacity: compactAt + 1)
    }

    /// Starts over for a new query.
    mutating func reset() {
        buffers.histogram.update(repeating: 0, count: buffers.bins)
        buffers.count = 0
        below = 0
        cutoff = bits + 1
        limit = k == 0 ? 0 : bits + (inIndexOrder ? 1 : 2)
        compactAt = 4 * max(k, 256)
    }

    @inline(__always)
    private static func key(distance: Int, index: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: distance) << 32 | UInt64(UInt32(truncatingIfNeeded: index))
    }

    /// Adds a candidate; the caller has checked `distance < limit`.
    @inline(__always)
    mutating func offer(distance: Int, index: Int) {
        buffers.append(Self.key(distance: distance, index: index))
        buffers.histogram[distance] += 1
        if distance < cutoff { below += 1 }
        while below >= k && cutoff > 0 {
            cutoff -= 1
            below -= Int(buffers.histogram[cutoff])
        }
        limit = inIndexOrder ? cutoff : cutoff + 1
        if buffers.count > compactAt { compact() }
    }

    /// Drops candidates that can no longer make the top k.
    private mutating func compact() {
        let keys = buffers.keys
        let bound = Self.key(distance: cutoff + 1, index: 0)
        var kept = 0
        for c in 0..<buffers.count where keys[c] < bound {
            keys[kept] = keys[c]
            kept += 1
        }
        buffers.count = kept
        compactAt = max(compactAt, 2 * kept)
    }

    /// The selected hits in (distance, index) order: min(k, candidates offered) of them, the
    /// smallest keys with distance ≤ cut-off. Hits closer than the cut-off are all in; of the
    /// block tied at the cut-off only the lowest indices fill the remaining slots, picked with a
    /// bounded max-heap (the tied block can be tens of thousands of codes for clustered data).
    func finish() -> [Neighbor] {
        let bound = Self.key(distance: cutoff + 1, index: 0)
        var kept: [UInt64] = []
        kept.reserveCapacity(min(buffers.count, 2 * k + 64))
        for c in 0..<buffers.count where buffers.keys[c] < bound { kept.append(buffers.keys[c]) }
        let n = min(k, kept.count)
        if kept.count > 2 * n + 64 { kept = Self.smallest(n, of: kept) }
        kept.sort()
        return kept.prefix(n).map { Neighbor(index: Int($0 & 0xFFFF_FFFF), distance: Int($0 >> 32)) }
    }

    /// The `count` smallest of `values`, unordered: a max-heap of size count.
    private static func smallest(_ count: Int, of values: [UInt64]) -> [UInt64] {
        if values.count <= count { return values }
        if count == 0 { return [] }
        var heap = Array(values.prefix(count))
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var top = i
                if l < heap.count && heap[l] > heap[top] { top = l }
                if r < heap.count && heap[r] > heap[top] { top = r }
                if top == i { return }
                heap.swapAt(i, top)
                i = top
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        for v in values.dropFirst(count) where v < heap[0] {
            heap[0] = v
            siftDown(0)
        }
        return heap
    }
}
