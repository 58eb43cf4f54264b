/// The Hamming distance of single pairs of packed codes. The flat scan decides most codes with
/// the bit-sliced kernel instead (`BitSlicedKernel`, through `BlockScanner`) and calls this only
/// for the few codes that pass.
///
/// ```
/// d(a, b) = Σ_w popcount(a_w ⊕ b_w)
/// ```
///
/// ```swift
/// let d = HammingKernels.distance(a, b, words: 1)
/// ```
enum HammingKernels {
    /// Hamming distance of two packed codes of `words` words.
    @inline(__always)
    static func distance(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, words: Int) -> Int {
        if words == 1 { return (a[0] ^ b[0]).nonzeroBitCount }
        var d = 0
        for w in 0..<words { d += (a[w] ^ b[w]).nonzeroBitCount }
        return d
    }
}
