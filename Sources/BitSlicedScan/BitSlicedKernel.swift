/// The bit-sliced ("vertical") Hamming kernel: decides `distance < T` for a whole block of
/// database codes at once, one bit per code in each lane of a SIMD vector of 64-bit words.
///
/// ```
/// block of S = 64 · W codes (W = Lanes.scalarCount), bits planes p_0 … p_{bits−1}
/// for each plane j: x_j = p_j ⊕ (q_j ? 1…1 : 0…0)
/// count = (2^L − T) + Σ_j x_j  with carry-save adders, per code
/// mask  = [count < 2^L] = [distance < T] = NOT bit L of count
/// L = max(3, ⌈log₂ T⌉) below 128 bits (bit L sticky: it only records that the count reached
///     2^L), L = ⌈log₂ bits⌉ from 128 bits on
/// ```
///
/// The code is generic over the lane vector so that one source serves three instruction sets:
/// the library inlines it with two lanes (SSE2 on baseline x86-64, NEON on arm64), the
/// `BitSlicedScanAVX2` module specialises it with four lanes in a module compiled for
/// x86-64-v3, and `BitSlicedScanAVX512` with eight for x86-64-v4 (where LLVM also fuses each
/// carry-save adder's XORs and majority into `vpternlogq`). Why bit-sliced at all: baseline x86-64 has no `popcnt`, and even with it a
/// per-code popcount, compare and branch costs several instructions per code, while the adder
/// tree costs about 5.4 vector operations per plane for S codes (1.35 per code at 32 bits with
/// two lanes, 0.68 with four), and the comparison with the query's cut-off T comes free. On a
/// Zen 3 core the four-lane kernel runs about 3.2 of these operations per cycle out of L1.
///
/// On a match the kernel also leaves the low L bits of every code's count in `counts`, so the
/// caller reads the exact distances of the few passing codes from there instead of fetching
/// the codes themselves (a cache miss each, a fifth of the scan's time when it did).
///
/// ```swift
/// let block = BitSlicedKernel.firstMatch(Bits32.self, planes: p, bits: 32, queryMasks: q, threshold: 7,
///                                        blocks: 0..<n, counts: c, mask: &m)
/// let d = BitSlicedKernel.distance(ofCode: r, counts: c, bits: 32, threshold: 7)
/// ```
public enum BitSlicedKernel {
    /// ⌈log₂ n⌉ (0 for n ≤ 1).
    @inlinable @inline(__always)
    static func ceilingLog2(_ n: Int) -> Int {
        n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
    }

    /// L, the counter level whose bit decides `distance < T` (see `startingCounts`). Below 128
    /// bits it follows the cut-off, not the length: a top-100 cut-off is usually far below the
    /// length (about 6 of 32 bits, 17 of 64 on random codes, less on clustered ones), and each
    /// level dropped saves two vector operations per 8 planes. It stays ≥ 3 because the adder
    /// tree produces a weight-8 output anyway.
    @inlinable @inline(__always)
    public static func decidingLevel(bits: Int, threshold: Int) -> Int {
        bits < 128 ? max(3, ceilingLog2(threshold)) : ceilingLog2(bits)
    }

    /// Lanes the `counts` buffer of `firstMatch` needs: one per counter level up to the highest L.
    @inlinable
    public static func countLevels(bits: Int) -> Int {
        max(3, ceilingLog2(bits)) + 1
    }

    /// Bit `level` of the counters' starting value c = 2^L − T, as a lane of all ones or zeros.
    /// Starting the count at c instead of 0 turns the comparison into one bit: the distance d
    /// satisfies d ≥ T exactly when d + c ≥ 2^L, which is bit L of the count if that bit is made
    /// sticky (set once any carry reaches it), or simply bit L when d + c < 2^(L+1) always
    /// (L = ⌈log₂ bits⌉). No per-level compare is needed after the adder tree.
    @inlinable @inline(__always)
    static func startingCounts<Lanes: SIMD>(_ level: Int, deciding: Int, threshold: Int) -> Lanes where Lanes.Scalar == UInt64 {
        let offset = (1 << deciding) - threshold
        return Lanes(repeating: 0 &- UInt64(truncatingIfNeeded: (offset >> level) & 1))
    }

    /// Full adder on bit vectors: (high, low) ← a + b + low.
    @inlinable @inline(__always)
    static func carrySave<Lanes: SIMD>(_ high: inout Lanes, _ low: inout Lanes, _ a: Lanes, _ b: Lanes) where Lanes.Scalar == UInt64 {
        let u = low ^ a
        high = (low & a) | (u & b)
        low = u ^ b
    }

    /// The first block in `blocks` holding a code at distance < `threshold` from the query, or
    /// `blocks.upperBound` when none has one. For that block, `mask` gets bit r of lane w set for
    /// each such code 64·w + r, and `counts[0..<L]` the low bits of the codes' counts (read them
    /// with `distance(ofCode:…)`). Block b's planes start at `planes + b · bits`;
    /// 1 ≤ threshold ≤ bits; `counts` holds `countLevels(bits)` lanes.
    @inlinable @inline(__always)
    public static func firstMatch<Lanes: SIMD, Length: CodeLength>(
        _ length: Length.Type, planes: UnsafePointer<Lanes>, bits dynamicBits: Int, queryMasks: UnsafePointer<Lanes>,
        threshold: Int, blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes
    ) -> Int where Lanes.Scalar == UInt64 {
        let bits = Length.bits ?? dynamicBits
        guard bits < 128 else {
            for block in blocks {
                let m = lessThanMask(planes: planes + block * bits, queryMasks: queryMasks, bits: bits, threshold: threshold, counts: counts)
                if isEmpty(m) { continue }
                mask = m
                return block
            }
            return blocks.upperBound
        }
        // One loop per deciding level, each with the level a constant; levels above the
        // length's own ⌈log₂ bits⌉ never occur, so a constant length compiles only its own.
        @inline(__always) func scan(deciding: Int) -> Int {
            for block in blocks {
                let c = shortCounts(planes: planes + block * bits, queryMasks: queryMasks, bits: bits, threshold: threshold,
                                    deciding: deciding)
                let m = c.level(deciding) ^ Lanes(repeating: ~0)
                if isEmpty(m) { continue }
                for l in 0..<deciding { counts[l] = c.level(l) }
                mask = m
                return block
            }
            return blocks.upperBound
        }
        let most = max(3, ceilingLog2(bits))
        switch decidingLevel(bits: bits, threshold: threshold) {
        case 3: return scan(deciding: 3)
        case 4 where most >= 4: return scan(deciding: 4)
        case 5 where most >= 5: return scan(deciding: 5)
        case 6 where most >= 6: return scan(deciding: 6)
        default: return scan(deciding: 7)
        }
    }

    /// The distance of code r of the block `firstMatch` returned (it must be in the mask, and
    /// `threshold` the one passed): the low L bits of its count, minus the starting value.
    @inlinable @inline(__always)
    public static func distance<Lanes: SIMD>(ofCode r: Int, counts: UnsafePointer<Lanes>, bits: Int, threshold: Int) -> Int
    where Lanes.Scalar == UInt64 {
        let deciding = decidingLevel(bits: bits, threshold: threshold)
        let lane = r >> 6, shift = UInt64(r & 63)
        var count = 0
        for l in 0..<deciding { count |= Int(truncatingIfNeeded: (counts[l][lane] >> shift) & 1) << l }
        return count - ((1 << deciding) - threshold)
    }

    @inlinable @inline(__always)
    static func isEmpty<Lanes: SIMD>(_ m: Lanes) -> Bool where Lanes.Scalar == UInt64 {
        var any: UInt64 = 0
        for lane in 0..<Lanes.scalarCount { any |= m[lane] }
        return any == 0
    }

    /// Lanes whose code is at distance < `threshold` (1 ≤ threshold ≤ bits) from the query, for
    /// any length: all counter levels live in `counts` (`countLevels(bits)` lanes), where they
    /// stay for `distance(ofCode:…)`; the 1s, 2s and 4s are kept in registers until the end.
    @inlinable @inline(__always)
    public static func lessThanMask<Lanes: SIMD>(planes p: UnsafePointer<Lanes>, queryMasks q: UnsafePointer<Lanes>, bits: Int,
                                                 threshold: Int, counts: UnsafeMutablePointer<Lanes>) -> Lanes
    where Lanes.Scalar == UInt64 {
        let zero = Lanes(repeating: 0)
        let deciding = decidingLevel(bits: bits, threshold: threshold)
        let levels = max(0, deciding - 2)   // the 8s and up, in counts[3…]
        let high = counts + 3
        var ones: Lanes = startingCounts(0, deciding: deciding, threshold: threshold)
        var twos: Lanes = startingCounts(1, deciding: deciding, threshold: threshold)
        var fours: Lanes = startingCounts(2, deciding: deciding, threshold: threshold)
        for l in 0..<levels { high[l] = startingCounts(l + 3, deciding: deciding, threshold: threshold) }
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
        counts[0] = ones
        if deciding >= 1 { counts[1] = twos }
        if deciding >= 2 { counts[2] = fours }
        // `^ all ones`, not `~`: the prefix operator is lowered lane by lane through scalar registers.
        return counts[deciding] ^ Lanes(repeating: ~0)
    }

    /// The counts of codes shorter than 128 bits, started at 2^L − T (L = `deciding` ≥ 3): the
    /// counters live in locals, so with constant `bits` and `deciding` the adder tree unrolls
    /// into registers. Levels below L are exact while the count stays below 2^L; bit L
    /// (`level(L)`) is sticky and set exactly for the codes at distance ≥ T.
    @inlinable @inline(__always)
    static func shortCounts<Lanes: SIMD>(planes p: UnsafePointer<Lanes>, queryMasks q: UnsafePointer<Lanes>, bits: Int,
                                         threshold: Int, deciding: Int) -> Counts<Lanes> where Lanes.Scalar == UInt64 {
        let zero = Lanes(repeating: 0)
        @inline(__always) func start(_ level: Int) -> Lanes { startingCounts(level, deciding: deciding, threshold: threshold) }
        var ones = start(0), twos = start(1), fours = start(2)
        var counts = Counts(ones: zero, twos: zero, fours: zero, eights: start(3), sixteens: start(4), thirtyTwos: start(5),
                            sixtyFours: start(6), oneTwentyEights: start(7))
        // Harley–Seal: 8 inputs → one "eights" vector with 7 carry-save adders.
        @inline(__always) func addGroup(_ j: Int) {
            var twosA = zero, twosB = zero, foursA = zero, foursB = zero, eights = zero
            carrySave(&twosA, &ones, p[j] ^ q[j], p[j + 1] ^ q[j + 1])
            carrySave(&twosB, &ones, p[j + 2] ^ q[j + 2], p[j + 3] ^ q[j + 3])
            carrySave(&foursA, &twos, twosA, twosB)
            carrySave(&twosA, &ones, p[j + 4] ^ q[j + 4], p[j + 5] ^ q[j + 5])
            carrySave(&twosB, &ones, p[j + 6] ^ q[j + 6], p[j + 7] ^ q[j + 7])
            carrySave(&foursB, &twos, twosA, twosB)
            carrySave(&eights, &fours, foursA, foursB)
            counts.addEights(eights, upTo: deciding)
        }
        var j = 0
        // Swift's SIMD bitwise operators are lane-by-lane code that LLVM's SLP vectoriser gathers
        // back into vectors, and how well depends on the loop's shape: with four lanes and a
        // one-group loop it split the 64-bit case into two-lane halves (twice the instructions),
        // with two lanes and four groups per iteration it fell back to scalar code. So four-lane
        // vectors take four groups per iteration and two-lane vectors one (checked in the
        // disassembly; `semhash bench search --kernels portable,avx2` shows a regression).
        if Lanes.scalarCount >= 4 {
            while j + 32 <= bits {
                addGroup(j); addGroup(j + 8); addGroup(j + 16); addGroup(j + 24)
                j += 32
            }
        }
        while j + 8 <= bits {
            addGroup(j)
            j += 8
        }
        while j < bits {
            var carry = p[j] ^ q[j]
            var c = ones & carry; ones ^= carry; carry = c
            c = twos & carry; twos ^= carry; carry = c
            c = fours & carry; fours ^= carry; carry = c
            counts.addEights(carry, upTo: deciding)
            j += 1
        }
        counts.ones = ones
        counts.twos = twos
        counts.fours = fours
        return counts
    }

    /// The bit-sliced counters of `shortCounts`, level by level. Only levels up to the deciding
    /// one are updated, and that one only ever gains bits (it records that the count reached
    /// it), so a constant deciding level drops the rest at compile time.
    @usableFromInline
    struct Counts<Lanes: SIMD> where Lanes.Scalar == UInt64 {
        @usableFromInline var ones, twos, fours, eights, sixteens, thirtyTwos, sixtyFours, oneTwentyEights: Lanes

        @inlinable @inline(__always)
        init(ones: Lanes, twos: Lanes, fours: Lanes, eights: Lanes, sixteens: Lanes, thirtyTwos: Lanes, sixtyFours: Lanes,
             oneTwentyEights: Lanes) {
            self.ones = ones
            self.twos = twos
            self.fours = fours
            self.eights = eights
            self.sixteens = sixteens
            self.thirtyTwos = thirtyTwos
            self.sixtyFours = sixtyFours
            self.oneTwentyEights = oneTwentyEights
        }

        /// Counter bit `level` (0 = the 1s) of every code.
        @inlinable @inline(__always)
        func level(_ level: Int) -> Lanes {
            switch level {
            case 0: ones
            case 1: twos
            case 2: fours
            case 3: eights
            case 4: sixteens
            case 5: thirtyTwos
            case 6: sixtyFours
            default: oneTwentyEights
            }
        }

        /// Adds a bit vector of weight 8; the deciding level (≥ 3) keeps any carry that reaches it.
        @inlinable @inline(__always)
        mutating func addEights(_ carry: Lanes, upTo deciding: Int) {
            if deciding == 3 { eights |= carry; return }
            var c = eights & carry; eights ^= carry
            if deciding == 4 { sixteens |= c; return }
            var d = sixteens & c; sixteens ^= c; c = d
            if deciding == 5 { thirtyTwos |= c; return }
            d = thirtyTwos & c; thirtyTwos ^= c; c = d
            if deciding == 6 { sixtyFours |= c; return }
            d = sixtyFours & c; sixtyFours ^= c; c = d
            oneTwentyEights |= c
        }
    }

    /// The query's bits as lanes of all ones (bit set) or all zeros, `bits` lanes; the query is
    /// packed most significant bit first (bit j in word j / 64 at position 63 − j mod 64).
    @inlinable
    public static func queryMasks<Lanes: SIMD>(_ code: UnsafePointer<UInt64>, bits: Int, into out: UnsafeMutablePointer<Lanes>)
    where Lanes.Scalar == UInt64 {
        for j in 0..<bits {
            let set = (code[j >> 6] >> UInt64(63 - j & 63)) & 1 == 1
            out[j] = Lanes(repeating: set ? ~0 : 0)
        }
    }
}
