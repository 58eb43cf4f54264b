/// Exact search by scanning every code: the reference index kind, and the fastest for small
/// N or short codes.
///
/// ```
/// for each batch of 32 queries, for each chunk of the database (≈ 256 KB of bit planes):
///     for each query q of the batch, for each block of 256 codes:
///         mask = [d_H(q, x) < limit_q]        (bit-sliced kernel, HammingKernels)
///         offer the few codes in mask to q's CountingSelection, which lowers limit_q
/// ```
/// The database streams through the cache once per query batch; codes are offered in index
/// order, so a code tied with the current k-th distance is rejected (ties go to lower indices).
/// Batches run in parallel on `threads` workers.
///
/// ```swift
/// let index = LinearScanIndex(codes: database, threads: 2)
/// let hits = index.search(queries, k: 100)
/// ```
public struct LinearScanIndex: HammingIndex {
    public let bits: Int
    public private(set) var codes: BinaryCodes
    public var threads: Int
    /// Queries that share one pass over the database.
    public var queryBatchSize = 32
    private var planes: BitPlanes

    public init(bits: Int, threads: Int? = nil) {
        self.bits = bits
        codes = BinaryCodes(bits: bits)
        planes = BitPlanes(bits: bits)
        self.threads = threads ?? ParallelWork.defaultThreads
    }

    public init(codes: BinaryCodes, threads: Int? = nil) {
        self.init(bits: codes.bits, threads: threads)
        add(codes)
    }

    public var count: Int { codes.count }

    public mutating func add(_ newCodes: BinaryCodes) {
        precondition(newCodes.bits == bits, "LinearScanIndex: adding \(newCodes.bits)-bit codes to a \(bits)-bit index")
        codes.append(contentsOf: newCodes)
        planes.append(newCodes)
    }

    public func search(_ queries: BinaryCodes, k: Int) -> SearchResults {
        precondition(queries.bits == bits, "LinearScanIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        precondition(k >= 0, "LinearScanIndex: negative k")
        let kk = min(k, count)
        let lists = scan(queries) { CountingSelection(k: kk, bits: bits, candidatesInIndexOrder: true) }
            onOffer: { selection, d, i in selection.offer(distance: d, index: i) }
            limit: { $0.limit }
            finish: { $0.finish() }
        return SearchResults(queryCount: queries.count, neighborsPerQuery: kk, neighbors: lists.flatMap { $0 })
    }

    public func rangeSearch(_ queries: BinaryCodes, radius: Int) -> RangeSearchResults {
        precondition(queries.bits == bits, "LinearScanIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        let limit = max(0, min(radius, bits) + 1)
        let lists = scan(queries) { RangeCollector(limit: limit) }
            onOffer: { collector, d, i in collector.hits.append(Neighbor(index: i, distance: d)) }
            limit: { $0.limit }
            finish: { $0.hits.sorted(by: Neighbor.precedes) }
        return RangeSearchResults(perQuery: lists)
    }

    private struct RangeCollector {
        let limit: Int
        var hits: [Neighbor] = []
    }

    /// The scan shared by k-NN and range search: `State` decides the per-query limit and what
    /// to keep; the loop feeds it every code with distance < limit, in index order.
    private func scan<State>(_ queries: BinaryCodes, makeState: @escaping @Sendable () -> State,
                             onOffer: @escaping @Sendable (inout State, Int, Int) -> Void,
                             limit: @escaping @Sendable (State) -> Int,
                             finish: @escaping @Sendable (State) -> [Neighbor]) -> [[Neighbor]] {
        let batchSize = max(1, queryBatchSize)
        let batches = (queries.count + batchSize - 1) / batchSize
        let bits = bits, planes = planes, codes = codes
        let perCode = codes.wordsPerCode
        // Enough blocks to fill ~256 KB of planes: stays in L2 across the batch's queries.
        let chunkBlocks = max(1, (256 << 10) / (bits * MemoryLayout<HammingKernels.Lanes>.stride))
        let levels = HammingKernels.highLevels(bits: bits)
        let blockCount = planes.blockCount
        let perBatch: [[[Neighbor]]] = ParallelWork.map(count: batches, threads: threads) { _, items, slots in
            let masks = UnsafeMutablePointer<HammingKernels.Lanes>.allocate(capacity: batchSize * bits)
            let scratch = UnsafeMutablePointer<HammingKernels.Lanes>.allocate(capacity: levels + 1)
            defer { masks.deallocate(); scratch.deallocate() }
            let lastValid = blockCount > 0 ? planes.validMask(ofBlock: blockCount - 1) : .init(repeating: 0)
            planes.planes.withUnsafeBufferPointer { planePointer in
                codes.words.withUnsafeBufferPointer { codeWords in
                    queries.words.withUnsafeBufferPointer { queryWords in
                        for batch in items {
                            let first = batch * batchSize, end = min(first + batchSize, queries.count)
                            var states = (first..<end).map { _ in makeState() }
                            for q in first..<end {
                                HammingKernels.queryMasks(queryWords.baseAddress! + q * perCode, bits: bits,
                                                          into: masks + (q - first) * bits)
                            }
                            for chunk in stride(from: 0, to: blockCount, by: chunkBlocks) {
                                let chunkEnd = min(chunk + chunkBlocks, blockCount)
                                for q in first..<end {
                                    let query = queryWords.baseAddress! + q * perCode
                                    let queryMasks = masks + (q - first) * bits
                                    var currentLimit = limit(states[q - first])
                                    for block in chunk..<chunkEnd {
                                        if currentLimit == 0 { break }
                                        var m = currentLimit > bits ? HammingKernels.Lanes(repeating: ~0)
                                            : HammingKernels.lessThanMask(planes: planePointer.baseAddress! + block * bits,
                                                                          queryMasks: queryMasks, bits: bits,
                                                                          threshold: currentLimit, levels: levels, scratch: scratch)
                                        if block == blockCount - 1 { m &= lastValid }
                                        if (m[0] | m[1] | m[2] | m[3]) == 0 { continue }
                                        for lane in 0..<4 {
                                            var x = m[lane]
                                            while x != 0 {
                                                let i = block * HammingKernels.blockSize + lane * 64 + x.trailingZeroBitCount
                                                x &= x &- 1
                                                let d = HammingKernels.distance(codeWords.baseAddress! + i * perCode, query, words: perCode)
                                                if d < currentLimit {
                                                    onOffer(&states[q - first], d, i)
                                                    currentLimit = limit(states[q - first])
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            slots.store(states.map(finish), at: batch)
                        }
                    }
                }
            }
        }
        return perBatch.flatMap { $0 }
    }
}
