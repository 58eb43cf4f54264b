import Foundation

/// The on-disk form of a code index (all integers little-endian):
///
/// ```
/// offset  size  field
///  0      4     magic "SMHI"
///  4      4     format version (1)
///  8      4     bits per code
/// 12      4     flags (bit 0: item ids present)
/// 16      8     count N
/// 24      8     payload length P in bytes
/// 32      4     CRC-32 of bytes 0..<32 followed by the payload
/// 36      4     reserved (0)
/// 40      P     payload: N · ⌈bits/64⌉ code words (UInt64),
///               then, with ids, N × (UInt32 byte length, UTF-8 bytes)
/// ```
/// Written atomically (temporary file + rename). Loading checks every field and the checksum,
/// and reports any damage as `malformedInput` naming the file; it never traps.
///
/// ```swift
/// try IndexFile.write(CodeListing(codes: codes, ids: names), to: "db.smhi")
/// let listing = try IndexFile.read("db.smhi")
/// ```
public enum IndexFile {
    public static let magic = Array("SMHI".utf8)
    public static let version: UInt32 = 1
    static let headerSize = 40

    public static func encode(_ listing: CodeListing) -> Data {
        var payload = Data()
        payload.reserveCapacity(listing.codes.words.count * 8)
        for w in listing.codes.words { appendLittleEndian(w, to: &payload) }
        if let ids = listing.ids {
            for id in ids {
                let bytes = Array(id.utf8)
                appendLittleEndian(UInt32(bytes.count), to: &payload)
                payload.append(contentsOf: bytes)
            }
        }
        var header = Data(magic)
        appendLittleEndian(version, to: &header)
        appendLittleEndian(UInt32(listing.codes.bits), to: &header)
        appendLittleEndian(UInt32(listing.ids == nil ? 0 : 1), to: &header)
        appendLittleEndian(UInt64(listing.codes.count), to: &header)
        appendLittleEndian(UInt64(payload.count), to: &header)
        var crc = CRC32()
        header.withUnsafeBytes { crc.update($0) }
        payload.withUnsafeBytes { crc.update($0) }
        appendLittleEndian(crc.value, to: &header)
        appendLittleEndian(UInt32(0), to: &header)
        return header + payload
    }

    public static func write(_ listing: CodeListing, to path: String) throws {
        try AtomicFile.write(encode(listing), to: path)
    }

    public static func read(_ path: String) throws -> CodeListing {
        try decode(readFile(path), source: path)
    }

    public static func decode(_ data: Data, source: String) throws -> CodeListing {
        func bad(_ reason: String, at offset: Int? = nil) -> SemanticHashingError {
            .malformedInput(location: offset.map { "\(source), offset \($0)" } ?? source, reason: reason)
        }
        let bytes = [UInt8](data)
        guard bytes.count >= headerSize else {
            throw bad("not a semhash index (\(bytes.count) bytes, shorter than the \(headerSize)-byte header)")
        }
        guard Array(bytes[0..<4]) == magic else { throw bad("not a semhash index (no SMHI magic)") }
        let fileVersion = UInt32(littleEndianBytes: bytes, at: 4)
        guard fileVersion == version else {
            throw bad("index format version \(fileVersion); this semhash reads version \(version)", at: 4)
        }
        let bits = Int(UInt32(littleEndianBytes: bytes, at: 8))
        let flags = UInt32(littleEndianBytes: bytes, at: 12)
        let count = UInt64(littleEndianBytes: bytes, at: 16)
        let payloadLength = UInt64(littleEndianBytes: bytes, at: 24)
        let storedCRC = UInt32(littleEndianBytes: bytes, at: 32)
        guard bits >= 1 && bits <= 1 << 20 else { throw bad("implausible code length \(bits) bits", at: 8) }
        guard flags & ~1 == 0 else { throw bad("unknown flags 0x\(String(flags, radix: 16))", at: 12) }
        guard payloadLength == UInt64(bytes.count - headerSize) else {
            throw bad("payload should be \(payloadLength) bytes but the file holds \(bytes.count - headerSize) (truncated or padded)", at: 24)
        }
        let perCode = (bits + 63) / 64
        let (codeBytes, overflow) = count.multipliedReportingOverflow(by: UInt64(perCode * 8))
        guard !overflow, codeBytes <= payloadLength else {
            throw bad("\(count) codes of \(bits) bits do not fit in a \(payloadLength)-byte payload", at: 16)
        }
        var crc = CRC32()
        bytes.withUnsafeBytes { raw in
            crc.update(UnsafeRawBufferPointer(rebasing: raw[0..<32]))
            crc.update(UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
        }
        guard crc.value == storedCRC else {
            throw bad("checksum mismatch (stored 0x\(String(storedCRC, radix: 16)), computed 0x\(String(crc.value, radix: 16))): the file is damaged")
        }
        let n = Int(count)
        var words = [UInt64](repeating: 0, count: n * perCode)
        for i in 0..<words.count { words[i] = UInt64(littleEndianBytes: bytes, at: headerSize + 8 * i) }
        var offset = headerSize + Int(codeBytes)
        var ids: [String]?
        if flags & 1 == 1 {
            var list: [String] = []
            list.reserveCapacity(n)
            for i in 0..<n {
                guard offset + 4 <= bytes.count else { throw bad("item id \(i) runs past the end", at: offset) }
                let length = Int(UInt32(littleEndianBytes: bytes, at: offset))
                offset += 4
                guard length <= bytes.count - offset else { throw bad("item id \(i) runs past the end", at: offset) }
                guard let id = String(validating: bytes[offset ..< offset + length], as: UTF8.self) else {
                    throw bad("item id \(i) is not UTF-8", at: offset)
                }
                list.append(id)
                offset += length
            }
            ids = list
        }
        guard offset == bytes.count else { throw bad("\(bytes.count - offset) unexpected bytes after the payload", at: offset) }
        let codes = BinaryCodes(words: words, count: n, bits: bits)
        guard codes.words == words else { throw bad("codes set padding bits beyond bit \(bits - 1)", at: headerSize) }
        return CodeListing(codes: codes, ids: ids)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}

extension FixedWidthInteger {
    /// Reads a little-endian integer from `bytes` at `offset` (the caller checked the bounds).
    init(littleEndianBytes bytes: [UInt8], at offset: Int) {
        var v = Self.zero
        for b in 0..<MemoryLayout<Self>.size { v |= Self(truncatingIfNeeded: bytes[offset + b]) << (8 * b) }
        self = v
    }
}
