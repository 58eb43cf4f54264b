/// A code length fixed at compile time, so the generic scan kernel is specialised per length and
/// its counters stay in registers; `AnyBits` is the general path for every other length.
///
/// ```
/// Bits16.bits = 16, Bits32.bits = 32, Bits64.bits = 64, AnyBits.bits = nil (read at run time)
/// ```
///
/// ```swift
/// let block = BitSlicedKernel.firstMatch(Bits32.self, planes: p, bits: 32, …)
/// ```
public protocol CodeLength { static var bits: Int? { get } }
public enum Bits16: CodeLength { @inlinable public static var bits: Int? { 16 } }
public enum Bits32: CodeLength { @inlinable public static var bits: Int? { 32 } }
public enum Bits64: CodeLength { @inlinable public static var bits: Int? { 64 } }
public enum AnyBits: CodeLength { @inlinable public static var bits: Int? { nil } }

/// `BitSlicedKernel.firstMatch` compiled in a module of its own for one instruction set, one entry
/// per specialised length. Nothing in a conforming module is `@inlinable`, so its code runs only
/// where the caller has checked the processor.
public protocol CompiledKernel {
    associatedtype Lanes: SIMD & Sendable where Lanes.Scalar == UInt64
    static func firstMatch16(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                             blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int
    static func firstMatch32(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                             blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int
    static func firstMatch64(planes: UnsafePointer<Lanes>, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                             blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int
    static func firstMatchAnyLength(planes: UnsafePointer<Lanes>, bits: Int, queryMasks: UnsafePointer<Lanes>, threshold: Int,
                                    blocks: Range<Int>, counts: UnsafeMutablePointer<Lanes>, mask: inout Lanes) -> Int
}
