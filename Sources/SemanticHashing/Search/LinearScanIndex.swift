import BitSlicedScan

/// Exact search by scanning every code: the reference index kind, and the fastest for small
/// N or short codes.
///
/// ```
/// for each batch of 32 queries, for each chunk of the database (≈ 256 KB of bit planes):
///     for each query q of the batch:
///         b = next block of 128 or 256 codes with a code at d_H(q, x) < limit_q   (BlockScanner)
///         offer the few codes of b's mask to q's CountingSelection, which lowers limit_q
/// ```
/// The database streams through the cache once per query batch; codes are offered in index
/// order, so a code tied with the current k-th distance is rejected (ties go to lower indices).
/// Batches run in parallel on `threads` workers. The kernel (`ScanKernel`: portable two-lane,
/// AVX2 four-lane or AVX-512 eight-lane) is fixed when the index is made, since it decides the layout of the planes.
///
/// ```swift
/// let index = LinearScanIndex(codes: database, threads: 2)      // kernel: ScanKernel.fastest
/// let hits = index.search(queries, k: 100)
/// ```
public struct LinearScanIndex: HammingIndex {
    public let bits: Int
    public private(set) var codes: BinaryCodes
    public var threads: Int
    /// Queries that share one pass over the database.
    public var queryBatchSize = 32
    /// Bytes of bit planes scanned by every query of a batch before the next chunk: small
    /// enough to stay in the core's L2 cache (internal so tests can cross chunk boundaries).
    var chunkBytes = 256 << 10
    /// The bit-sliced kernel this index scans with.
    public let kernel: ScanKernel
    /// The planes of `kernel`'s width; the other stays empty.
    private var portablePlanes: BitPlanes<PortableScanner.Lanes>
    private var avx2Planes: BitPlanes<AVX2Scanner.Lanes>
    private var avx512Planes: BitPlanes<AVX512Scanner.Lanes>

    /// An empty index. `kernel` must be supported by this processor (`ScanKernel.isSupported`).
    public init(bits: Int, threads: Int? = nil, kernel: ScanKernel = .fastest) {
        precondition(kernel.isSupported, "LinearScanIndex: the \(kernel.rawValue) kernel does not run on this processor")
        self.bits = bits
        self.kernel = kernel
        codes = BinaryCodes(bits: bits)
        portablePlanes = BitPlanes(bits: bits)
        avx2Planes = BitPlanes(bits: bits)
        avx512Planes = BitPlanes(bits: bits)
        self.threads = threads ?? ParallelWork.defaultThreads
    }

    public init(codes: BinaryCodes, threads: Int? = nil, kernel: ScanKernel = .fastest) {
        self.init(bits: codes.bits, threads: threads, kernel: kernel)
        add(codes)
    }

    public var count: Int { codes.count }

    public mutating func add(_ newCodes: BinaryCodes) {
        precondition(newCodes.bits == bits, "LinearScanIndex: adding \(newCodes.bits)-bit codes to a \(bits)-bit index")
        codes.append(contentsOf: newCodes)
        switch kernel {
        case .portable: portablePlanes.append(newCodes)
        case .avx2: avx2Planes.append(newCodes)
        case .avx512: avx512Planes.append(newCodes)
        }
    }

    public func search(_ queries: BinaryCodes, k: Int) -> SearchResults {
        precondition(queries.bits == bits, "LinearScanIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        precondition(k >= 0, "LinearScanIndex: negative k")
        let kk = min(k, count)
        let lists = scan(queries) { CountingSelection(k: kk, bits: bits, candidatesInIndexOrder: true) }
        return SearchResults(queryCount: queries.count, neighborsPerQuery: kk, neighbors: lists.flatMap { $0 })
    }

    public func rangeSearch(_ queries: BinaryCodes, radius: Int) -> RangeSearchResults {
        precondition(queries.bits == bits, "LinearScanIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        let limit = max(0, min(radius, bits) + 1)
        let lists = scan(queries) { RangeCollector(limit: limit) }
        return RangeSearchResults(perQuery: lists)
    }

    /// One query against a range of blocks: the kernel finds the next block with a code below
    /// the query's limit, then the codes of its mask are offered in index order with their exact
    /// distances (read from the kernel's counts), which may lower the limit for what follows.
    /// Until k codes have been accepted the limit exceeds every distance and whole blocks pass.
    @inline(__always)
    private static func scanQuery<Scanner: BlockScanner, Length: CodeLength, Collector: ScanCollector>(
        _ scanner: Scanner.Type, _ length: Length.Type, bits dynamicBits: Int, planes: UnsafePointer<Scanner.Lanes>,
        blocks: Range<Int>, lastBlock: Int, lastValid: Scanner.Lanes,
        queryMasks: UnsafePointer<Scanner.Lanes>, query: UnsafePointer<UInt64>,
        codeWords: UnsafePointer<UInt64>, perCode: Int,
        counts: UnsafeMutablePointer<Scanner.Lanes>, collector: inout Collector
    ) {
        let bits = Length.bits ?? dynamicBits
        let blockSize = 64 * Scanner.Lanes.scalarCount
        var currentLimit = collector.limit
        var block = blocks.lowerBound
        while block < blocks.upperBound && currentLimit > 0 {
            var m = Scanner.Lanes(repeating: ~0)
            let threshold = currentLimit
            let everyCode = threshold > bits
            if !everyCode {
                block = Scanner.firstMatch(Length.self, planes: planes, bits: bits, queryMasks: queryMasks, threshold: threshold,
                                           blocks: block..<blocks.upperBound, counts: counts, mask: &m)
                if block == blocks.upperBound { return }
            }
            if block == lastBlock { m &= lastValid }
            for lane in 0..<Scanner.Lanes.scalarCount {
                var x = m[lane]
                while x != 0 {
                    let r = lane * 64 + x.trailingZeroBitCount
                    x &= x &- 1
                    let i = block * blockSize + r
                    let d = everyCode ? HammingKernels.distance(codeWords + i * perCode, query, words: perCode)
                                      : BitSlicedKernel.distance(ofCode: r, counts: counts, bits: bits, threshold: threshold)
                    if d < currentLimit {
                        collector.offer(distance: d, index: i)
                        currentLimit = collector.limit
                    }
                }
            }
            block += 1
        }
    }

    /// Every code within the radius, sorted at the end.
    private struct RangeCollector: ScanCollector {
        let limit: Int
        var hits: [Neighbor] = []
        mutating func offer(distance: Int, index: Int) { hits.append(Neighbor(index: index, distance: distance)) }
        mutating func reset() { hits.removeAll(keepingCapacity: true) }
        func finish() -> [Neighbor] { hits.sorted(by: Neighbor.precedes) }
    }

    /// The scan shared by k-NN and range search: the collector decides the per-query limit and
    /// what to keep; the loop feeds it every code with distance < limit, in index order.
    private func scan<Collector: ScanCollector>(_ queries: BinaryCodes, makeCollector: @escaping @Sendable () -> Collector) -> [[Neighbor]] {
        switch kernel {
        case .portable: scan(PortableScanner.self, planes: portablePlanes, queries, makeCollector: makeCollector)
        case .avx2: scan(AVX2Scanner.self, planes: avx2Planes, queries, makeCollector: makeCollector)
        case .avx512: scan(AVX512Scanner.self, planes: avx512Planes, queries, makeCollector: makeCollector)
        }
    }

    private func scan<Scanner: BlockScanner, Collector: ScanCollector>(_ scanner: Scanner.Type, planes: BitPlanes<Scanner.Lanes>,
                                                                       _ queries: BinaryCodes,
                                                                       makeCollector: @escaping @Sendable () -> Collector) -> [[Neighbor]] {
        typealias Lanes = Scanner.Lanes
        let batchSize = max(1, queryBatchSize)
        let batches = (queries.count + batchSize - 1) / batchSize
        let bits = bits, codes = codes
        let perCode = codes.wordsPerCode
        let chunkBlocks = max(1, chunkBytes / (bits * MemoryLayout<Lanes>.stride))
        let levels = BitSlicedKernel.countLevels(bits: bits)
        let blockCount = planes.blockCount
        let perBatch: [[[Neighbor]]] = ParallelWork.map(count: batches, threads: threads) { _, items, slots in
            let masks = UnsafeMutablePointer<Lanes>.allocate(capacity: batchSize * bits)
            let counts = UnsafeMutablePointer<Lanes>.allocate(capacity: levels)
            defer { masks.deallocate(); counts.deallocate() }
            let lastValid = blockCount > 0 ? planes.validMask(ofBlock: blockCount - 1) : Lanes(repeating: 0)
            // One collector per query slot of a batch, reset between batches rather than remade.
            var collectors: [Collector] = []
            planes.planes.withUnsafeBufferPointer { planePointer in
                codes.words.withUnsafeBufferPointer { codeWords in
                    queries.words.withUnsafeBufferPointer { queryWords in
                        for batch in items {
                            let first = batch * batchSize, end = min(first + batchSize, queries.count)
                            for slot in 0..<(end - first) {
                                if slot < collectors.count { collectors[slot].reset() } else { collectors.append(makeCollector()) }
                            }
                            for q in first..<end {
                                BitSlicedKernel.queryMasks(queryWords.baseAddress! + q * perCode, bits: bits,
                                                           into: masks + (q - first) * bits)
                            }
                            for chunk in stride(from: 0, to: blockCount, by: chunkBlocks) {
                                let chunkEnd = min(chunk + chunkBlocks, blockCount)
                                for q in first..<end {
                                    // Constant lengths (a type per length) let the kernel keep its
                                    // counters in registers; other lengths take the general path.
                                    func run<Length: CodeLength>(_: Length.Type) {
                                        Self.scanQuery(Scanner.self, Length.self, bits: bits, planes: planePointer.baseAddress!,
                                                       blocks: chunk..<chunkEnd, lastBlock: blockCount - 1, lastValid: lastValid,
                                                       queryMasks: masks + (q - first) * bits,
                                                       query: queryWords.baseAddress! + q * perCode,
                                                       codeWords: codeWords.baseAddress!, perCode: perCode, counts: counts,
                                                       collector: &collectors[q - first])
                                    }
                                    switch bits {
                                    case 16: run(Bits16.self)
                                    case 32: run(Bits32.self)
                                    case 64: run(Bits64.self)
                                    default: run(AnyBits.self)
                                    }
                                }
                            }
                            slots.store(collectors[0..<(end - first)].map { $0.finish() }, at: batch)
                        }
                    }
                }
            }
        }
        return perBatch.flatMap { $0 }
    }
}

/// What the flat scan feeds, per query: every code with distance < `limit`, in index order.
protocol ScanCollector {
    var limit: Int { get }
    mutating func offer(distance: Int, index: Int)
    /// Empties the collector for the next query.
    mutating func reset()
    func finish() -> [Neighbor]
}

extension CountingSelection: ScanCollector {}
