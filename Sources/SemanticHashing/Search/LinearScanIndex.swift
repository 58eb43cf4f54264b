/// Exact search by scanning every code: the reference index kind, and the fastest for small
/// N or short codes.
///
/// ```
/// for each batch of 32 queries, for each chunk of the database (≈ 256 KB of bit planes):
///     for each query q of the batch, for each block of 128 codes:
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

    /// One query against a range of blocks: kernel mask, then exact distances for the few
    /// codes that pass, offered in index order.
    @inline(__always)
    private static func scanQuery<L: CodeLength, State>(_ length: L.Type, bits dynamicBits: Int, levels: Int, planes: UnsafePointer<HammingKernels.Lanes>,
                                         blocks: Range<Int>, lastBlock: Int, lastValid: HammingKernels.Lanes,
                                         queryMasks: UnsafePointer<HammingKernels.Lanes>, query: UnsafePointer<UInt64>,
                                         codeWords: UnsafePointer<UInt64>, perCode: Int,
                                         scratch: UnsafeMutablePointer<HammingKernels.Lanes>, state: inout State,
                                         limit: (State) -> Int, onOffer: (inout State, Int, Int) -> Void) {
        let bits = L.bits ?? dynamicBits
        var currentLimit = limit(state)
        for block in blocks {
            if currentLimit == 0 { return }
            var m: HammingKernels.Lanes
            if currentLimit > bits {
                m = HammingKernels.Lanes(repeating: ~0)
            } else if bits < 128 {
                m = HammingKernels.lessThanMaskShort(planes: planes + block * bits, queryMasks: queryMasks, bits: bits,
                                                     threshold: currentLimit)
            } else {
                m = HammingKernels.lessThanMask(planes: planes + block * bits, queryMasks: queryMasks, bits: bits,
                                                threshold: currentLimit, levels: levels, scratch: scratch)
            }
            if block == lastBlock { m &= lastValid }
            var any: UInt64 = 0
            for lane in 0..<HammingKernels.Lanes.scalarCount { any |= m[lane] }
            if any == 0 { continue }
            for lane in 0..<HammingKernels.Lanes.scalarCount {
                var x = m[lane]
                while x != 0 {
                    let i = block * HammingKernels.blockSize + lane * 64 + x.trailingZeroBitCount
                    x &= x &- 1
                    let d = HammingKernels.distance(codeWords + i * perCode, query, words: perCode)
                    if d < currentLimit {
                        onOffer(&state, d, i)
                        currentLimit = limit(state)
                    }
                }
            }
        }
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
                                    // Constant lengths (a type per length) let the kernel keep its
                                    // counters in registers; other lengths take the general path.
                                    func run<L: CodeLength>(_: L.Type) {
                                        Self.scanQuery(L.self, bits: bits, levels: levels, planes: planePointer.baseAddress!,
                                                       blocks: chunk..<chunkEnd, lastBlock: blockCount - 1, lastValid: lastValid,
                                                       queryMasks: masks + (q - first) * bits,
                                                       query: queryWords.baseAddress! + q * perCode,
                                                       codeWords: codeWords.baseAddress!, perCode: perCode, scratch: scratch,
                                                       state: &states[q - first], limit: limit, onOffer: onOffer)
                                    }
                                    switch bits {
                                    case 16: run(Bits16.self)
                                    case 32: run(Bits32.self)
                                    case 64: run(Bits64.self)
                                    default: run(AnyBits.self)
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

/// A code length known at compile time, so the scan kernel is specialised per length.
protocol CodeLength { static var bits: Int? { get } }
enum Bits16: CodeLength { static var bits: Int? { 16 } }
enum Bits32: CodeLength { static var bits: Int? { 32 } }
enum Bits64: CodeLength { static var bits: Int? { 64 } }
enum AnyBits: CodeLength { static var bits: Int? { nil } }
