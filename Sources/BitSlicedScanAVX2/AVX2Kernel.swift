import BitSlicedScan

/// `BitSlicedKernel.firstMatch` with four 64-bit lanes (256 codes per block), compiled in a module
/// built for x86-64-v3 so each lane vector is one AVX2 register:
///
/// ```
/// firstMatch{16,32,64,AnyLength}(…) = BitSlicedKernel.firstMatch(Bits{16,32,64}/AnyBits, …) with Lanes = SIMD4<UInt64>
/// ```
///
/// Every function here may execute AVX2, BMI and POPCNT instructions: call them only after a
/// run-time check that the processor has them (the library's `ScanKernel.avx2.isSupported`).
/// On other architectures the module is built for the baseline and the functions are merely
/// four-lane portable code. Nothing is `@inlinable`, so no caller can pull this code into a
/// module compiled for an older processor (or the other way round).
///
/// ```swift
/// guard ScanKernel.avx2.isSupported else { … }
/// let block = AVX2Kernel.firstMatch32(planes: p, queryMasks: q, threshold: 7, blocks: 0..<n, counts: c, mask: &m)
/// ```
public enum AVX2Kernel: CompiledKernel {
    public typealias Lanes = SIMD4<UInt64>

    public static func firstMatch16(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                                    blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        BitSlicedKernel.firstMatch(Bits16.self, planes: planes, bits: 16, queryMasks: queryMasks, threshold: threshold,
                                   blocks: blocks, counts: counts, mask: &mask)
    }

    public static func firstMatch32(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                                    blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        BitSlicedKernel.firstMatch(Bits32.self, planes: planes, bits: 32, queryMasks: queryMasks, threshold: threshold,
                                   blocks: blocks, counts: counts, mask: &mask)
    }

    public static func firstMatch64(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                                    blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        BitSlicedKernel.firstMatch(Bits64.self, planes: planes, bits: 64, queryMasks: queryMasks, threshold: threshold,
                                   blocks: blocks, counts: counts, mask: &mask)
    }

    public static func firstMatchAnyLength(planes: UnsafePointer<Lanes>, bits: Int, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                                           blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int {
        BitSlicedKernel.firstMatch(AnyBits.self, planes: planes, bits: bits, queryMasks: queryMasks, threshold: threshold,
                                   blocks: blocks, counts: counts, mask: &mask)
    }
}
