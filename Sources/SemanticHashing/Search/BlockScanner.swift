import BitSlicedScan
import BitSlicedScanAVX2
import BitSlicedScanAVX512

/// The flat scan's access to one kernel: find the next block with a code closer than the
/// query's cut-off. The policy (selection, cut-off updates, exact distances) stays in
/// `LinearScanIndex`; a conformer only decides which compiled kernel answers.
///
/// ```
/// firstMatch(blocks, T) = min { b ∈ blocks : ∃ code x in block b with d_H(q, x) < T }   (or blocks.upperBound)
/// with the block's mask and counts (`BitSlicedKernel.distance(ofCode:…)` reads them)
/// ```
///
/// ```swift
/// let b = AVX2Scanner.firstMatch(Bits32.self, planes: p, bits: 32, queryMasks: q, threshold: t,
///                                blocks: b0..<b1, counts: c, mask: &m)
/// ```
protocol BlockScanner {
    associatedtype Lanes: SIMD & Sendable where Lanes.Scalar == UInt64
    static func firstMatch<Length: CodeLength>(_ length: Length.Type, planes: UnsafePointer<Lanes>, bits: Int,
                                               queryMasks: UnsafePointer<Lanes>, threshold: Int, blocks: Range<Int>,
                                               counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int
}

/// Two lanes, inlined into the scan loop (baseline instructions only).
enum PortableScanner: BlockScanner {
    typealias Lanes = SIMD2<UInt64>

    @inline(__always)
    static func firstMatch<Length: CodeLength>(_ length: Length.Type, planes: UnsafePointer<Lanes>, bits: Int,
                                               queryMasks: UnsafePointer<Lanes>, threshold: Int, blocks: Range<Int>,
                                               counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        BitSlicedKernel.firstMatch(Length.self, planes: planes, bits: bits, queryMasks: queryMasks, threshold: threshold,
                                   blocks: blocks, counts: counts, mask: &mask)
    }
}

/// A kernel compiled for a wider instruction set in its own module: one call per block that has a
/// match. Use only when the matching `ScanKernel` `isSupported`.
enum CompiledScanner<Kernel: CompiledKernel>: BlockScanner {
    typealias Lanes = Kernel.Lanes

    @inline(__always)
    static func firstMatch<Length: CodeLength>(_ length: Length.Type, planes: UnsafePointer<Lanes>, bits: Int,
                                               queryMasks: UnsafePointer<Lanes>, threshold: Int, blocks: Range<Int>,
                                               counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        switch Length.bits {
        case 16?: Kernel.firstMatch16(planes: planes, queryMasks: queryMasks, threshold: threshold, blocks: blocks, counts: counts, mask: &mask)
        case 32?: Kernel.firstMatch32(planes: planes, queryMasks: queryMasks, threshold: threshold, blocks: blocks, counts: counts, mask: &mask)
        case 64?: Kernel.firstMatch64(planes: planes, queryMasks: queryMasks, threshold: threshold, blocks: blocks, counts: counts, mask: &mask)
        default:
            Kernel.firstMatchAnyLength(planes: planes, bits: bits, queryMasks: queryMasks, threshold: threshold,
                                       blocks: blocks, counts: counts, mask: &mask)
        }
    }
}

/// Four lanes, compiled for x86-64-v3 (`ScanKernel.avx2`).
typealias AVX2Scanner = CompiledScanner<AVX2Kernel>
/// Eight lanes, compiled for x86-64-v4 (`ScanKernel.avx512`).
typealias AVX512Scanner = CompiledScanner<AVX512Kernel>
