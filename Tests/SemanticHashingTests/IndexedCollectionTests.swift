import Foundation
import XCTest
@testable import SemanticHashing

/// The index file format 2 and the collection operations behind `semhash index`: exact round
/// trips, refusal of damaged or hostile files, append/remove/merge, sharded search.
final class IndexedCollectionTests: XCTestCase {
    static let fingerprint = ModelFingerprint(value: 0x0123_4567_89AB_CDEF)

    /// n items with ids "p<i>", classes cycling over three names (item 4 has two), snippets.
    static func collection(_ n: Int, bits: Int, seed: UInt64, prefix: String = "p", names: [String] = ["a", "b", "c"],
                           model: ModelFingerprint? = fingerprint) -> IndexedCollection {
        let sets = (0..<n).map { i in i == 4 ? [0, names.count - 1] : [i % names.count] }
        return IndexedCollection(codes: uniformCodes(count: n, bits: bits, seed: seed), ids: (0..<n).map { "\(prefix)\($0)" },
                                 labels: Labels(multiLabel: sets, classCount: names.count), classNames: names,
                                 snippets: (0..<n).map { "snippet é \($0)" },
                                 provenance: model.map { IndexProvenance(fingerprint: $0, description: "test model") })
    }

    func testRoundTripOfEveryFieldAndKind() throws {
        let dir = try TempDirectory()
        for (bits, kind) in [(16, IndexKind.flat), (64, .multiIndexHashing(substrings: nil)), (130, .multiIndexHashing(substrings: 5))] {
            var c = Self.collection(9, bits: bits, seed: UInt64(bits))
            c.kind = kind
            let path = dir.path + "/i\(bits).smhi"
            try IndexFile.write(c, to: path)
            XCTAssertEqual(try IndexFile.read(path), c)
        }
        let bare = IndexedCollection(codes: uniformCodes(count: 3, bits: 8, seed: 1))
        XCTAssertEqual(try IndexFile.decode(IndexFile.encode(bare), source: "t"), bare)
        let empty = IndexedCollection(codes: BinaryCodes(bits: 32), ids: [], provenance: IndexProvenance(fingerprint: Self.fingerprint, description: "m"))
        XCTAssertEqual(try IndexFile.decode(IndexFile.encode(empty), source: "t"), empty)
        // Header fields at their documented offsets.
        let bytes = [UInt8](IndexFile.encode(Self.collection(9, bits: 16, seed: 1)))
        XCTAssertEqual(Array(bytes[0..<8]), Array("SMHI".utf8) + [2, 0, 0, 0])
        XCTAssertEqual(bytes[8], 16)
        XCTAssertEqual(bytes[12], 7, "ids, classes, snippets")
        XCTAssertEqual(bytes[16], 9)
        XCTAssertEqual(UInt32(littleEndianBytes: bytes, at: 60), CRC32.checksum(Array(bytes[0..<60]) + Array(bytes[64...])))
    }

    /// A version-1 file as the previous semhash wrote it: still read, as a flat index without a model.
    func testVersionOneFilesAreStillRead() throws {
        let codes = uniformCodes(count: 3, bits: 16, seed: 4)
        let ids = ["x", "é", ""]
        var payload: [UInt8] = []
        for w in codes.words { withUnsafeBytes(of: w.littleEndian) { payload += $0 } }
        for id in ids { withUnsafeBytes(of: UInt32(id.utf8.count).littleEndian) { payload += $0 }; payload += Array(id.utf8) }
        var header: [UInt8] = Array("SMHI".utf8)
        for v in [UInt32(1), 16, 1] { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
        for v in [UInt64(3), UInt64(payload.count)] { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
        withUnsafeBytes(of: CRC32.checksum(header + payload).littleEndian) { header += $0 }
        header += [0, 0, 0, 0]
        let read = try IndexFile.decode(Data(header + payload), source: "old.smhi")
        XCTAssertEqual(read, IndexedCollection(codes: codes, ids: ids))
        XCTAssertEqual(read.kind, .flat)
        XCTAssertNil(read.provenance)
        var reserved = header + payload
        reserved[37] = 1
        assertMalformed("old.smhi, offset 36", reasonContains: "version-1") { try IndexFile.decode(Data(reserved), source: "old.smhi") }
    }

    /// Re-checksums a damaged file so the damage reaches the field checks behind the checksum.
    static func resealed(_ bytes: [UInt8]) -> Data {
        var b = bytes
        let sum = CRC32.checksum(Array(b[0..<60]) + Array(b[64...]))
        for i in 0..<4 { b[60 + i] = UInt8(truncatingIfNeeded: sum >> UInt32(8 * i)) }
        return Data(b)
    }

    func testDamagedAndHostileFilesAreRefusedNamingTheOffset() throws {
        let good = [UInt8](IndexFile.encode(Self.collection(10, bits: 32, seed: 1)))
        // Every header byte is covered by the checksum (bytes 36–39 were not in version 1).
        for offset in 0..<64 {
            var b = good
            b[offset] ^= 0x01
            XCTAssertThrowsError(try IndexFile.decode(Data(b), source: "db.smhi"), "byte \(offset)") { error in
                guard case .malformedInput(let location, _) = error as? SemanticHashingError else { return XCTFail("\(offset): \(error)") }
                XCTAssertTrue(location.hasPrefix("db.smhi"))
            }
        }
        for length in 0..<good.count { XCTAssertThrowsError(try IndexFile.decode(Data(good.prefix(length)), source: "t"), "\(length) bytes") }

        func set64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> UInt64(8 * i)) } }
        func set32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) { for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) } }
        var count = good; set64(&count, 16, UInt64.max / 2)
        assertMalformed("db.smhi, offset 16", reasonContains: "need more bytes") { try IndexFile.decode(Self.resealed(count), source: "db.smhi") }
        var metadata = good; set64(&metadata, 24, 1 << 40)
        assertMalformed("db.smhi, offset 24") { try IndexFile.decode(Self.resealed(metadata), source: "db.smhi") }
        // The first record is the id of item 0: a length far past the end, then bytes that are not UTF-8.
        let metadataLength = Int(UInt64(littleEndianBytes: good, at: 24))
        let firstRecord = 64 + 10 * 8 + metadataLength
        var idLength = good; set32(&idLength, firstRecord, 0xFFFF_FFF0)
        assertMalformed("db.smhi, offset \(firstRecord + 4)", reasonContains: "id of item 0") {
            try IndexFile.decode(Self.resealed(idLength), source: "db.smhi")
        }
        var notUTF8 = good; notUTF8[firstRecord + 4] = 0xFF
        assertMalformed("db.smhi, offset \(firstRecord + 4)", reasonContains: "not UTF-8") { try IndexFile.decode(Self.resealed(notUTF8), source: "db.smhi") }
        var classIndex = good; set32(&classIndex, firstRecord + 4 + 2 + 4, 99)   // id "p0", class count 1, class 99
        assertMalformed("db.smhi", reasonContains: "class 99") { try IndexFile.decode(Self.resealed(classIndex), source: "db.smhi") }
        var kind = good; set32(&kind, 40, 7)
        assertMalformed("db.smhi, offset 40") { try IndexFile.decode(Self.resealed(kind), source: "db.smhi") }
        var json = good; json[64 + 80] = UInt8(ascii: "[")
        assertMalformed("db.smhi, offset 144", reasonContains: "metadata") { try IndexFile.decode(Self.resealed(json), source: "db.smhi") }
        // Duplicate ids written by someone else are refused on reading.
        var twice = Self.collection(3, bits: 8, seed: 2)
        try twice.remove(ids: ["p2"], source: "t")
        let duplicated = [UInt8](IndexFile.encode(twice)).replacing(Array("p1".utf8), with: Array("p0".utf8))
        assertMalformed("dup.smhi", reasonContains: "share the id 'p0'") { try IndexFile.decode(Self.resealed(duplicated), source: "dup.smhi") }
    }

    func testAppendRemoveAndMergeRoundTrip() throws {
        let a = Self.collection(7, bits: 24, seed: 1, prefix: "a")
        let b = Self.collection(5, bits: 24, seed: 2, prefix: "b", names: ["c", "d"])
        var ab = a
        try ab.append(b, source: "b")
        XCTAssertEqual(ab.count, 12)
        XCTAssertEqual(ab.classNames, ["a", "b", "c", "d"], "names matched by name, new ones appended")
        XCTAssertEqual(ab.classes(of: 4), ["a", "c"])
        XCTAssertEqual(ab.classes(of: 7 + 4), ["c", "d"], "b's classes 0, 1 are the merged 2, 3")
        for i in 0..<5 { XCTAssertEqual(ab.item(at: 7 + i), b.item(at: i)) }
        XCTAssertEqual(ab.codes.gathering(7..<12), b.codes)
        XCTAssertEqual(try IndexedCollection.merging([(a, "a"), (b, "b")]), ab)

        var back = ab
        let removed = try back.remove(ids: (0..<5).map { "b\($0)" }, source: "ab")
        XCTAssertEqual(removed, Array(7..<12))
        XCTAssertEqual(back, a, "class names only b used ('d') go with b's items")

        // Refusals leave the collection as it was.
        var unchanged = ab
        XCTAssertThrowsError(try unchanged.remove(ids: ["a1", "zz"], source: "ab")) { XCTAssertTrue("\($0)".contains("'zz'")) }
        XCTAssertThrowsError(try unchanged.append(a, source: "again")) { XCTAssertTrue("\($0)".contains("'a0'"), "\($0)") }
        let otherModel = Self.collection(2, bits: 24, seed: 3, prefix: "o", model: ModelFingerprint(value: 42))
        XCTAssertThrowsError(try unchanged.append(otherModel, source: "other.smhi")) { error in
            XCTAssertTrue("\(error)".contains("000000000000002a") && "\(error)".contains(Self.fingerprint.description), "\(error)")
        }
        XCTAssertThrowsError(try unchanged.append(Self.collection(2, bits: 16, seed: 3, prefix: "s"), source: "short"))
        XCTAssertThrowsError(try unchanged.append(Self.collection(2, bits: 24, seed: 3, prefix: "n", model: nil), source: "bare"))
        XCTAssertEqual(unchanged, ab)
    }

    /// Sharded search = search of the concatenation, for flat and MIH shards, with many ties.
    func testShardedSearchEqualsSearchOfTheMergedIndex() {
        for bits in [8, 32, 70] {
            let all = clusteredCodes(count: 900, bits: bits, seed: UInt64(bits))
            let cuts = [0, 250, 251, 600, 900]
            let parts = (0..<4).map { all.gathering(cuts[$0]..<cuts[$0 + 1]) }
            let queries = uniformCodes(count: 20, bits: bits, seed: 9)
            let shards: [any HammingIndex] = parts.enumerated().map { s, p in
                s % 2 == 0 ? LinearScanIndex(codes: p, threads: 1) as any HammingIndex : MultiIndexHashingIndex(codes: p, threads: 1)
            }
            let sharded = ShardedIndex(shards: shards)
            for k in [1, 10, 300, 1000] {
                XCTAssertEqual(sharded.search(queries, k: k), BruteForceSearch.search(all, queries, k: k), "bits \(bits), k \(k)")
            }
            XCTAssertEqual(sharded.rangeSearch(queries, radius: bits / 4), BruteForceSearch.rangeSearch(all, queries, radius: bits / 4))
            XCTAssertEqual(sharded.codes, all)
            XCTAssertEqual(sharded.locate(251).shard, 2)
            XCTAssertEqual(sharded.locate(250).shard, 1, "shard 1 holds one item, 250")
            XCTAssertEqual(sharded.locate(899).position, 299)
        }
    }

    func testCodeUsageHandComputed() {
        // Four 4-bit codes: 1010 twice, 1000, 1110. Bit 0 always 1, bit 3 always 0.
        let codes = try! CodeListing(parsing: "1010\n1010\n1000\n1110\n", source: "t").codes
        let usage = CodeUsage(codes)
        XCTAssertEqual(usage.distinctCodes, 3)
        XCTAssertEqual(usage.largestBucket, 2)
        XCTAssertEqual(usage.largestBucketExample, 0)
        XCTAssertEqual(usage.largestShare, 0.5)
        XCTAssertEqual(usage.onesShare, [1, 0.25, 0.75, 0])
        XCTAssertEqual(usage.constantBits, [0, 3])
        XCTAssertEqual(usage.bucketEntropy, 1.5, accuracy: 1e-12)   // −(½ log ½ + 2 · ¼ log ¼)
        XCTAssertEqual(usage.meanImbalance, (0.5 + 0.25 + 0.25 + 0.5) / 4, accuracy: 1e-12)
        XCTAssertEqual(usage.warnings().count, 1, "4 items are too few for a bucket warning; the constant bits are named")
        XCTAssertTrue(usage.warnings()[0].contains("bits 0, 3"), usage.warnings()[0])
        // 30 items, 3 in one code (10 % > 5 %): warned, naming the code.
        var rows = (0..<27).map { i in (0..<8).map { (i >> $0) & 1 == 1 } }
        rows += Array(repeating: [true, true, true, true, true, true, true, true], count: 3)
        let many = BinaryCodes(bits: rows, bits: 8)
        let warnings = CodeUsage(many).warnings { many.hexString(at: $0) }
        XCTAssertTrue(warnings.contains { $0.hasPrefix("3 of 30 items (10.0 %) share one code (ff)") }, "\(warnings)")
        XCTAssertEqual(CodeUsage(many).crowdedBuckets, [CodeUsage.Bucket(first: 27, count: 3)])
        XCTAssertEqual(usage.crowdedBuckets, [], "under 20 items nothing is called crowded")
        // The two-pass heavy-hitter count finds exactly the buckets a full count finds.
        for (seed, bits) in [(1, 4), (2, 6), (3, 70), (4, 12)] as [(UInt64, Int)] {
            let codes = clusteredCodes(count: 400, bits: bits, seed: seed)
            XCTAssertEqual(CodeUsage.crowdedBuckets(codes), CodeUsage(codes).crowdedBuckets, "seed \(seed), \(bits) bits")
        }
        XCTAssertFalse(CodeUsage.crowdedBuckets(clusteredCodes(count: 400, bits: 4, seed: 1)).isEmpty, "4-bit codes crowd")
        XCTAssertEqual(CodeUsage.crowdedBuckets(many), [CodeUsage.Bucket(first: 27, count: 3)])
    }

    func testSnippetsSkipMailHeadersAndCollapseSpace() {
        XCTAssertEqual(IndexedItem.snippet(of: "From: a@b.org\nSubject: orbits\n  continued\n\nI have  a\nquestion\n"), "I have a question")
        XCTAssertEqual(IndexedItem.snippet(of: "From: a@b\nArticle-I.D.: snoopy.1\nLines: 3\n\nbody"), "body")
        XCTAssertEqual(IndexedItem.snippet(of: "Note: this is text\n\nbody"), "Note: this is text body", "one colon line is not a header block")
        XCTAssertEqual(IndexedItem.snippet(of: "Dear all: hello\nSee: this\n\nbody"), "Dear all: hello See: this body", "a blank in the name: not a header")
        XCTAssertEqual(IndexedItem.snippet(of: "plain   text\twith\nbreaks"), "plain text with breaks")
        XCTAssertEqual(IndexedItem.snippet(of: "From: a\nTo: b\n\n   \n"), "From: a To: b", "headers with an empty body are kept")
        XCTAssertEqual(IndexedItem.snippet(of: "abcdef", limit: 3), "abc…")
        XCTAssertEqual(IndexedItem.snippet(of: "abc", limit: 0), "")
    }
}

private extension Array where Element == UInt8 {
    func replacing(_ old: [UInt8], with new: [UInt8]) -> [UInt8] {
        var out = self
        var i = 0
        while i + old.count <= out.count {
            if Array(out[i..<i + old.count]) == old { out.replaceSubrange(i..<i + old.count, with: new); i += new.count } else { i += 1 }
        }
        return out
    }
}

extension FixedWidthInteger {
    /// A little-endian integer from `bytes` at `offset`.
    init(littleEndianBytes bytes: [UInt8], at offset: Int) {
        var v = Self.zero
        for b in 0..<MemoryLayout<Self>.size { v |= Self(truncatingIfNeeded: bytes[offset + b]) << (8 * b) }
        self = v
    }
}
