/// The Hamming distance kernels: plain popcount for single pairs, and a bit-sliced
/// ("vertical") popcount that decides `distance < T` for 128 database codes at once.
///
/// ```
/// d(a, b) = Σ_w popcount(a_w ⊕ b_w)
/// bit-sliced: for each bit plane j, x_j = plane_j ⊕ (q_j ? 1…1 : 0…0);
///             count = (2^L − T) + Σ_j x_j with carry-save adders, per lane (2^L ≥ bits);
///             mask = [count < T] = NOT bit L of count
/// ```
///
/// Why bit-sliced: the toolchain targets baseline x86-64 (no `popcnt` instruction), so a
/// horizontal popcount costs ~7 vector instructions per code; the carry-save adder tree costs
/// ~1.5 per code (32 bits), 128 codes per SSE register, and the comparison with the query's
/// current cut-off T is free of stores and branches. Exact distances are computed only for
/// the few codes that pass.
///
/// ```swift
/// let d = HammingKernels.distance(a, b, words: 1)
/// let m = HammingKernels.lessThanMask(planes: p, queryMasks: q, bits: 32, threshold: 7,
///                                      levels: HammingKernels.highLevels(bits: 32), scratch: s)
/// ```
enum HammingKernels {
    /// Two 64-bit lanes, one SSE register: measured faster than four or eight lanes at 32 bits
    /// (fewer spills with 16 registers) and equal at 64.
    typealias Lanes = SIMD2<UInt64>
    /// Codes per bit-plane block (one bit per code in a `Lanes` value).
    static let blockSize = 64 * Lanes.scalarCount

    /// Hamming distance of two packed codes of `words` words.
    @inline(__always)
    static func distance(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, words: Int) -> Int {
        if words == 1 { return (a[0] ^ b[0]).nonzeroBitCount }
        var d = 0
        for w in 0..<words { d += (a[w] ^ b[w]).nonzeroBitCount }
        return d
    }

    /// L = ⌈log₂ bits⌉: the counter level whose bit decides `distance < T` (see `startingCounts`).
    @inline(__always)
    static func decidingLevel(bits: Int) -> Int {
        bits <= 1 ? 0 : Int.bitWidth - (bits - 1).leadingZeroBitCount
    }

    /// Counter levels above the 1s, 2s and 4s counters: up to and including the deciding level.
    static func highLevels(bits: Int) -> Int {
        max(0, decidingLevel(bits: bits) - 2)
    }

    /// Bit `level` of the counters' starting value c = 2^L − T, as a lane of all ones or zeros.
    /// Starting the count at c instead of 0 turns the comparison into one bit: the distance d
    /// satisfies d ≥ T exactly when d + c ≥ 2^L, and d + c ≤ bits + 2^L − 1 < 2^(L+1), so that is
    /// bit L of the final count. No per-level compare is needed after the adder tree.
    @inline(__always)
    private static func startingCounts(_ level: Int, bits: Int, threshold: Int) -> Lanes {
        let offset = (1 << decidingLevel(bits: bits)) - threshold
        return Lanes(repeating: 0 &- UInt64(truncatingIfNeeded: (offset >> level) & 1))
    }

    /// Full adder on bit vectors: (high, low) ← a + b + low.
    @inline(__always)
    private static func carrySave(_ high: inout Lanes, _ low: inout Lanes, _ a: Lanes, _ b: Lanes) {
        let u = low ^ a
        high = (low & a) | (u & b)
        low = u ^ b
    }

    /// Lanes whose code is at distance < `threshold` (1 ≤ threshold ≤ bits) from the query.
    /// `planes` holds `bits` planes of one block, `queryMasks` the query's bits as all-0/all-1
    /// lanes, `scratch` at least `highLevels(bits)` lanes of working space.
    @inline(__always)
    static func lessThanMask(planes p: UnsafePointer<Lanes>, queryMasks q: UnsafePointer<Lanes>, bits: Int,
                             threshold: Int, levels: Int, scratch high: UnsafeMutablePointer<Lanes>) -> Lanes {
        let zero = Lanes(repeating: 0)
        var ones = startingCounts(0, bits: bits, threshold: threshold)
        var twos = startingCounts(1, bits: bits, threshold: threshold)
        var fours = startingCounts(2, bits: bits, threshold: threshold)
        for l in 0..<levels { high[l] = startingCounts(l + 3, bits: bits, threshold: threshold) }
        var j = 0
        // Harley–Seal: 8 inputs → one "eights" vector with 7 carry-save adders.
        while j + 8 <= bits {
            var twosA = zero, twosB = zero, foursA = zero, foursB = zero, eights = zero
            carrySave(&twosA, &ones, p[j] ^ q[j], p[j + 1] ^ q[j + 1])
            carrySave(&twosB, &ones, p[j + 2] ^ q[j + 2], p[j + 3] ^ q[j + 3])
            carrySave(&foursA, &twos, twosA, twosB)
            carrySave(&twosA, &ones, p[j + 4] ^ q[j + 4], p[j + 5] ^ q[j + 5])
            carrySave(&twosB, &ones, p[j + 6] ^ q[j + 6], p[j + 7] ^ q[j + 7])
            carrySave(&foursB, &twos, twosA, twosB)
            carrySave(&eights, &fours, foursA, foursB)
            var carry = eights
            for l in 0..<levels {
                let h = high[l]
                high[l] = h ^ carry
                carry = h & carry
            }
            j += 8
        }
        // Remaining inputs (bits not a multiple of 8): ripple-carry, one at a time.
        while j < bits {
            var carry = p[j] ^ q[j]
            var c = ones & carry; ones ^= carry; carry = c
            c = twos & carry; twos ^= carry; carry = c
            c = fours & carry; fours ^= carry; carry = c
            for l in 0..<levels {
                let h = high[l]
                high[l] = h ^ carry
                carry = h & carry
            }
            j += 1
        }
        let deciding = decidingLevel(bits: bits)
        let reached = deciding >= 3 ? high[deciding - 3] : (deciding == 2 ? fours : (deciding == 1 ? twos : ones))
        // `^ all ones`, not `~`: the prefix operator is lowered lane by lane through scalar registers.
        return reached ^ Lanes(repeating: ~0)
    }

    /// `lessThanMask` for codes shorter than 128 bits: the counters live in locals, so when the
    /// caller passes a constant `bits` (16, 32, 64) the adder tree unrolls into registers.
    @inline(__always)
    static func lessThanMaskShort(planes p: UnsafePointer<Lanes>, queryMasks q: UnsafePointer<Lanes>, bits: Int,
                                  threshold: Int) -> Lanes {
        let zero = Lanes(repeating: 0)
        @inline(__always) func start(_ level: Int) -> Lanes { startingCounts(level, bits: bits, threshold: threshold) }
        var ones = start(0), twos = start(1), fours = start(2)
        var counts = HighCounters(eights: start(3), sixteens: start(4), thirtyTwos: start(5), sixtyFours: start(6),
                                  oneTwentyEights: start(7))
        let deciding = decidingLevel(bits: bits)
        var j = 0
        while j + 8 <= bits {
            var twosA = zero, twosB = zero, foursA = zero, foursB = zero, eights = zero
            carrySave(&twosA, &ones, p[j] ^ q[j], p[j + 1] ^ q[j + 1])
            carrySave(&twosB, &ones, p[j + 2] ^ q[j + 2], p[j + 3] ^ q[j + 3])
            carrySave(&foursA, &twos, twosA, twosB)
            carrySave(&twosA, &ones, p[j + 4] ^ q[j + 4], p[j + 5] ^ q[j + 5])
            carrySave(&twosB, &ones, p[j + 6] ^ q[j + 6], p[j + 7] ^ q[j + 7])
            carrySave(&foursB, &twos, twosA, twosB)
            carrySave(&eights, &fours, foursA, foursB)
            counts.add(eights, upTo: deciding)
            j += 8
        }
        while j < bits {
            var carry = p[j] ^ q[j]
            var c = ones & carry; ones ^= carry; carry = c
            c = twos & carry; twos ^= carry; carry = c
            c = fours & carry; fours ^= carry; carry = c
            counts.add(carry, upTo: deciding)
            j += 1
        }
        let reached: Lanes
        switch deciding {
        case 0: reached = ones
        case 1: reached = twos
        case 2: reached = fours
        case 3: reached = counts.eights
        case 4: reached = counts.sixteens
        case 5: reached = counts.thirtyTwos
        case 6: reached = counts.sixtyFours
        default: reached = counts.oneTwentyEights
        }
        return reached ^ Lanes(repeating: ~0)
    }

    /// The 8s…128s counters of `lessThanMaskShort`; only levels up to the deciding one are kept
    /// (the count never carries past it), so a constant code length drops the rest at compile time.
    private struct HighCounters {
        var eights, sixteens, thirtyTwos, sixtyFours, oneTwentyEights: Lanes

        /// Adds a bit vector of weight 8.
        @inline(__always)
        mutating func add(_ carry: Lanes, upTo deciding: Int) {
            guard deciding >= 3 else { return }
            var c = eights & carry; eights ^= carry
            guard deciding >= 4 else { return }
            var d = sixteens & c; sixteens ^= c; c = d
            guard deciding >= 5 else { return }
            d = thirtyTwos & c; thirtyTwos ^= c; c = d
            guard deciding >= 6 else { return }
            d = sixtyFours & c; sixtyFours ^= c; c = d
            guard deciding >= 7 else { return }
            oneTwentyEights ^= c
        }
    }

    /// The query's bits as lanes of all ones (bit set) or all zeros, `bits` lanes.
    static func queryMasks(_ code: UnsafePointer<UInt64>, bits: Int, into out: UnsafeMutablePointer<Lanes>) {
        for j in 0..<bits {
            let set = (code[j >> 6] >> UInt64(63 - j & 63)) & 1 == 1
            out[j] = Lanes(repeating: set ? ~0 : 0)
        }
    }
}

/// Database codes transposed into bit planes, blocks of S = 64 · lanes codes (128): plane j of
/// block b holds bit j of codes S·b …< S·(b+1), code r of the block in bit r mod 64 of lane r / 64.
///
/// ```
/// planes[b · bits + j][r / 64] bit (r mod 64) = bit(S·b + r, j)
/// ```
///
/// ```swift
/// var planes = BitPlanes(bits: 32); planes.append(codes)
/// let valid = planes.validMask(ofBlock: planes.blockCount - 1)
/// ```
struct BitPlanes: Sendable {
    let bits: Int
    private(set) var count = 0
    private(set) var planes: [HammingKernels.Lanes] = []

    init(bits: Int) { self.bits = bits }

    var blockCount: Int { (count + HammingKernels.blockSize - 1) / HammingKernels.blockSize }

    mutating func append(_ codes: BinaryCodes) {
        precondition(codes.bits == bits, "BitPlanes: \(codes.bits)-bit codes added to \(bits)-bit planes")
        let newCount = count + codes.count
        let blocks = (newCount + HammingKernels.blockSize - 1) / HammingKernels.blockSize
        planes.append(contentsOf: repeatElement(HammingKernels.Lanes(repeating: 0), count: blocks * bits - planes.count))
        let perCode = codes.wordsPerCode
        let bits = bits
        let start = count
        codes.words.withUnsafeBufferPointer { w in
            planes.withUnsafeMutableBufferPointer { p in
                for i in 0..<codes.count {
                    let position = start + i
                    let block = position / HammingKernels.blockSize, r = position % HammingKernels.blockSize
                    let lane = r >> 6, bit = UInt64(r & 63)
                    for word in 0..<perCode {
                        var x = w[i * perCode + word]
                        while x != 0 {
                            let local = x.leadingZeroBitCount   // bit `local` of this word is set
                            x &= ~(1 << UInt64(63 - local))
                            let j = word * 64 + local
                            p[block * bits + j][lane] |= 1 << bit
                        }
                    }
                }
            }
        }
        count = newCount
    }

    /// Lanes of block b that hold real codes (the last block may be partly empty).
    func validMask(ofBlock b: Int) -> HammingKernels.Lanes {
        let filled = min(HammingKernels.blockSize, count - b * HammingKernels.blockSize)
        var m = HammingKernels.Lanes(repeating: 0)
        for lane in 0..<HammingKernels.Lanes.scalarCount {
            let n = filled - lane * 64
            m[lane] = n >= 64 ? ~0 : (n <= 0 ? 0 : (1 << UInt64(n)) - 1)
        }
        return m
    }
}
