import Foundation

/// Hand-rolled writers for binary fixtures (MAT v5, gzip/zlib, NPY, IDX), so the readers can be
/// tested without external files. Compressed streams use deflate "stored" blocks, which every
/// inflater must accept.
enum FixtureWriters {
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }

    /// Raw deflate data made of stored blocks.
    static func storedDeflate(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var chunks = stride(from: 0, to: data.count, by: 65_535).map { Array(data[$0..<min($0 + 65_535, data.count)]) }
        if chunks.isEmpty { chunks = [[]] }
        for (k, chunk) in chunks.enumerated() {
            out.append(k == chunks.count - 1 ? 1 : 0)
            let n = UInt16(chunk.count)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)]
            out += chunk
        }
        return out
    }

    static func zlib(_ data: [UInt8]) -> [UInt8] {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return [0x78, 0x01] + storedDeflate(data) + be32(b << 16 | a)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func gzip(_ data: [UInt8]) -> [UInt8] {
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff] + storedDeflate(data) + le32(crc32(data)) + le32(UInt32(data.count))
    }

    // MARK: MAT-file v5 (little-endian)

    static func matHeader() -> [UInt8] {
        var h = Array("MATLAB 5.0 MAT-file, written by semhash tests".utf8)
        h += [UInt8](repeating: 0x20, count: 116 - h.count)
        h += [UInt8](repeating: 0, count: 8)
        h += [0x00, 0x01, UInt8(ascii: "I"), UInt8(ascii: "M")]
        return h
    }

    /// A data element; `small` uses the 4-byte tag form (payload ≤ 4 bytes).
    static func element(_ type: UInt32, _ payload: [UInt8], small: Bool = false) -> [UInt8] {
        if small {
            precondition(payload.count <= 4)
            return le32(UInt32(payload.count) << 16 | type) + payload + [UInt8](repeating: 0, count: 4 - payload.count)
        }
        let pad = (8 - payload.count % 8) % 8
        return le32(type) + le32(UInt32(payload.count)) + payload + [UInt8](repeating: 0, count: pad)
    }

    static func doubles(_ v: [Double]) -> [UInt8] { v.flatMap { d -> [UInt8] in let b = d.bitPattern; return le32(UInt32(b & 0xFFFF_FFFF)) + le32(UInt32(b >> 32)) } }
    static func int32s(_ v: [Int]) -> [UInt8] { v.flatMap { le32(UInt32(bitPattern: Int32($0))) } }

    /// A dense miMATRIX of class mxDOUBLE (6), values column-major, stored as `storage` type.
    static func denseMatrix(_ name: String, rows: Int, columns: Int, columnMajor: [Double], asUInt8: Bool = false) -> [UInt8] {
        let flags = element(6, le32(asUInt8 ? 9 : 6) + le32(0))
        let dims = element(5, int32s([rows, columns]))
        let nameBytes = Array(name.utf8)
        let nameElement = nameBytes.count <= 4 ? element(1, nameBytes, small: true) : element(1, nameBytes)
        let real = asUInt8 ? element(2, columnMajor.map { UInt8($0) }) : element(9, doubles(columnMajor))
        return element(14, flags + dims + nameElement + real)
    }

    /// A sparse miMATRIX (mxSPARSE_CLASS = 5) from CSC arrays.
    static func sparseMatrix(_ name: String, rows: Int, columns: Int, ir: [Int], jc: [Int], pr: [Double]) -> [UInt8] {
        let flags = element(6, le32(5) + le32(UInt32(max(1, pr.count))))
        let dims = element(5, int32s([rows, columns]))
        let nameBytes = Array(name.utf8)
        let nameElement = nameBytes.count <= 4 ? element(1, nameBytes, small: true) : element(1, nameBytes)
        return element(14, flags + dims + nameElement + element(5, int32s(ir)) + element(5, int32s(jc)) + element(9, doubles(pr)))
    }

    /// CSC arrays of a dense row-major matrix.
    static func csc(_ rowsOfValues: [[Double]]) -> (ir: [Int], jc: [Int], pr: [Double]) {
        let r = rowsOfValues.count, c = rowsOfValues.first?.count ?? 0
        var ir: [Int] = [], jc = [0], pr: [Double] = []
        for j in 0..<c {
            for i in 0..<r where rowsOfValues[i][j] != 0 { ir.append(i); pr.append(rowsOfValues[i][j]) }
            jc.append(ir.count)
        }
        return (ir, jc, pr)
    }

    /// An miCOMPRESSED element wrapping `element`.
    static func compressed(_ element: [UInt8]) -> [UInt8] {
        let z = zlib(element)
        return le32(15) + le32(UInt32(z.count)) + z
    }
}
