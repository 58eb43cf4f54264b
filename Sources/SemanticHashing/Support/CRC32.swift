/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of zlib and PNG:
///
/// ```
/// crc = ~0; for each byte b: crc = table[(crc ⊕ b) & 0xFF] ⊕ (crc >> 8); result = ~crc
/// ```
///
/// ```swift
/// var crc = CRC32(); crc.update(data)
/// let sum = crc.value        // CRC32.checksum("123456789") == 0xCBF43926
/// ```
public struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = state
        Self.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        // Contiguous storage (Data, [UInt8], slices) takes the pointer path; byte-wise iteration
        // of Data costs more than the checksum itself.
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        var c = state
        for b in bytes { c = Self.table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        state = c
    }

    public var value: UInt32 { ~state }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
