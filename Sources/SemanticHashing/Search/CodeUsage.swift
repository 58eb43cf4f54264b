import Foundation

/// How well a collection uses its code space, so that degenerate codes are visible before anyone
/// searches them. For N codes of B bits:
///
/// ```
/// distinct        = |{ x_i }|                          (number of non-empty buckets)
/// largestBucket   = max_c |{ i : x_i = c }|,  largestShare = largestBucket / N
/// onesShare[j]    = |{ i : bit j of x_i = 1 }| / N     (0.5 = balanced; 0 or 1 = a wasted bit)
/// bucketEntropy   = −Σ_c p_c log₂ p_c,  p_c = |bucket c| / N   (≤ min(B, log₂ N) bits)
/// ```
/// A search ranks the items of one bucket by position only, so a bucket holding a large share of
/// the collection makes every query that lands in it return an arbitrary slice of it.
///
/// ```swift
/// let usage = CodeUsage(codes)
/// for warning in usage.warnings() { print("warning:", warning) }
/// ```
public struct CodeUsage: Sendable, Equatable {
    public let count: Int
    public let bits: Int
    public let distinctCodes: Int
    public let largestBucket: Int
    /// Position of the first item with the most common code.
    public let largestBucketExample: Int
    /// Per bit, the share of codes with that bit set.
    public let onesShare: [Double]
    public let bucketEntropy: Double
    /// The buckets holding more than `largestShareWarning` of a collection of 20 or more items:
    /// (first item, size), largest first.
    public let crowdedBuckets: [Bucket]

    public struct Bucket: Sendable, Equatable {
        /// Position of the first item with this code.
        public var first: Int
        public var count: Int
    }

    /// Largest-bucket share above which `warnings()` speaks up (a few percent of the collection).
    public static let largestShareWarning = 0.05
    /// Fewer items than this always crowd some code (one item is more than 5 % of 19), so no
    /// warning is given for them.
    public static let warningMinimumCount = 20

    public init(_ codes: BinaryCodes) {
        count = codes.count
        bits = codes.bits
        var ones = [Int](repeating: 0, count: codes.bits)
        let perCode = codes.wordsPerCode
        codes.words.withUnsafeBufferPointer { w in
            for i in 0..<codes.count {
                for j in 0..<codes.bits where (w[i * perCode + j >> 6] >> UInt64(63 - j & 63)) & 1 == 1 { ones[j] += 1 }
            }
        }
        // Buckets: (size, first item) per distinct code; one-word codes key by the word itself.
        var buckets: [(count: Int, first: Int)] = []
        if perCode == 1 {
            var slot: [UInt64: Int] = [:]
            for (i, word) in codes.words.enumerated() {
                if let s = slot[word] { buckets[s].count += 1 } else { slot[word] = buckets.count; buckets.append((1, i)) }
            }
        } else {
            var slot: [ArraySlice<UInt64>: Int] = [:]
            for i in 0..<codes.count {
                let code = codes.code(at: i)
                if let s = slot[code] { buckets[s].count += 1 } else { slot[code] = buckets.count; buckets.append((1, i)) }
            }
        }
        distinctCodes = buckets.count
        let largest = buckets.max { a, b in a.count != b.count ? a.count < b.count : a.first > b.first }
        largestBucket = largest?.count ?? 0
        largestBucketExample = largest?.first ?? 0
        let n = Double(max(codes.count, 1))
        onesShare = ones.map { Double($0) / n }
        var h = 0.0
        for b in buckets {
            let p = Double(b.count) / n
            h -= p * log2(p)
        }
        bucketEntropy = h == 0 ? 0 : h   // no −0
        let crowdedSize = Self.largestShareWarning * Double(codes.count)
        crowdedBuckets = codes.count < Self.warningMinimumCount ? [] : buckets.filter { $0.count > 1 && Double($0.count) > crowdedSize }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.first < $1.first }
            .map { Bucket(first: $0.first, count: $0.count) }
    }

    /// The buckets holding more than `share` of the codes (at least 20 codes, buckets of 2 or
    /// more), as `crowdedBuckets`, without counting every bucket: one Misra–Gries pass with
    /// ⌈1/share⌉ counters keeps every code more frequent than N·share among its candidates, a
    /// second pass counts the candidates exactly. O(N/share) time, O(1/share) memory.
    public static func crowdedBuckets(_ codes: BinaryCodes, share: Double = largestShareWarning) -> [Bucket] {
        let n = codes.count
        guard n >= Self.warningMinimumCount, share > 0 else { return [] }
        let slots = Int((1 / share).rounded(.up))
        let perCode = codes.wordsPerCode
        var candidates: [Int] = []      // first positions of candidate codes
        var counters: [Int] = []
        let words = codes.words
        @inline(__always) func same(_ i: Int, _ j: Int) -> Bool {
            if perCode == 1 { return words[i] == words[j] }
            for w in 0..<perCode where words[i * perCode + w] != words[j * perCode + w] { return false }
            return true
        }
        for i in 0..<n {
            var found: Int?
            for c in candidates.indices where same(candidates[c], i) { found = c; break }
            if let c = found {
                counters[c] += 1
            } else if candidates.count < slots {
                candidates.append(i)
                counters.append(1)
            } else {
                for c in counters.indices { counters[c] -= 1 }
                let keep = counters.indices.filter { counters[$0] > 0 }
                candidates = keep.map { candidates[$0] }
                counters = keep.map { counters[$0] }
            }
        }
        let threshold = share * Double(n)
        return candidates.compactMap { first -> Bucket? in
            var count = 0, earliest = n
            for i in 0..<n where same(first, i) {
                count += 1
                earliest = min(earliest, i)
            }
            return count > 1 && Double(count) > threshold ? Bucket(first: earliest, count: count) : nil
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.first < $1.first }
    }

    public var largestShare: Double { count == 0 ? 0 : Double(largestBucket) / Double(count) }

    /// Bits set in every code, or in none: they carry no information.
    public var constantBits: [Int] {
        onesShare.indices.filter { onesShare[$0] == 0 || onesShare[$0] == 1 }
    }

    /// The mean of |onesShare − 0.5|: 0 for perfectly balanced bits, 0.5 when every bit is constant.
    public var meanImbalance: Double {
        onesShare.isEmpty ? 0 : onesShare.map { abs($0 - 0.5) }.reduce(0, +) / Double(onesShare.count)
    }

    /// One-line summary, e.g. "600 codes, 412 distinct; largest bucket 9 (1.5 %); 0 of 32 bits constant; …".
    public var summary: String {
        func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }
        return "\(count) codes, \(distinctCodes) distinct; largest bucket \(largestBucket) (\(percent(largestShare))); "
            + "\(constantBits.count) of \(bits) bits constant; mean bit imbalance \(String(format: "%.2f", meanImbalance)); "
            + "bucket entropy \(String(format: "%.1f", bucketEntropy)) bits"
    }

    /// What a user should know before searching these codes (empty when nothing is off).
    /// `code(i)` names the code of item i in messages.
    public func warnings(code: (Int) -> String = { "#\($0)" }) -> [String] {
        var out: [String] = []
        // Tiny collections have big shares by construction; 20 items of one code is still a signal.
        if count >= Self.warningMinimumCount && largestShare > Self.largestShareWarning && largestBucket > 1 {
            out.append("\(largestBucket) of \(count) items (\(String(format: "%.1f", 100 * largestShare)) %) share one code (\(code(largestBucketExample))); "
                       + "a query that lands there gets an arbitrary slice of them, ties broken by position")
        }
        let constant = constantBits
        if count >= 2 && !constant.isEmpty {
            out.append("\(constant.count) of \(bits) bits are the same for every item (bit\(constant.count == 1 ? "" : "s") \(constant.prefix(12).map(String.init).joined(separator: ", "))\(constant.count > 12 ? ", …" : "")); they carry nothing")
        }
        return out
    }
}
