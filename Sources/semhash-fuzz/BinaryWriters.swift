import Foundation

/// Byte builders for the binary fixtures (MAT v5, npy, IDX, gzip with stored blocks, CRC-32).
///
/// ```swift
/// let mat = BinaryWriters.matHeader() + BinaryWriters.denseMatrix("gnd_train", rows: 3, columns: 1, columnMajor: [1, 2, 1])
/// ```
enum BinaryWriters {
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
    static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(v & 0xFFFF_FFFF)) + le32(UInt32(v >> 32)) }
    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }

    static func crc32(_ data: some Sequence<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
        }
        return ~c
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in data { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }

    /// Deflate with stored (uncompressed) blocks.
    static func storedDeflate(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        repeat {
            let n = min(65535, data.count - i)
            out.append(i + n == data.count ? 1 : 0)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[i..<(i + n)]
            i += n
        } while i < data.count
        return out
    }

    static func zlib(_ data: [UInt8]) -> [UInt8] { [0x78, 0x01] + storedDeflate(data) + be32(adler32(data)) }

    static func gzip(_ data: [UInt8]) -> [UInt8] {
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + storedDeflate(data) + le32(crc32(data)) + le32(UInt32(data.count))
    }

    static func matHeader() -> [UInt8] {
        var h = Array("MATLAB 5.0 MAT-file, fuzz fixture".utf8)
        h += [UInt8](repeating: 0x20, count: 116 - h.count)
        h += [UInt8](repeating: 0, count: 8)
        h += [0x00, 0x01, UInt8(ascii: "I"), UInt8(ascii: "M")]
        return h
    }

    static func element(_ type: UInt32, _ payload: [UInt8]) -> [UInt8] {
        var out = le32(type) + le32(UInt32(payload.count)) + payload
        while out.count % 8 != 0 { out.append(0) }
        return out
    }

    static func doubles(_ v: [Double]) -> [UInt8] { v.flatMap { le64($0.bitPattern) } }
    static func int32s(_ v: [Int]) -> [UInt8] { v.flatMap { le32(UInt32(bitPattern: Int32($0))) } }

    static func denseMatrix(_ name: String, rows: Int, columns: Int, columnMajor: [Double]) -> [UInt8] {
        let body = element(6, le32(6) + le32(0)) + element(5, int32s([rows, columns])) + element(1, Array(name.utf8))
            + element(9, doubles(columnMajor))
        return element(14, body)
    }

    /// A sparse matrix from dense rows (CSC).
    static func sparseMatrix(_ name: String, rows values: [[Double]]) -> [UInt8] {
        let r = values.count, c = values.first?.count ?? 0
        var ir: [Int] = [], jc: [Int] = [0], pr: [Double] = []
        for j in 0..<c {
            for i in 0..<r where values[i][j] != 0 { ir.append(i); pr.append(values[i][j]) }
            jc.append(ir.count)
        }
        let body = element(6, le32(5) + le32(UInt32(ir.count))) + element(5, int32s([r, c])) + element(1, Array(name.utf8))
            + element(5, int32s(ir)) + element(5, int32s(jc)) + element(9, doubles(pr))
        return element(14, body)
    }

    static func compressed(_ element: [UInt8]) -> [UInt8] {
        let z = zlib(element)
        return le32(15) + le32(UInt32(z.count)) + z
    }

    static func npy(descr: String, shape: [Int], payload: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + payload
    }
}
