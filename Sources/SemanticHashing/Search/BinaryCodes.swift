/// A list of binary codes of equal length, packed into 64-bit words.
///
/// Bit j of code i lives in word j / 64 of the code, at position 63 − (j mod 64), so the
/// first bit is the most significant bit of the first word (and of the first hex digit):
///
/// ```
/// bit(i, j) = (words[i · wordsPerCode + j / 64] >> (63 − j mod 64)) & 1
/// wordsPerCode = ⌈bits / 64⌉,  padding bits are always 0
/// ```
///
/// ```swift
/// let codes = BinaryCodes(thresholding: logits, count: n, bits: 32)   // bit = logit > 0
/// let hex = codes.hexString(at: 0)
/// ```
public struct BinaryCodes: Sendable, Equatable {
    /// Number of codes.
    public private(set) var count: Int
    /// Bits per code (any positive length).
    public let bits: Int
    /// 64-bit words per code, ⌈bits / 64⌉.
    public let wordsPerCode: Int
    /// count × wordsPerCode words, code after code.
    public private(set) var words: [UInt64]

    /// An empty list of `bits`-bit codes.
    public init(bits: Int) {
        precondition(bits > 0, "BinaryCodes: bits must be positive, got \(bits)")
        self.bits = bits
        self.wordsPerCode = (bits + 63) / 64
        self.count = 0
        self.words = []
    }

    /// Codes from already packed words (layout above); padding bits are cleared.
    public init(words: [UInt64], count: Int, bits: Int) {
        self.init(bits: bits)
        precondition(words.count == count * wordsPerCode,
                     "BinaryCodes: \(words.count) words for \(count) codes of \(bits) bits")
        self.count = count
        self.words = words
        clearPadding()
    }

    /// Codes from model outputs: `values` is row-major count × bits (logits or means), and
    /// bit j of code i is set when `values[i · bits + j] > 0` (design.md, Codes).
    public init(thresholding values: [Float], count: Int, bits: Int) {
        self.init(bits: bits)
        precondition(values.count == count * bits,
                     "BinaryCodes: \(values.count) values for \(count) codes of \(bits) bits")
        self.count = count
        words = [UInt64](repeating: 0, count: count * wordsPerCode)
        let perCode = wordsPerCode
        values.withUnsafeBufferPointer { v in
            words.withUnsafeMutableBufferPointer { w in
                for i in 0..<count {
                    let row = i * bits
                    for j in 0..<bits where v[row + j] > 0 {
                        w[i * perCode + j >> 6] |= 1 << UInt64(63 - j & 63)
                    }
                }
            }
        }
    }

    /// Codes from a matrix of model outputs (one row per code): bit = value > 0.
    public init(thresholding matrix: Matrix) {
        self.init(thresholding: matrix.storage, count: matrix.rows, bits: matrix.columns)
    }

    /// Codes from explicit bits, one array per code (all of length `bits`).
    public init(bits rows: [[Bool]], bits: Int) {
        self.init(bits: bits)
        precondition(rows.allSatisfy { $0.count == bits }, "BinaryCodes: every row needs \(bits) bits")
        count = rows.count
        words = [UInt64](repeating: 0, count: count * wordsPerCode)
        for (i, row) in rows.enumerated() {
            for (j, bit) in row.enumerated() where bit { words[i * wordsPerCode + j >> 6] |= 1 << UInt64(63 - j & 63) }
        }
    }

    /// Bit j of code i.
    public func bit(_ i: Int, _ j: Int) -> Bool {
        precondition(i >= 0 && i < count && j >= 0 && j < bits, "BinaryCodes: bit (\(i), \(j)) out of range")
        return (words[i * wordsPerCode + j >> 6] >> UInt64(63 - j & 63)) & 1 == 1
    }

    /// The words of code i.
    public func code(at i: Int) -> ArraySlice<UInt64> {
        precondition(i >= 0 && i < count, "BinaryCodes: code \(i) out of 0..<\(count)")
        return words[i * wordsPerCode ..< (i + 1) * wordsPerCode]
    }

    /// The codes at `indices`, in that order.
    public func gathering(_ indices: some Collection<Int>) -> BinaryCodes {
        var out = BinaryCodes(bits: bits)
        out.words.reserveCapacity(indices.count * wordsPerCode)
        for i in indices { out.words.append(contentsOf: code(at: i)) }
        out.count = indices.count
        return out
    }

    /// Appends the codes of `other` (same length).
    public mutating func append(contentsOf other: BinaryCodes) {
        precondition(other.bits == bits, "BinaryCodes: cannot append \(other.bits)-bit codes to \(bits)-bit codes")
        words.append(contentsOf: other.words)
        count += other.count
    }

    /// Hamming distance between code i of `self` and code j of `other`, for tests and tools
    /// (the indexes use the kernels in `HammingKernels`).
    public func distance(_ i: Int, to other: BinaryCodes, _ j: Int) -> Int {
        precondition(other.bits == bits, "BinaryCodes: distance between \(bits)- and \(other.bits)-bit codes")
        var d = 0
        for w in 0..<wordsPerCode { d += (words[i * wordsPerCode + w] ^ other.words[j * wordsPerCode + w]).nonzeroBitCount }
        return d
    }

    /// Keeps the bits past `bits` in the last word at zero, so distances never count them.
    private mutating func clearPadding() {
        let used = bits & 63
        guard used != 0 else { return }
        let mask = ~UInt64(0) << UInt64(64 - used)
        for i in 0..<count { words[i * wordsPerCode + wordsPerCode - 1] &= mask }
    }
}
