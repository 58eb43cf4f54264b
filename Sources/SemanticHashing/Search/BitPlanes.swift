/// Database codes transposed into bit planes, blocks of S = 64 · W codes (W = lanes per vector:
/// 2 for the portable kernel, 4 for AVX2): plane j of block b holds bit j of codes S·b …< S·(b+1),
/// code r of the block in bit r mod 64 of lane r / 64.
///
/// ```
/// planes[b · bits + j][r / 64] bit (r mod 64) = bit(S·b + r, j)
/// ```
///
/// ```swift
/// var planes = BitPlanes<SIMD4<UInt64>>(bits: 32); planes.append(codes)
/// let valid = planes.validMask(ofBlock: planes.blockCount - 1)
/// ```
struct BitPlanes<Lanes: SIMD & Sendable>: Sendable where Lanes.Scalar == UInt64 {
    let bits: Int
    private(set) var count = 0
    private(set) var planes: [Lanes] = []

    init(bits: Int) { self.bits = bits }

    /// Codes per block.
    static var blockSize: Int { 64 * Lanes.scalarCount }

    var blockCount: Int { (count + Self.blockSize - 1) / Self.blockSize }

    mutating func append(_ codes: BinaryCodes) {
        precondition(codes.bits == bits, "BitPlanes: \(codes.bits)-bit codes added to \(bits)-bit planes")
        let blockSize = Self.blockSize
        let newCount = count + codes.count
        let blocks = (newCount + blockSize - 1) / blockSize
        planes.append(contentsOf: repeatElement(Lanes(repeating: 0), count: blocks * bits - planes.count))
        let perCode = codes.wordsPerCode
        let bits = bits
        let start = count
        codes.words.withUnsafeBufferPointer { w in
            planes.withUnsafeMutableBufferPointer { p in
                for i in 0..<codes.count {
                    let position = start + i
                    let block = position / blockSize, r = position % blockSize
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
    func validMask(ofBlock b: Int) -> Lanes {
        let filled = min(Self.blockSize, count - b * Self.blockSize)
        var m = Lanes(repeating: 0)
        for lane in 0..<Lanes.scalarCount {
            let n = filled - lane * 64
            m[lane] = n >= 64 ? ~0 : (n <= 0 ? 0 : (1 << UInt64(n)) - 1)
        }
        return m
    }
}
