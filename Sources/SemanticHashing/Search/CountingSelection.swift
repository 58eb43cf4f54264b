/// Exact top-k selection over small-integer distances, fed one candidate at a time. It keeps a
/// histogram of accepted distances and the cut-off d_k, the k-th smallest distance so far:
///
/// ```
/// d_k = min { t : #{accepted with d ≤ t} ≥ k }     (bits + 1 while fewer than k accepted)
/// accept d  ⇔  d < limit,  limit = d_k       (candidates arrive in index order: a tie loses)
///                          limit = d_k + 1   (any order: a tie may still win on index)
/// ```
///
/// ```swift
/// var top = CountingSelection(k: 100, bits: 32, candidatesInIndexOrder: true)
/// if d < top.limit { top.offer(distance: d, index: i) }
/// ```
struct CountingSelection {
    let k: Int
    let bits: Int
    let inIndexOrder: Bool
    private var histogram: [Int32]
    /// Accepted candidates with distance < cutoff.
    private var below = 0
    private(set) var cutoff: Int
    private(set) var limit: Int
    private var distances: [Int32] = []
    private var indices: [Int32] = []
    /// Candidate count that triggers the next compaction; doubles when many ties survive one,
    /// so a large block tied at the cut-off costs amortised O(1) per candidate, not O(n).
    private var compactAt: Int

    init(k: Int, bits: Int, candidatesInIndexOrder: Bool) {
        self.k = k
        self.bits = bits
        self.inIndexOrder = candidatesInIndexOrder
        histogram = [Int32](repeating: 0, count: bits + 2)
        cutoff = bits + 1
        limit = k == 0 ? 0 : bits + (candidatesInIndexOrder ? 1 : 2)
        compactAt = 4 * max(k, 256)
    }

    /// Starts over for a new query.
    mutating func reset() {
        for t in 0..<histogram.count { histogram[t] = 0 }
        below = 0
        cutoff = bits + 1
        limit = k == 0 ? 0 : bits + (inIndexOrder ? 1 : 2)
        distances.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        compactAt = 4 * max(k, 256)
    }

    /// Adds a candidate; the caller has checked `distance < limit`.
    mutating func offer(distance: Int, index: Int) {
        distances.append(Int32(distance))
        indices.append(Int32(truncatingIfNeeded: index))
        histogram[distance] += 1
        if distance < cutoff { below += 1 }
        while below >= k && cutoff > 0 {
            cutoff -= 1
            below -= Int(histogram[cutoff])
        }
        limit = inIndexOrder ? cutoff : cutoff + 1
        if distances.count > compactAt { compact() }
    }

    /// Drops candidates that can no longer make the top k.
    private mutating func compact() {
        var kept = 0
        for c in 0..<distances.count where Int(distances[c]) <= cutoff {
            distances[kept] = distances[c]
            indices[kept] = indices[c]
            kept += 1
        }
        distances.removeLast(distances.count - kept)
        indices.removeLast(indices.count - kept)
        compactAt = max(compactAt, 2 * kept)
    }

    /// The selected hits in (distance, index) order: min(k, candidates offered) of them.
    /// Hits closer than the cut-off are all in; of the block tied at the cut-off only the
    /// lowest indices fill the remaining slots, picked with a bounded max-heap (the tied block
    /// can be tens of thousands of codes for clustered data, far more than the slots).
    func finish() -> [Neighbor] {
        var hits: [Neighbor] = []
        var tied: [Int32] = []
        for c in 0..<distances.count {
            let d = Int(distances[c])
            if d < cutoff {
                hits.append(Neighbor(index: Int(UInt32(bitPattern: indices[c])), distance: d))
            } else if d == cutoff {
                tied.append(indices[c])
            }
        }
        hits.sort(by: Neighbor.precedes)
        let slots = k - hits.count
        guard slots > 0 else { return Array(hits.prefix(k)) }
        var lowest = Self.smallest(slots, of: tied)
        lowest.sort { UInt32(bitPattern: $0) < UInt32(bitPattern: $1) }
        hits.append(contentsOf: lowest.map { Neighbor(index: Int(UInt32(bitPattern: $0)), distance: cutoff) })
        return hits
    }

    /// The `count` smallest values (as unsigned) of `values`, unordered: a max-heap of size count.
    private static func smallest(_ count: Int, of values: [Int32]) -> [Int32] {
        if values.count <= count { return values }
        var heap = Array(values.prefix(count)).map { UInt32(bitPattern: $0) }
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
        for v in values.dropFirst(count) {
            let u = UInt32(bitPattern: v)
            if u < heap[0] {
                heap[0] = u
                siftDown(0)
            }
        }
        return heap.map { Int32(bitPattern: $0) }
    }
}
