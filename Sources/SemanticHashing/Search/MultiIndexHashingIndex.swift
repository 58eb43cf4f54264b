import Foundation

/// Exact k-nearest-neighbour search with multi-index hashing (Norouzi, Punjani, Fleet,
/// "Fast exact search in Hamming space with multi-index hashing", CVPR 2012 / TPAMI 2014).
///
/// Codes are cut into m disjoint substrings; table s maps each substring value to the codes
/// holding it. By pigeonhole, a code within distance d of the query has some substring within
/// ⌊d / m⌋ of the query's. Search probes radius r = 0, 1, 2, … substring by substring; after
/// radius r of substrings 1…a (and r − 1 of the rest), every code not yet seen has
///
/// ```
/// d_H(q, x) ≥ a·(r + 1) + (m − a)·r = m·r + a
/// ```
/// so the search stops as soon as the k-th best distance found (ties by index) is < m·r + a.
/// A code is taken at the first (r, s) it turns up: where d_s = r, d_j > r for j < s and
/// d_j ≥ r for j > s (d_j = distance of substring j), so no visited set is needed. Buckets
/// are stored CSR-style (offsets, then ids and a copy of the codes in bucket order), so a
/// probe reads one contiguous run. m defaults to substrings of about log2 N − 8 bits (see
/// `defaultSubstringCount`), at least ⌈B / 24⌉ so a table has at most 2²⁴ buckets.
///
/// ```swift
/// let mih = MultiIndexHashingIndex(codes: database)          // m from B and N
/// let hits = mih.search(queries, k: 100)                     // same as LinearScanIndex
/// ```
public struct MultiIndexHashingIndex: HammingIndex {
    public let bits: Int
    public private(set) var codes: BinaryCodes
    public var threads: Int
    /// Substring count requested at init (nil = `defaultSubstringCount` at each `add`).
    public let requestedSubstrings: Int?
    /// The substrings in use: (first bit, length).
    public private(set) var substrings: [(start: Int, length: Int)] = []
    private var tables: [SubstringTable] = []

    /// One hash table: bucket v holds ids[offsets[v] ..< offsets[v + 1]] (ascending), and
    /// bucketCodes holds their codes in the same order.
    private struct SubstringTable: Sendable {
        var offsets: [UInt32]
        var ids: [UInt32]
        var bucketCodes: [UInt64]
    }

    public init(bits: Int, substrings: Int? = nil, threads: Int? = nil) {
        precondition(substrings.map { $0 >= 1 && $0 <= bits } ?? true, "MultiIndexHashingIndex: substrings must be in 1...\(bits)")
        self.bits = bits
        self.codes = BinaryCodes(bits: bits)
        self.requestedSubstrings = substrings
        self.threads = threads ?? ParallelWork.defaultThreads
    }

    public init(codes: BinaryCodes, substrings: Int? = nil, threads: Int? = nil) {
        self.init(bits: codes.bits, substrings: substrings, threads: threads)
        add(codes)
    }

    public var count: Int { codes.count }
    public var substringCount: Int { substrings.count }

    /// Substrings of about log2 N − 8 bits (≈ 256 codes per bucket), at most 24 bits each. The
    /// paper's m = B / log2 N (≈ one code per bucket) probes far more buckets, and each probe
    /// of a table with millions of buckets misses the cache: measured on 64-bit random codes,
    /// m = 3 gave 57 queries/s at 10⁷ codes and 116 at 10⁶, m = 4 gave 186 and m = 5 436.
    public static func defaultSubstringCount(bits: Int, count: Int) -> Int {
        let log2N = log2(Double(Swift.max(count, 2)))
        let length = Swift.max(8.0, log2N - 8)
        let m = Int((Double(bits) / length).rounded())
        return Swift.min(bits, Swift.max(1, m, (bits + 23) / 24))
    }

    /// Appends codes and rebuilds every table (O(N·m)): add in large batches.
    public mutating func add(_ newCodes: BinaryCodes) {
        precondition(newCodes.bits == bits, "MultiIndexHashingIndex: adding \(newCodes.bits)-bit codes to a \(bits)-bit index")
        precondition(codes.count + newCodes.count <= Int(UInt32.max), "MultiIndexHashingIndex: more than 2³² codes")
        codes.append(contentsOf: newCodes)
        rebuild()
    }

    private mutating func rebuild() {
        let m = requestedSubstrings ?? Self.defaultSubstringCount(bits: bits, count: count)
        substrings = (0..<m).map { s in
            // The first bits mod m substrings get one extra bit.
            let base = bits / m, extra = bits % m
            return (start: s * base + Swift.min(s, extra), length: base + (s < extra ? 1 : 0))
        }
        precondition(substrings.allSatisfy { $0.length <= 28 },
                     "MultiIndexHashingIndex: \(m) substrings of \(bits) bits give tables over 2²⁸ buckets; use more substrings")
        let perCode = codes.wordsPerCode
        tables = substrings.map { sub in
            var offsets = [UInt32](repeating: 0, count: (1 << sub.length) + 1)
            var ids = [UInt32](repeating: 0, count: count)
            var bucketCodes = [UInt64](repeating: 0, count: count * perCode)
            codes.words.withUnsafeBufferPointer { w in
                let values = (0..<count).map { Self.substring(w.baseAddress! + $0 * perCode, start: sub.start, length: sub.length) }
                for v in values { offsets[v + 1] += 1 }
                for v in 0..<(1 << sub.length) { offsets[v + 1] += offsets[v] }
                var next = offsets
                for (i, v) in values.enumerated() {
                    let slot = Int(next[v])
                    next[v] += 1
                    ids[slot] = UInt32(i)
                    for word in 0..<perCode { bucketCodes[slot * perCode + word] = w[i * perCode + word] }
                }
            }
            return SubstringTable(offsets: offsets, ids: ids, bucketCodes: bucketCodes)
        }
    }

    /// Bits start ..< start + length of a packed code, as an integer (first bit most significant).
    @inline(__always)
    static func substring(_ code: UnsafePointer<UInt64>, start: Int, length: Int) -> Int {
        let w = start >> 6, offset = start & 63
        var high = code[w] << UInt64(offset)
        if offset + length > 64 { high |= code[w + 1] >> UInt64(64 - offset) }
        return Int(high >> UInt64(64 - length))
    }

    public func search(_ queries: BinaryCodes, k: Int) -> SearchResults {
        precondition(queries.bits == bits, "MultiIndexHashingIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        precondition(k >= 0, "MultiIndexHashingIndex: negative k")
        let kk = Swift.min(k, count)
        let m = substrings.count
        let lists = perQuery(queries) { searcher, q in
            var selection = CountingSelection(k: kk, bits: searcher.bits, candidatesInIndexOrder: false)
            guard kk > 0 else { return [] }
            searcher.probe(query: q, maxRadius: searcher.maxLength, limit: { selection.limit }) { d, i in
                selection.offer(distance: d, index: i)
            } stop: { r, s in
                // Unseen codes are at distance ≥ m·r + s + 1 (s counted from 0).
                selection.cutoff <= searcher.bits && selection.cutoff < m * r + s + 1
            }
            return selection.finish()
        }
        return SearchResults(queryCount: queries.count, neighborsPerQuery: kk, neighbors: lists.flatMap { $0 })
    }

    public func rangeSearch(_ queries: BinaryCodes, radius: Int) -> RangeSearchResults {
        precondition(queries.bits == bits, "MultiIndexHashingIndex: \(queries.bits)-bit queries for a \(bits)-bit index")
        let m = substrings.count
        let lists = perQuery(queries) { searcher, q in
            guard radius >= 0, searcher.count > 0 else { return [] }
            let r = Swift.min(radius, searcher.bits)
            var hits: [Neighbor] = []
            // Pigeonhole: d ≤ r needs some substring within ⌊r / m⌋.
            searcher.probe(query: q, maxRadius: r / m, limit: { r + 1 }) { d, i in
                hits.append(Neighbor(index: i, distance: d))
            } stop: { _, _ in false }
            return hits.sorted(by: Neighbor.precedes)
        }
        return RangeSearchResults(perQuery: lists)
    }

    private var maxLength: Int { substrings.map(\.length).max() ?? 0 }

    /// Runs `body` for every query on the worker threads, 8 queries per work item.
    private func perQuery(_ queries: BinaryCodes, _ body: @escaping @Sendable (Searcher, UnsafePointer<UInt64>) -> [Neighbor]) -> [[Neighbor]] {
        let group = 8
        let items = (queries.count + group - 1) / group
        let searcher = Searcher(index: self)
        let perItem: [[[Neighbor]]] = ParallelWork.map(count: items, threads: threads) { _, mine, slots in
            queries.words.withUnsafeBufferPointer { qw in
                for item in mine {
                    let range = item * group ..< Swift.min((item + 1) * group, queries.count)
                    slots.store(range.map { body(searcher, qw.baseAddress! + $0 * queries.wordsPerCode) }, at: item)
                }
            }
        }
        return perItem.flatMap { $0 }
    }

    /// The probing loop, shared by k-NN and range search.
    private struct Searcher: Sendable {
        let bits: Int
        let count: Int
        let perCode: Int
        let substrings: [(start: Int, length: Int)]
        let tables: [SubstringTable]
        /// Per substring, the mask of its bits in each code word.
        let masks: [[UInt64]]
        var maxLength: Int { substrings.map(\.length).max() ?? 0 }

        init(index: MultiIndexHashingIndex) {
            bits = index.bits
            count = index.count
            perCode = index.codes.wordsPerCode
            substrings = index.substrings
            tables = index.tables
            masks = index.substrings.map { sub in
                var m = [UInt64](repeating: 0, count: index.codes.wordsPerCode)
                for j in sub.start ..< sub.start + sub.length { m[j >> 6] |= 1 << UInt64(63 - j & 63) }
                return m
            }
        }

        /// Visits, radius by radius and substring by substring, every code at substring
        /// distance exactly r; calls `accept` once per code whose full distance is < limit().
        /// Stops when `stop(r, s)` holds after substring s of radius r.
        func probe(query: UnsafePointer<UInt64>, maxRadius: Int, limit: () -> Int,
                   accept: (Int, Int) -> Void, stop: (Int, Int) -> Bool) {
            let m = substrings.count
            let keys = substrings.map { MultiIndexHashingIndex.substring(query, start: $0.start, length: $0.length) }
            for r in 0...Swift.max(0, maxRadius) {
                for s in 0..<m {
                    let length = substrings[s].length
                    if r <= length {
                        let table = tables[s]
                        table.offsets.withUnsafeBufferPointer { offsets in
                            table.ids.withUnsafeBufferPointer { ids in
                                table.bucketCodes.withUnsafeBufferPointer { bucketCodes in
                                    // Every `length`-bit pattern with r ones (Gosper's hack).
                                    var flip = r == 0 ? 0 : (1 << r) - 1
                                    while flip < (1 << length) {
                                        let bucket = keys[s] ^ flip
                                        var currentLimit = limit()
                                        for slot in Int(offsets[bucket]) ..< Int(offsets[bucket + 1]) {
                                            let code = bucketCodes.baseAddress! + slot * perCode
                                            let d = HammingKernels.distance(code, query, words: perCode)
                                            guard d < currentLimit else { continue }
                                            if firstSeenHere(code: code, query: query, radius: r, substring: s) {
                                                accept(d, Int(ids[slot]))
                                                currentLimit = limit()
                                            }
                                        }
                                        if r == 0 { break }
                                        let lowest = flip & -flip
                                        let ripple = flip + lowest
                                        flip = (((ripple ^ flip) >> 2) / lowest) | ripple
                                    }
                                }
                            }
                        }
                    }
                    if stop(r, s) { return }
                }
            }
        }

        /// Whether (r, s) is the first probe that reaches this code: d_j > r for j < s and
        /// d_j ≥ r for j > s (d_s = r by construction).
        @inline(__always)
        private func firstSeenHere(code: UnsafePointer<UInt64>, query: UnsafePointer<UInt64>, radius r: Int, substring s: Int) -> Bool {
            for j in 0..<substrings.count where j != s {
                var dj = 0
                for w in 0..<perCode { dj += ((code[w] ^ query[w]) & masks[j][w]).nonzeroBitCount }
                if j < s ? dj <= r : dj < r { return false }
            }
            return true
        }
    }
}
