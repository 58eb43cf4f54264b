/// Several indexes searched as one, exactly: item j of shard s is global item offset_s + j
/// (shards in the order given), and every result is in (distance, global position) order, so
/// searching the shards gives the same hits as searching their concatenation:
///
/// ```
/// offset_0 = 0,  offset_{s+1} = offset_s + N_s
/// search(Q, k)[q] = first min(k, ΣN_s) of merge_s { (offset_s + i, d) : (i, d) ∈ shard_s.search(Q, k)[q] }
/// ```
/// Each shard's own top k holds every one of its items that can reach the global top k, so the
/// merge is exact; ties go to the earlier shard, then the earlier position, which is the order
/// `IndexedCollection.merging` gives a merged index file.
///
/// ```swift
/// let shards = ShardedIndex(shards: [LinearScanIndex(codes: a), LinearScanIndex(codes: b)])
/// let hits = shards.search(queries, k: 10)        // == LinearScanIndex(codes: a + b).search(queries, k: 10)
/// ```
public struct ShardedIndex: HammingIndex {
    public private(set) var shards: [any HammingIndex]
    /// Global position of each shard's first item; offsets.last = count.
    public private(set) var offsets: [Int]
    public let bits: Int

    public init(shards: [any HammingIndex]) {
        precondition(!shards.isEmpty, "ShardedIndex: no shards")
        precondition(shards.allSatisfy { $0.bits == shards[0].bits }, "ShardedIndex: shards of different code lengths")
        self.shards = shards
        bits = shards[0].bits
        var offsets = [0]
        for s in shards { offsets.append(offsets.last! + s.count) }
        self.offsets = offsets
    }

    public var count: Int { offsets.last! }

    /// The shards' codes one after another (built on each call: O(N)).
    public var codes: BinaryCodes {
        var all = BinaryCodes(bits: bits)
        for s in shards { all.append(contentsOf: s.codes) }
        return all
    }

    public var threads: Int {
        get { shards[0].threads }
        set { for s in shards.indices { shards[s].threads = newValue } }
    }

    /// Appends to the last shard.
    public mutating func add(_ codes: BinaryCodes) {
        shards[shards.count - 1].add(codes)
        offsets[offsets.count - 1] += codes.count
    }

    /// The shard holding global position `index`, and the position inside it.
    public func locate(_ index: Int) -> (shard: Int, position: Int) {
        precondition(index >= 0 && index < count, "ShardedIndex: position \(index) outside 0..<\(count)")
        var lo = 0, hi = shards.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if offsets[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return (lo, index - offsets[lo])
    }

    public func search(_ queries: BinaryCodes, k: Int) -> SearchResults {
        let kk = min(max(k, 0), count)
        let perShard = shards.map { $0.search(queries, k: kk) }
        var neighbors: [Neighbor] = []
        neighbors.reserveCapacity(queries.count * kk)
        for q in 0..<queries.count {
            var merged: [Neighbor] = []
            for (s, results) in perShard.enumerated() {
                merged += results.neighbors(of: q).map { Neighbor(index: offsets[s] + $0.index, distance: $0.distance) }
            }
            // Each shard's list is already ordered; a stable sort by (distance, position) merges them.
            merged.sort(by: Neighbor.precedes)
            neighbors += merged.prefix(kk)
        }
        return SearchResults(queryCount: queries.count, neighborsPerQuery: kk, neighbors: neighbors)
    }

    public func rangeSearch(_ queries: BinaryCodes, radius: Int) -> RangeSearchResults {
        let perShard = shards.map { $0.rangeSearch(queries, radius: radius) }
        return RangeSearchResults(perQuery: (0..<queries.count).map { q in
            perShard.enumerated().flatMap { s, results in
                results.neighbors(of: q).map { Neighbor(index: offsets[s] + $0.index, distance: $0.distance) }
            }.sorted(by: Neighbor.precedes)
        })
    }
}
