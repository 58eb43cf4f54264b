import Foundation
import XCTest
@testable import SemanticHashing

final class BinaryCodesTests: XCTestCase {
    func testThresholdingPacksBitZeroFirst() {
        // Two 5-bit codes from logits: bit = value > 0.
        let codes = BinaryCodes(thresholding: [1, -1, 0, 2, 0.5, -3, -2, -1, -1, 4], count: 2, bits: 5)
        XCTAssertEqual(codes.binaryString(at: 0), "10011")
        XCTAssertEqual(codes.binaryString(at: 1), "00001")
        XCTAssertEqual(codes.hexString(at: 0), "98")       // 1001 1(000)
        XCTAssertEqual(codes.words, [0b10011 << 59, 0b00001 << 59])
        XCTAssertEqual(BinaryCodes(thresholding: Matrix([[1, -1, 0, 2, 0.5]])), codes.gathering([0]))
    }

    func testTextRoundTripsHexAndBits() throws {
        for bits in [1, 4, 5, 16, 63, 64, 65, 130, 256] {
            let codes = uniformCodes(count: 9, bits: bits, seed: UInt64(bits))
            let ids = (0..<9).map { "doc \($0)" }
            let listing = CodeListing(codes: codes, ids: ids)
            XCTAssertEqual(try CodeListing(parsing: listing.text(hex: true), bits: bits, source: "t"), listing, "hex \(bits)")
            XCTAssertEqual(try CodeListing(parsing: listing.text(hex: false), bits: bits, source: "t"), listing, "bits \(bits)")
            XCTAssertEqual(try CodeListing(parsing: CodeListing(codes: codes).text(hex: false), source: "t").codes, codes)
            if bits % 4 == 0 && bits > 4 {
                // Without a length, hex with any digit beyond 0/1 is read as hex.
                let text = "# comment\n" + CodeListing(codes: codes).text(hex: true).replacingOccurrences(of: "\n", with: "\r\n") + "\n\n"
                let parsed = try CodeListing(parsing: text, source: "t")
                XCTAssertEqual(parsed.codes.bits, bits)
            }
        }
        XCTAssertEqual(try BinaryCodes(parsing: "A3F0", bits: 16).binaryString(at: 0), "1010001111110000")
    }

    func testTextErrorsNameTheLine() {
        func message(_ text: String, bits: Int? = nil) -> String {
            do { _ = try CodeListing(parsing: text, bits: bits, source: "codes.txt"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("ab\nabc\n").hasPrefix("codes.txt:2:"), message("ab\nabc\n"))
        XCTAssertTrue(message("ab\nxz\n").hasPrefix("codes.txt:2:"))
        XCTAssertTrue(message("f\n", bits: 3).contains("padding"))
        XCTAssertTrue(message("ab x\nab\n").hasPrefix("codes.txt:2:"))
        XCTAssertTrue(message("").contains("no codes"))
    }

    func testIndexFileRoundTripAndDamage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semhash-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (bits, ids) in [(16, nil), (64, ["a", "é", ""]), (130, ["x", "y", "z"])] as [(Int, [String]?)] {
            let listing = IndexedCollection(CodeListing(codes: uniformCodes(count: 3, bits: bits, seed: 5), ids: ids))
            let path = dir + "/i\(bits).smhi"
            try IndexFile.write(listing, to: path)
            XCTAssertEqual(try IndexFile.read(path), listing)
        }
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)

        let good = IndexFile.encode(IndexedCollection(codes: uniformCodes(count: 10, bits: 32, seed: 1), ids: (0..<10).map(String.init)))
        var damaged: [(String, Data)] = [("truncated", good.prefix(good.count - 3)), ("header only", good.prefix(20)),
                                         ("empty", Data()), ("foreign", Data("PK\u{3}\u{4} not an index at all, just text".utf8))]
        var flipped = good; flipped[50] ^= 0x10; damaged.append(("bit flip", flipped))
        var version = good; version[4] = 9; damaged.append(("version", version))
        var count = good; count[16] = 0xFF; count[23] = 0x7F; damaged.append(("count", count))
        for (name, data) in damaged {
            XCTAssertThrowsError(try IndexFile.decode(data, source: "db.smhi"), name) { error in
                guard case .malformedInput(let location, _) = error as? SemanticHashingError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(location.hasPrefix("db.smhi"), name)
            }
        }
        // Every truncation of a valid file is rejected, never trapped on.
        for length in stride(from: 0, to: good.count, by: 7) { XCTAssertThrowsError(try IndexFile.decode(good.prefix(length), source: "t")) }
    }
}
