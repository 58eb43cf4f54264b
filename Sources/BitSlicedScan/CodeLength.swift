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
