import Foundation

/// The on-disk form of an `IndexedCollection`, format version 2 (all integers little-endian):
///
/// ```
/// offset  size  field
///  0      4     magic "SMHI"
///  4      4     format version (2)
///  8      4     bits per code B (1 … 65 536)
/// 12      4     flags: bit 0 item ids, bit 1 classes, bit 2 snippets (other bits 0)
/// 16      8     item count N
/// 24      8     metadata length M
/// 32      8     item-record length R
/// 40      4     index kind: 0 flat scan, 1 multi-index hashing
/// 44      4     multi-index hashing substrings (0: chosen from B and N)
/// 48      12    reserved (0)
/// 60      4     CRC-32 of bytes 0..<60, then of every byte from 64 to the end
/// 64      8·W·N codes: N × W words (UInt64), W = ⌈B/64⌉, bit 0 = most significant bit of word 0
///         M     metadata: a UTF-8 JSON object {"classNames": [...], "model": {"fingerprint":
///               "16 hex digits", "description": "..."}} ("model" absent for bare codes)
///         R     item records, item after item, each with the fields its flags name:
///               id:      UInt32 byte length L, then L bytes of UTF-8
///               classes: UInt32 count C, then C × UInt32 index into classNames
///               snippet: UInt32 byte length L, then L bytes of UTF-8
/// ```
/// The file is exactly 64 + 8·W·N + M + R bytes. Every header byte but the checksum itself is
/// covered by the checksum. Reading checks the checksum first, then bounds every size against
/// the file before allocating anything (N·8·W with overflow checks, each length against the bytes
/// left in its section) and validates every string as UTF-8; any damage is reported as
/// `malformedInput` naming the file and the offset, never a trap. Written atomically (temporary
/// file + rename), so a reader — or a killed writer — leaves the old or the new file, never half.
///
/// Version 1 files (codes and ids, bytes 36–39 reserved and outside the checksum) are still read:
/// they have no model fingerprint, classes or snippets, and search them as a flat scan;
/// `semhash index --model M --data D` rebuilds one as version 2.
///
/// ```swift
/// try IndexFile.write(collection, to: "docs.smhi")
/// let docs = try IndexFile.read("docs.smhi")
/// ```
public enum IndexFile {
    public static let magic = Array("SMHI".utf8)
    public static let version: UInt32 = 2
    static let headerSize = 64
    static let checksumOffset = 60
    static let maximumBits = 1 << 16
    static let flagIDs: UInt32 = 1, flagClasses: UInt32 = 2, flagSnippets: UInt32 = 4

    /// The metadata block.
    struct Metadata: Codable {
        var classNames: [String]
        var model: IndexProvenance?
    }

    public static func encode(_ collection: IndexedCollection) -> Data {
        let codes = collection.codes
        var flags: UInt32 = 0
        if collection.ids != nil { flags |= flagIDs }
        if collection.labels != nil { flags |= flagClasses }
        if collection.snippets != nil { flags |= flagSnippets }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Strings and a Codable struct of strings: encoding cannot fail.
        let metadata = [UInt8](try! encoder.encode(Metadata(classNames: collection.classNames, model: collection.provenance)))
        var records: [UInt8] = []
        if flags != 0 {
            for i in 0..<codes.count {
                if let ids = collection.ids { appendString(ids[i], to: &records) }
                if let labels = collection.labels {
                    let classes = labels.classesOf(i)
                    appendLittleEndian(UInt32(classes.count), to: &records)
                    for c in classes { appendLittleEndian(UInt32(c), to: &records) }
                }
                if let snippets = collection.snippets { appendString(snippets[i], to: &records) }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + codes.words.count * 8 + metadata.count + records.count)
        out += magic
        appendLittleEndian(version, to: &out)
        appendLittleEndian(UInt32(codes.bits), to: &out)
        appendLittleEndian(flags, to: &out)
        appendLittleEndian(UInt64(codes.count), to: &out)
        appendLittleEndian(UInt64(metadata.count), to: &out)
        appendLittleEndian(UInt64(records.count), to: &out)
        switch collection.kind {
        case .flat:
            appendLittleEndian(UInt32(0), to: &out)
            appendLittleEndian(UInt32(0), to: &out)
        case .multiIndexHashing(let m):
            appendLittleEndian(UInt32(1), to: &out)
            appendLittleEndian(UInt32(m ?? 0), to: &out)
        }
        out += [UInt8](repeating: 0, count: checksumOffset - out.count)
        appendLittleEndian(UInt32(0), to: &out)   // checksum, filled in below
        codes.words.withUnsafeBufferPointer { words in
            for w in words { appendLittleEndian(w, to: &out) }
        }
        out += metadata
        out += records
        var crc = CRC32()
        out.withUnsafeBytes { raw in
            crc.update(UnsafeRawBufferPointer(rebasing: raw[0..<checksumOffset]))
            crc.update(UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
        }
        let sum = crc.value
        for b in 0..<4 { out[checksumOffset + b] = UInt8(truncatingIfNeeded: sum >> UInt32(8 * b)) }
        return Data(out)
    }

    public static func write(_ collection: IndexedCollection, to path: String) throws {
        try AtomicFile.write(encode(collection), to: path)
    }

    /// Reads and checks an index file. `checkingUniqueIDs` false skips the one check that costs a
    /// hash table of every id, for readers that only search (ids are unique in every file
    /// `write` produced; a file with duplicates would just show them).
    public static func read(_ path: String, checkingUniqueIDs: Bool = true) throws -> IndexedCollection {
        try decode(readFile(path), source: path, checkingUniqueIDs: checkingUniqueIDs)
    }

    public static func decode(_ data: Data, source: String, checkingUniqueIDs: Bool = true) throws -> IndexedCollection {
        try data.withUnsafeBytes { raw in try decode(raw, source: source, checkingUniqueIDs: checkingUniqueIDs) }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, source: String, checkingUniqueIDs: Bool) throws -> IndexedCollection {
        func bad(_ reason: String, at offset: Int? = nil) -> SemanticHashingError {
            .malformedInput(location: offset.map { "\(source), offset \($0)" } ?? source, reason: reason)
        }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        guard bytes.count >= 8 else {
            throw bad("not a semhash index (\(bytes.count) bytes, shorter than any header)")
        }
        guard Array(bytes[0..<4]) == magic else { throw bad("not a semhash index (no SMHI magic)") }
        let fileVersion = u32(4)
        if fileVersion == 1 { return try decodeVersion1(bytes, source: source) }
        guard fileVersion == version else {
            throw bad("index format version \(fileVersion); this semhash reads versions 1 and \(version)", at: 4)
        }
        guard bytes.count >= headerSize else {
            throw bad("\(bytes.count) bytes, shorter than the \(headerSize)-byte header (truncated)")
        }
        let storedCRC = u32(checksumOffset)
        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[0..<checksumOffset]))
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[headerSize...]))
        guard crc.value == storedCRC else {
            throw bad("checksum mismatch (stored 0x\(String(storedCRC, radix: 16)), computed 0x\(String(crc.value, radix: 16))): the file is damaged or truncated")
        }
        let bits = Int(u32(8))
        let flags = u32(12)
        let count = u64(16), metadataLength = u64(24), recordLength = u64(32)
        let kindCode = u32(40), substrings = Int(u32(44))
        guard bits >= 1 && bits <= maximumBits else { throw bad("implausible code length \(bits) bits", at: 8) }
        guard flags & ~(flagIDs | flagClasses | flagSnippets) == 0 else { throw bad("unknown flags 0x\(String(flags, radix: 16))", at: 12) }
        guard bytes[48..<checksumOffset].allSatisfy({ $0 == 0 }) else { throw bad("reserved header bytes are not zero", at: 48) }
        let kind: IndexKind
        switch kindCode {
        case 0:
            guard substrings == 0 else { throw bad("a flat index with \(substrings) substrings", at: 44) }
            kind = .flat
        case 1:
            guard substrings <= bits else { throw bad("\(substrings) substrings for \(bits)-bit codes", at: 44) }
            kind = .multiIndexHashing(substrings: substrings == 0 ? nil : substrings)
        default: throw bad("unknown index kind \(kindCode)", at: 40)
        }
        // Sizes, bounded by the file before anything is allocated.
        let available = UInt64(bytes.count - headerSize)
        let wordsPerCode = (bits + 63) / 64
        let (codeBytes, overflow) = count.multipliedReportingOverflow(by: UInt64(8 * wordsPerCode))
        guard !overflow, codeBytes <= available else {
            throw bad("\(count) codes of \(bits) bits need more bytes than the file's \(available) after the header", at: 16)
        }
        guard metadataLength <= available - codeBytes else {
            throw bad("metadata length \(metadataLength) runs past the end of the file", at: 24)
        }
        guard recordLength == available - codeBytes - metadataLength else {
            throw bad("the sections should total \(codeBytes) + \(metadataLength) + \(recordLength) bytes, the file holds \(available) after the header (truncated or padded)", at: 32)
        }
        guard flags != 0 || recordLength == 0 else { throw bad("item records without fields", at: 32) }
        let n = Int(count)
        var words = [UInt64](repeating: 0, count: n * wordsPerCode)
        words.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count { w[i] = u64(headerSize + 8 * i) }
        }
        let codes = BinaryCodes(words: words, count: n, bits: bits)
        guard codes.words == words else { throw bad("codes set padding bits beyond bit \(bits - 1)", at: headerSize) }

        let metadataStart = headerSize + Int(codeBytes)
        let metadataBytes = UnsafeRawBufferPointer(rebasing: bytes[metadataStart ..< metadataStart + Int(metadataLength)])
        guard String(validating: metadataBytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
            throw bad("the metadata is not UTF-8", at: metadataStart)
        }
        let metadata: Metadata
        do {
            metadata = try JSONDecoder().decode(Metadata.self, from: Data(metadataBytes))
        } catch {
            throw bad("unreadable metadata (\(error))", at: metadataStart)
        }

        var offset = metadataStart + Int(metadataLength)
        let end = bytes.count
        func readUInt32(_ what: String, item: Int) throws -> Int {
            guard end - offset >= 4 else { throw bad("the \(what) of item \(item) runs past the end", at: offset) }
            defer { offset += 4 }
            return Int(u32(offset))
        }
        func readString(_ what: String, item: Int) throws -> String {
            let length = try readUInt32("\(what) length", item: item)
            guard length <= end - offset else {
                throw bad("the \(what) of item \(item) (\(length) bytes) runs past the end", at: offset)
            }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length]).bindMemory(to: UInt8.self)
            guard let s = String(validating: slice, as: UTF8.self) else {
                throw bad("the \(what) of item \(item) is not UTF-8", at: offset)
            }
            offset += length
            return s
        }
        // Each item takes at least 4 bytes per field, so the record length bounds the item count.
        let fields = (flags & flagIDs != 0 ? 1 : 0) + (flags & flagClasses != 0 ? 1 : 0) + (flags & flagSnippets != 0 ? 1 : 0)
        guard fields == 0 || count <= recordLength / UInt64(4 * fields) else {
            throw bad("\(count) items cannot fit their fields in \(recordLength) bytes of records", at: 32)
        }
        var ids: [String]? = flags & flagIDs != 0 ? [] : nil
        var snippets: [String]? = flags & flagSnippets != 0 ? [] : nil
        var offsets: [Int] = [0], classes: [Int32] = []
        var multiLabel = false
        ids?.reserveCapacity(n)
        snippets?.reserveCapacity(n)
        for i in 0..<(fields == 0 ? 0 : n) {
            if ids != nil { ids!.append(try readString("id", item: i)) }
            if flags & flagClasses != 0 {
                let c = try readUInt32("class count", item: i)
                guard c <= (end - offset) / 4 else { throw bad("the \(c) classes of item \(i) run past the end", at: offset - 4) }
                if c > 1 { multiLabel = true }
                for _ in 0..<c {
                    let k = try readUInt32("class", item: i)
                    guard k < metadata.classNames.count else {
                        throw bad("item \(i) has class \(k), but the metadata names \(metadata.classNames.count) classes", at: offset - 4)
                    }
                    classes.append(Int32(k))
                }
                offsets.append(classes.count)
            }
            if snippets != nil { snippets!.append(try readString("snippet", item: i)) }
        }
        guard offset == end else { throw bad("\(end - offset) unexpected bytes after the last item record", at: offset) }
        let labels = flags & flagClasses != 0
            ? Labels(classCount: metadata.classNames.count, isMultiLabel: multiLabel, offsets: offsets, classes: classes) : nil
        let collection = IndexedCollection(codes: codes, ids: ids, labels: labels, classNames: metadata.classNames,
                                           snippets: snippets, provenance: metadata.model, kind: kind)
        if checkingUniqueIDs { try collection.checkUniqueIDs(source: source) }
        return collection
    }

    /// Version 1: 40-byte header (magic, version, bits, flags, count, payload length, CRC of
    /// bytes 0..<32 and the payload, 4 reserved bytes), codes, then ids.
    private static func decodeVersion1(_ bytes: UnsafeRawBufferPointer, source: String) throws -> IndexedCollection {
        func bad(_ reason: String, at offset: Int? = nil) -> SemanticHashingError {
            .malformedInput(location: offset.map { "\(source), offset \($0)" } ?? source,
                            reason: reason + " (a version-1 index; rebuild it with 'semhash index')")
        }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let size = 40
        guard bytes.count >= size else { throw bad("\(bytes.count) bytes, shorter than the \(size)-byte header") }
        let bits = Int(u32(8)), flags = u32(12), count = u64(16), payloadLength = u64(24), storedCRC = u32(32)
        guard bits >= 1 && bits <= 1 << 20 else { throw bad("implausible code length \(bits) bits", at: 8) }
        guard flags & ~1 == 0 else { throw bad("unknown flags 0x\(String(flags, radix: 16))", at: 12) }
        guard u32(36) == 0 else { throw bad("reserved header bytes are not zero", at: 36) }
        guard payloadLength == UInt64(bytes.count - size) else {
            throw bad("payload should be \(payloadLength) bytes but the file holds \(bytes.count - size) (truncated or padded)", at: 24)
        }
        let perCode = (bits + 63) / 64
        let (codeBytes, overflow) = count.multipliedReportingOverflow(by: UInt64(perCode * 8))
        guard !overflow, codeBytes <= payloadLength else {
            throw bad("\(count) codes of \(bits) bits do not fit in a \(payloadLength)-byte payload", at: 16)
        }
        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[0..<32]))
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[size...]))
        guard crc.value == storedCRC else { throw bad("checksum mismatch: the file is damaged") }
        let n = Int(count)
        var words = [UInt64](repeating: 0, count: n * perCode)
        for i in 0..<words.count { words[i] = u64(size + 8 * i) }
        var offset = size + Int(codeBytes)
        var ids: [String]?
        if flags & 1 == 1 {
            guard count <= (payloadLength - codeBytes) / 4 else { throw bad("\(count) ids cannot fit in the payload", at: 16) }
            var list: [String] = []
            list.reserveCapacity(n)
            for i in 0..<n {
                guard bytes.count - offset >= 4 else { throw bad("item id \(i) runs past the end", at: offset) }
                let length = Int(u32(offset))
                offset += 4
                guard length <= bytes.count - offset else { throw bad("item id \(i) runs past the end", at: offset) }
                let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length]).bindMemory(to: UInt8.self)
                guard let id = String(validating: slice, as: UTF8.self) else { throw bad("item id \(i) is not UTF-8", at: offset) }
                list.append(id)
                offset += length
            }
            ids = list
        }
        guard offset == bytes.count else { throw bad("\(bytes.count - offset) unexpected bytes after the payload", at: offset) }
        let codes = BinaryCodes(words: words, count: n, bits: bits)
        guard codes.words == words else { throw bad("codes set padding bits beyond bit \(bits - 1)", at: size) }
        return IndexedCollection(codes: codes, ids: ids)
    }

    private static func appendString(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        appendLittleEndian(UInt32(utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
