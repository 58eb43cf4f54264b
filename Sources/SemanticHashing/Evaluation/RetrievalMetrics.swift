/// Retrieval quality of binary codes (design.md, Evaluation): rank the database by Hamming distance to each
/// query, ties by database index, and score the top K. Item x is relevant to query q when they
/// share at least one class; unlabelled items are never relevant.
///
/// ```
/// P@K  = rel(top K) / K                      R@K = rel(top K) / rel(database)   (0 if none)
/// AP@K = (1 / rel(top K)) · Σ_{i ≤ K, item i relevant} P@i                     (0 if none)
/// E[P@K] = (rel(d < d_K) + (K − n(d < d_K)) · rel(d = d_K) / n(d = d_K)) / K
/// ```
/// each averaged over queries (MAP@K for AP@K). d_K is the K-th smallest distance, so E[P@K] is
/// the precision averaged over every ordering of the block tied at the cut-off. When the
/// database has fewer than K items all of them are taken and the divisor stays K.
///
/// ```swift
/// let m = RetrievalMetrics.evaluate(queryCodes: q, queryLabels: ql, databaseCodes: db, databaseLabels: dl)
/// print(m.at(100)!.precision, m.at(100)!.meanAveragePrecision)
/// ```
public struct RetrievalMetrics: Sendable, Equatable {
    /// The scores at one cut-off K.
    public struct Cutoff: Sendable, Equatable {
        public var k: Int
        /// P@K, ties broken by database index.
        public var precision: Double
        /// R@K; a query with no relevant item in the database counts as 0.
        public var recall: Double
        /// MAP@K.
        public var meanAveragePrecision: Double
        /// Tie-aware expected P@K.
        public var expectedPrecision: Double
    }

    public var cutoffs: [Cutoff]
    public var queryCount: Int
    /// Queries with no relevant item in the database (recall 0 by definition).
    public var queriesWithoutRelevantItems: Int
    /// Each query's tie-aware P@K at the first cut-off, in query order, when asked for
    /// (`perQuery: true`); for paired comparisons of two sets of codes on the same queries.
    public var perQueryExpectedPrecision: [Double]?

    public func at(_ k: Int) -> Cutoff? { cutoffs.first { $0.k == k } }

    public static func evaluate(queryCodes: BinaryCodes, queryLabels: Labels,
                                databaseCodes: BinaryCodes, databaseLabels: Labels,
                                cutoffs: [Int] = [100, 1000, 5000], threads: Int? = nil, perQuery: Bool = false) -> RetrievalMetrics {
        precondition(queryCodes.bits == databaseCodes.bits, "RetrievalMetrics: \(queryCodes.bits)- vs \(databaseCodes.bits)-bit codes")
        precondition(queryCodes.count == queryLabels.count && databaseCodes.count == databaseLabels.count,
                     "RetrievalMetrics: codes and labels differ in count")
        precondition(queryLabels.classCount == databaseLabels.classCount, "RetrievalMetrics: class counts differ")
        precondition(cutoffs.allSatisfy { $0 > 0 }, "RetrievalMetrics: cut-offs must be positive")
        let ks = Array(Set(cutoffs)).sorted()
        let classWords = max(1, (queryLabels.classCount + 63) / 64)
        let queryMasks = classMasks(queryLabels, words: classWords)
        let databaseMasks = classMasks(databaseLabels, words: classWords)
        let bits = queryCodes.bits, perCode = queryCodes.wordsPerCode
        let n = databaseCodes.count
        let group = 16
        let items = (queryCodes.count + group - 1) / group
        let scorer = QueryScorer(bits: bits, cutoffs: ks)
        // Per query: for each cut-off (precision, recall, AP, expected precision), plus a flag.
        let perItem: [[[Double]]] = ParallelWork.map(count: items, threads: threads ?? ParallelWork.defaultThreads) { _, mine, slots in
            var state = QueryScorer.Scratch(bits: bits, count: n, cutoff: ks.last ?? 0)
            databaseCodes.words.withUnsafeBufferPointer { dbWords in
                queryCodes.words.withUnsafeBufferPointer { qWords in
                    databaseMasks.withUnsafeBufferPointer { dbMasks in
                        for item in mine {
                            let range = item * group ..< min((item + 1) * group, queryCodes.count)
                            slots.store(range.map { q in
                                scorer.score(query: qWords.baseAddress! + q * perCode, perCode: perCode,
                                             queryClasses: Array(queryMasks[q * classWords ..< (q + 1) * classWords]),
                                             database: dbWords.baseAddress!, databaseClasses: dbMasks.baseAddress!,
                                             classWords: classWords, count: n, scratch: &state)
                            }, at: item)
                        }
                    }
                }
            }
        }
        let rows = perItem.flatMap { $0 }
        let queries = rows.count
        var result = ks.enumerated().map { (c, k) -> Cutoff in
            var sums = [0.0, 0.0, 0.0, 0.0]
            for row in rows { for m in 0..<4 { sums[m] += row[4 * c + m] } }
            let mean = sums.map { queries == 0 ? 0 : $0 / Double(queries) }
            return Cutoff(k: k, precision: mean[0], recall: mean[1], meanAveragePrecision: mean[2], expectedPrecision: mean[3])
        }
        result = cutoffs.map { k in result.first { $0.k == k }! }
        let first = ks.firstIndex(of: cutoffs.first ?? 0) ?? 0
        return RetrievalMetrics(cutoffs: result, queryCount: queries,
                                queriesWithoutRelevantItems: rows.filter { $0.last! == 1 }.count,
                                perQueryExpectedPrecision: perQuery ? rows.map { $0[4 * first + 3] } : nil)
    }

    /// The classes of each item as a bit set of `words` words (empty for unlabelled items).
    static func classMasks(_ labels: Labels, words: Int) -> [UInt64] {
        var masks = [UInt64](repeating: 0, count: labels.count * words)
        for i in 0..<labels.count {
            for c in labels.classesOf(i) { masks[i * words + Int(c) >> 6] |= 1 << UInt64(Int(c) & 63) }
        }
        return masks
    }

    /// Scores one query in two passes over the database: a histogram of (distance, relevant),
    /// then, with the rank at which each distance starts known, the relevance flags of the items
    /// that fall in the first K ranks, put in rank order. The second pass recomputes distances
    /// rather than storing them, so the scratch memory is O(K + bits), not O(database).
    private struct QueryScorer: Sendable {
        let bits: Int
        let cutoffs: [Int]

        struct Scratch {
            /// Histogram over keys distance · 2 + relevant: [2d] not relevant, [2d + 1] relevant.
            var histogram: [Int]
            /// Relevance of the items at ranks 0 ..< K (K = the largest cut-off, at most n).
            var rankedRelevance: [UInt8]
            init(bits: Int, count: Int, cutoff: Int) {
                histogram = [Int](repeating: 0, count: 2 * (bits + 1))
                rankedRelevance = [UInt8](repeating: 0, count: max(1, min(count, cutoff)))
            }
        }

        func score(query: UnsafePointer<UInt64>, perCode: Int, queryClasses: [UInt64],
                   database: UnsafePointer<UInt64>, databaseClasses: UnsafePointer<UInt64>, classWords: Int,
                   count n: Int, scratch: inout Scratch) -> [Double] {
            // key(i) = distance · 2 + relevant, by the one-word fast path when it applies.
            let singleWord = perCode == 1 && classWords == 1
            let q0 = query[0], qc0 = queryClasses[0]
            @inline(__always) func key(_ i: Int) -> Int {
                if singleWord {
                    return (database[i] ^ q0).nonzeroBitCount << 1 | ((databaseClasses[i] & qc0) != 0 ? 1 : 0)
                }
                let d = HammingKernels.distance(database + i * perCode, query, words: perCode)
                var shared: UInt64 = 0
                for w in 0..<classWords { shared |= databaseClasses[i * classWords + w] & queryClasses[w] }
                return d << 1 | (shared != 0 ? 1 : 0)
            }
            for t in 0..<scratch.histogram.count { scratch.histogram[t] = 0 }
            scratch.histogram.withUnsafeMutableBufferPointer { histogram in
                for i in 0..<n { histogram[key(i)] += 1 }
            }
            let histogram = scratch.histogram
            let totalRelevant = stride(from: 1, to: histogram.count, by: 2).reduce(0) { $0 + histogram[$1] }
            let maxK = min(cutoffs.last ?? 0, n)
            // Rank positions: items at distance d start after all items closer than d.
            var start = [Int](repeating: 0, count: bits + 2)
            for d in 0...bits { start[d + 1] = start[d] + histogram[2 * d] + histogram[2 * d + 1] }
            var lastNeeded = 0
            while lastNeeded < bits && start[lastNeeded + 1] < maxK { lastNeeded += 1 }
            var next = start
            scratch.rankedRelevance.withUnsafeMutableBufferPointer { ranked in
                var filled = 0
                for i in 0..<n {
                    if filled == maxK { break }
                    let k = key(i)
                    let d = k >> 1
                    if d > lastNeeded { continue }
                    let position = next[d]
                    next[d] = position + 1
                    if position < maxK {
                        ranked[position] = UInt8(k & 1)
                        filled += 1
                    }
                }
            }
            var out: [Double] = []
            out.reserveCapacity(4 * cutoffs.count + 1)
            var hits = 0, precisionSum = 0.0, rank = 0
            for k in cutoffs {
                while rank < min(k, n) {
                    if scratch.rankedRelevance[rank] == 1 {
                        hits += 1
                        precisionSum += Double(hits) / Double(rank + 1)
                    }
                    rank += 1
                }
                // Tie-aware: everything closer than d_K, plus a share of the block at d_K.
                var expected = Double(totalRelevant)
                if k < n {
                    var dK = 0
                    while start[dK + 1] < k { dK += 1 }
                    var closerRelevant = 0
                    for d in 0..<dK { closerRelevant += histogram[2 * d + 1] }
                    let block = start[dK + 1] - start[dK]
                    expected = Double(closerRelevant) + Double(k - start[dK]) * Double(histogram[2 * dK + 1]) / Double(block)
                }
                out += [Double(hits) / Double(k),
                        totalRelevant == 0 ? 0 : Double(hits) / Double(totalRelevant),
                        hits == 0 ? 0 : precisionSum / Double(hits),
                        expected / Double(k)]
            }
            out.append(totalRelevant == 0 ? 1 : 0)
            return out
        }
    }
}

extension RetrievalMetrics {
    /// The reference's seven numbers plus the tie-aware P@100, keyed as in its CSV:
    /// "p@100", "r@100", "p@1000", "p@5000", "map@100", "map@1000", "map@5000", "tie-aware p@100".
    public var report: [String: Double] {
        var out: [String: Double] = [:]
        for c in cutoffs {
            out["p@\(c.k)"] = c.precision
            out["map@\(c.k)"] = c.meanAveragePrecision
            if c.k == 100 {
                out["r@100"] = c.recall
                out["tie-aware p@100"] = c.expectedPrecision
            }
        }
        return out
    }
}
