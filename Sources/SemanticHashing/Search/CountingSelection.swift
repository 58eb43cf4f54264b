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
    func finish() -> [Neighbor] {
        var hits: [Neighbor] = []
        hits.reserveCapacity(distances.count)
        for c in 0..<distances.count where Int(distances[c]) <= cutoff {
            hits.append(Neighbor(index: Int(UInt32(bitPattern: indices[c])), distance: Int(distances[c])))
        }
        hits.sort(by: Neighbor.precedes)
        if hits.count > k { hits.removeLast(hits.count - k) }
        return hits
    }
}
