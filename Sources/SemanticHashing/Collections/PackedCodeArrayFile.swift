import Foundation

/// Codes as a NumPy `.npy` array of packed bytes, N × ⌈B/8⌉ `uint8` (C order), with the item ids
/// one per line in a text file beside it: the layout FAISS's binary indexes take (`IndexBinaryFlat(d)`
/// with d = 8·⌈B/8⌉) and that `numpy.unpackbits` reverses.
///
/// ```
/// byte b of row i = bits 8b … 8b+7 of code i, bit 8b in the most significant place
///                   (= the first 8·⌈B/8⌉ bits of the packed words, big-endian; padding bits 0)
/// .npy: "\x93NUMPY" 1 0, header length 118, {'descr': '|u1', 'fortran_order': False, 'shape': (N, ⌈B/8⌉), }
/// ```
/// Rows are appended as they come and the count is filled in at `finish`, so a stream of unknown
/// length is written in constant memory. Both files are written to temporary names and renamed
/// into place at `finish` (the ids first), so a reader never sees a half-written array.
///
/// ```python
/// codes = numpy.load("codes.npy")                        # N × ⌈B/8⌉ uint8
/// bits  = numpy.unpackbits(codes, axis=1)[:, :B]         # bit j of code i = bits[i, j]
/// index = faiss.IndexBinaryFlat(codes.shape[1] * 8); index.add(codes)
/// ```
public final class PackedCodeArrayFile {
    public let path: String
    public let idsPath: String?
    public let bits: Int
    public var bytesPerRow: Int { (bits + 7) / 8 }
    public private(set) var count = 0
    private let temporaryPath: String
    private let temporaryIDsPath: String?
    private let handle: FileHandle
    private let idsHandle: FileHandle?
    static let headerSize = 128

    /// The ids file beside `path`: "codes.npy" → "codes.ids.txt".
    public static func idsPath(for path: String) -> String {
        (path.hasSuffix(".npy") ? String(path.dropLast(4)) : path) + ".ids.txt"
    }

    public init(path: String, bits: Int, withIDs: Bool) throws {
        self.path = path
        self.bits = bits
        idsPath = withIDs ? Self.idsPath(for: path) : nil
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        func temporary(_ p: String) -> String {
            let url = URL(fileURLWithPath: p)
            return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(tag)").path
        }
        temporaryPath = temporary(path)
        temporaryIDsPath = idsPath.map(temporary)
        func open(_ p: String, for target: String) throws -> FileHandle {
            guard FileManager.default.createFile(atPath: p, contents: nil), let h = FileHandle(forWritingAtPath: p) else {
                throw SemanticHashingError.io(path: target, reason: "cannot create a file here")
            }
            return h
        }
        let ids = idsPath
        handle = try open(temporaryPath, for: path)
        idsHandle = try temporaryIDsPath.map { try open($0, for: ids!) }
        try write(handle, Self.header(count: 0, bytesPerRow: (bits + 7) / 8), target: path)
    }

    deinit {
        // Not finished: leave no temporary files behind.
        try? handle.close()
        try? idsHandle?.close()
        if FileManager.default.fileExists(atPath: temporaryPath) { try? FileManager.default.removeItem(atPath: temporaryPath) }
        if let t = temporaryIDsPath, FileManager.default.fileExists(atPath: t) { try? FileManager.default.removeItem(atPath: t) }
    }

    /// The 128-byte NPY v1.0 header of an N × W uint8 array.
    static func header(count: Int, bytesPerRow: Int) -> Data {
        var dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(count), \(bytesPerRow)), }"
        dict += String(repeating: " ", count: headerSize - 10 - dict.utf8.count - 1) + "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(dict.utf8.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(contentsOf: Array(dict.utf8))
        return out
    }

    /// Appends the codes (and their ids, one per line; an id may not hold a line break).
    public func append(_ codes: BinaryCodes, ids: [String]?) throws {
        precondition(codes.bits == bits, "PackedCodeArrayFile: \(codes.bits)-bit codes for a \(bits)-bit array")
        var rows = [UInt8]()
        rows.reserveCapacity(codes.count * bytesPerRow)
        for i in 0..<codes.count {
            let code = codes.code(at: i)
            for b in 0..<bytesPerRow {
                rows.append(UInt8(truncatingIfNeeded: code[code.startIndex + b / 8] >> UInt64(56 - 8 * (b % 8))))
            }
        }
        try write(handle, Data(rows), target: path)
        if let idsHandle, let idsPath {
            guard let ids, ids.count == codes.count else {
                throw SemanticHashingError.invalidArgument(name: idsPath, reason: "every code needs an id")
            }
            if let bad = ids.first(where: { $0.contains(where: { $0 == "\n" || $0 == "\r" }) }) {
                throw SemanticHashingError.invalidArgument(name: "id", reason: "'\(bad.prefix(60))' holds a line break, which the ids file cannot carry")
            }
            try write(idsHandle, Data(ids.map { $0 + "\n" }.joined().utf8), target: idsPath)
        }
        count += codes.count
    }

    /// Writes the final count into the header and renames both files into place.
    public func finish() throws {
        do {
            try handle.seek(toOffset: 0)
        } catch {
            throw SemanticHashingError.io(path: path, reason: "cannot seek (\(error.localizedDescription))")
        }
        try write(handle, Self.header(count: count, bytesPerRow: bytesPerRow), target: path)
        try handle.close()
        try idsHandle?.close()
        if let t = temporaryIDsPath, let idsPath { try rename(t, to: idsPath) }
        try rename(temporaryPath, to: path)
    }

    private func write(_ h: FileHandle, _ data: Data, target: String) throws {
        do { try h.write(contentsOf: data) } catch {
            throw SemanticHashingError.io(path: target, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    private func rename(_ from: String, to: String) throws {
        if systemRename(from, to) != 0 {
            throw SemanticHashingError.io(path: to, reason: "cannot rename the temporary file into place (\(String(cString: strerror(errno))))")
        }
    }
}

/// rename(2), named apart from `PackedCodeArrayFile.rename`.
private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
