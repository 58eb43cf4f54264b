import Foundation

/// Reads the numeric variables of a MATLAB level-5 MAT-file (the format of `scipy.io.savemat`
/// and MATLAB's `save -v7`): dense numeric and logical arrays and sparse matrices, in
/// uncompressed or `miCOMPRESSED` (zlib) elements, little- or big-endian. Variables of other
/// classes (cells, structs, chars, objects) are skipped; complex arrays keep their real part.
///
/// Layout: a 128-byte header (text, subsystem offset, version, endian indicator "IM"/"MI"), then
/// data elements, each an 8-byte tag (type, byte count) or a 4-byte "small element" tag, padded
/// to 8 bytes. A matrix element holds array flags (class), dimensions, name, then the real part
/// (column-major) or, for sparse, row indices `ir`, column starts `jc` and values `pr`.
///
/// ```swift
/// let vars = try MATFileReader.read(path: "ng20.tfidf.mat")
/// if case .sparse(let x)? = vars["train"] { print(x.rows, x.columns) }
/// ```
public enum MATFileReader {
    /// A numeric 2-D array as stored: dense column-major, or compressed sparse column.
    public enum Array: Sendable, Equatable {
        case dense(rows: Int, columns: Int, columnMajor: [Double])
        case sparse(SparseColumns)

        public var rows: Int { switch self { case .dense(let r, _, _): return r; case .sparse(let s): return s.rows } }
        public var columns: Int { switch self { case .dense(_, let c, _): return c; case .sparse(let s): return s.columns } }
    }

    /// A sparse matrix in MATLAB's compressed-sparse-column form.
    public struct SparseColumns: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
        /// Row index of each stored value (`ir`).
        public var rowIndices: [Int]
        /// Where each column's values start (`jc`), `columns + 1` entries.
        public var columnStarts: [Int]
        public var values: [Double]

        /// The matrix as CSR (rows stay rows).
        public func toCSR() -> SparseMatrix {
            transposedCSR().transposedShape(rows: rows, columns: columns)
        }

        /// CSC of A read as CSR of Aᵀ: no data movement needed.
        public func transposedCSR() -> SparseMatrix {
            SparseMatrix(rows: columns, columns: rows, rowStart: columnStarts, columnIndices: rowIndices.map { Int32($0) },
                         values: values.map { Float($0) })
        }
    }

    // Data types (miXXX) and array classes (mxXXX) of the format.
    static let miINT8: UInt32 = 1, miUINT8: UInt32 = 2, miINT16: UInt32 = 3, miUINT16: UInt32 = 4, miINT32: UInt32 = 5,
               miUINT32: UInt32 = 6, miSINGLE: UInt32 = 7, miDOUBLE: UInt32 = 9, miINT64: UInt32 = 12, miUINT64: UInt32 = 13,
               miMATRIX: UInt32 = 14, miCOMPRESSED: UInt32 = 15, miUTF8: UInt32 = 16
    static let mxSPARSE: UInt32 = 5, mxDOUBLE: UInt32 = 6, mxUINT64: UInt32 = 15

    public static func read(path: String) throws -> [String: Array] {
        let bytes = [UInt8](try readFile(path))
        guard bytes.count >= 128 else {
            throw SemanticHashingError.malformedInput(location: "\(path), offset 0", reason: "too short for a MAT-file header (\(bytes.count) bytes)")
        }
        let bigEndian: Bool
        switch (bytes[126], bytes[127]) {
        case (UInt8(ascii: "I"), UInt8(ascii: "M")): bigEndian = false
        case (UInt8(ascii: "M"), UInt8(ascii: "I")): bigEndian = true
        default:
            if bytes.starts(with: Swift.Array("MATLAB 7.3".utf8)) || bytes.starts(with: [0x89, 0x48, 0x44, 0x46]) {
                throw SemanticHashingError.malformedInput(location: "\(path), offset 0", reason: "a MAT-file v7.3 (HDF5) is not supported; save with -v7")
            }
            throw SemanticHashingError.malformedInput(location: "\(path), offset 126", reason: "not a MAT-file v5 (no 'IM'/'MI' endian indicator)")
        }
        var variables: [String: Array] = [:]
        let top = Cursor(bytes: bytes, bigEndian: bigEndian, location: { "\(path), offset \($0)" })
        var offset = 128
        while offset < bytes.count {
            // Trailing padding of fewer than 8 bytes is tolerated.
            if bytes.count - offset < 8 && bytes[offset...].allSatisfy({ $0 == 0 }) { break }
            let tag = try top.tag(at: offset)
            let end = tag.dataStart + tag.size
            guard end <= bytes.count else { throw top.error(offset, "element of \(tag.size) bytes runs past the end of the file (truncated?)") }
            if tag.type == miCOMPRESSED {
                let inner = try Zlib.inflate(Swift.Array(bytes[tag.dataStart..<end]), format: .zlib, location: top.location(offset),
                                             limit: LoaderLimits.maximumInflatedBytes)
                let cursor = Cursor(bytes: inner, bigEndian: bigEndian,
                                    location: { "\(path), offset \(offset) (compressed element), inner offset \($0)" })
                var innerOffset = 0
                while innerOffset + 8 <= inner.count {
                    let t = try cursor.tag(at: innerOffset)
                    if t.type == miMATRIX, let (name, array) = try matrix(cursor, t) { variables[name] = array }
                    innerOffset = cursor.end(t)
                }
                offset = end  // compressed elements are not padded
            } else {
                if tag.type == miMATRIX, let (name, array) = try matrix(top, tag) { variables[name] = array }
                offset = top.end(tag)
            }
        }
        return variables
    }

    static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    struct Tag {
        var type: UInt32
        var size: Int
        var dataStart: Int
        var tagOffset: Int
    }

    /// Bounds-checked, endian-aware reads from one byte buffer.
    struct Cursor {
        let bytes: [UInt8]
        let bigEndian: Bool
        let location: (Int) -> String

        func error(_ offset: Int, _ reason: String) -> SemanticHashingError {
            .malformedInput(location: location(offset), reason: reason)
        }

        func u32(_ at: Int) throws -> UInt32 {
            guard at >= 0, at + 4 <= bytes.count else { throw error(at, "truncated: needed 4 bytes") }
            let b0 = UInt32(bytes[at]), b1 = UInt32(bytes[at + 1]), b2 = UInt32(bytes[at + 2]), b3 = UInt32(bytes[at + 3])
            return bigEndian ? (b0 << 24 | b1 << 16 | b2 << 8 | b3) : (b3 << 24 | b2 << 16 | b1 << 8 | b0)
        }

        /// Reads a tag, normal (8 bytes) or small-element (type and size share the first word).
        func tag(at offset: Int) throws -> Tag {
            let first = try u32(offset)
            if first >> 16 != 0 {
                let size = Int(first >> 16)
                guard size <= 4 else { throw error(offset, "small data element claims \(size) bytes (at most 4)") }
                guard offset + 8 <= bytes.count else { throw error(offset, "truncated small data element") }
                return Tag(type: first & 0xFFFF, size: size, dataStart: offset + 4, tagOffset: offset)
            }
            let size = Int(try u32(offset + 4))
            let tag = Tag(type: first, size: size, dataStart: offset + 8, tagOffset: offset)
            guard tag.dataStart + size <= bytes.count else {
                throw error(offset, "element of \(size) bytes runs past the end of its data (truncated?)")
            }
            return tag
        }

        /// The elements of a numeric data element, converted to Double.
        func numbers(_ t: Tag) throws -> [Double] {
            let width: Int
            switch t.type {
            case miINT8, miUINT8: width = 1
            case miINT16, miUINT16: width = 2
            case miINT32, miUINT32, miSINGLE: width = 4
            case miDOUBLE, miINT64, miUINT64: width = 8
            default: throw error(t.tagOffset, "data type \(t.type) is not numeric")
            }
            guard t.size % width == 0 else { throw error(t.tagOffset, "\(t.size) bytes is not a whole number of \(width)-byte elements") }
            let n = t.size / width
            var out = [Double](repeating: 0, count: n)
            bytes.withUnsafeBufferPointer { b in
                for k in 0..<n {
                    let at = t.dataStart + k * width
                    var raw: UInt64 = 0
                    for j in 0..<width {
                        let byte = UInt64(b[at + (bigEndian ? j : width - 1 - j)])
                        raw = raw << 8 | byte
                    }
                    switch t.type {
                    case miINT8: out[k] = Double(Int8(truncatingIfNeeded: raw))
                    case miUINT8: out[k] = Double(UInt8(truncatingIfNeeded: raw))
                    case miINT16: out[k] = Double(Int16(truncatingIfNeeded: raw))
                    case miUINT16: out[k] = Double(UInt16(truncatingIfNeeded: raw))
                    case miINT32: out[k] = Double(Int32(truncatingIfNeeded: raw))
                    case miUINT32: out[k] = Double(UInt32(truncatingIfNeeded: raw))
                    case miSINGLE: out[k] = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
                    case miDOUBLE: out[k] = Double(bitPattern: raw)
                    case miINT64: out[k] = Double(Int64(bitPattern: raw))
                    default: out[k] = Double(raw)
                    }
                }
            }
            return out
        }

        /// Where the element `t` ends, padding included (a small element always takes 8 bytes).
        func end(_ t: Tag) -> Int {
            t.dataStart == t.tagOffset + 4 ? t.tagOffset + 8 : t.dataStart + padded(t.size)
        }

        /// The elements of an integer data element (indices, dimensions); non-integral or huge
        /// values are malformed rather than a crash.
        func integers(_ t: Tag) throws -> [Int] {
            try numbers(t).map { v in
                guard let i = Int(exactly: v), abs(i) < 1 << 40 else { throw error(t.tagOffset, "\(v) is not a valid index or size") }
                return i
            }
        }

        /// The sub-element after `t` (elements inside a matrix are padded to 8 bytes).
        func next(after t: Tag, limit: Int) throws -> Tag {
            let offset = end(t)
            guard offset + 4 <= limit else { throw error(offset, "matrix element ends early (truncated?)") }
            let n = try tag(at: offset)
            guard n.dataStart + n.size <= limit else { throw error(offset, "sub-element runs past the end of its matrix") }
            return n
        }
    }

    /// Decodes one miMATRIX element; nil for classes we skip.
    static func matrix(_ c: Cursor, _ t: Tag) throws -> (String, Array)? {
        if t.size == 0 { return nil }  // an empty placeholder matrix
        let limit = t.dataStart + t.size
        let flagsTag = try c.tag(at: t.dataStart)
        guard flagsTag.type == miUINT32, flagsTag.size == 8 else { throw c.error(t.dataStart, "matrix without array flags") }
        let flags = try c.u32(flagsTag.dataStart)
        let arrayClass = flags & 0xFF
        let dimsTag = try c.next(after: flagsTag, limit: limit)
        guard dimsTag.type == miINT32, dimsTag.size >= 8 else { throw c.error(dimsTag.tagOffset, "matrix without dimensions") }
        let dims = try c.integers(dimsTag)
        guard dims.allSatisfy({ $0 >= 0 }) else { throw c.error(dimsTag.tagOffset, "negative dimension \(dims)") }
        let nameTag = try c.next(after: dimsTag, limit: limit)
        guard nameTag.type == miINT8 || nameTag.type == miUINT8 || nameTag.type == miUTF8 else {
            throw c.error(nameTag.tagOffset, "matrix without a name")
        }
        let name = String(decoding: c.bytes[nameTag.dataStart..<(nameTag.dataStart + nameTag.size)], as: UTF8.self)
        guard arrayClass == mxSPARSE || (arrayClass >= mxDOUBLE && arrayClass <= mxUINT64) else { return nil }
        guard dims.count == 2 else {
            throw c.error(dimsTag.tagOffset, "variable '\(name)' has \(dims.count) dimensions; only 2-D arrays are supported")
        }
        let rows = dims[0], columns = dims[1]
        // A sparse matrix's shape is not backed by stored bytes (nor is a dense one with a zero
        // side), and the readers allocate per row and per column: bound both before that.
        guard rows <= LoaderLimits.maximumDimension, columns <= LoaderLimits.maximumDimension else {
            throw c.error(dimsTag.tagOffset, "variable '\(name)' is \(rows)×\(columns); each side may be at most \(LoaderLimits.maximumDimension)")
        }
        if arrayClass == mxSPARSE {
            let irTag = try c.next(after: nameTag, limit: limit)
            let jcTag = try c.next(after: irTag, limit: limit)
            let ir = try c.integers(irTag)
            let jc = try c.integers(jcTag)
            guard jc.count == columns + 1, jc.first == 0 else {
                throw c.error(jcTag.tagOffset, "sparse '\(name)': \(jc.count) column starts for \(columns) columns")
            }
            let nnz = jc.last ?? 0
            guard nnz <= ir.count, zip(jc, jc.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw c.error(jcTag.tagOffset, "sparse '\(name)': column starts are not increasing or exceed the \(ir.count) row indices")
            }
            var values: [Double]
            if c.end(jcTag) < limit {
                let prTag = try c.next(after: jcTag, limit: limit)
                values = try c.numbers(prTag)
            } else {
                values = [Double](repeating: 1, count: nnz)  // a logical sparse matrix may omit its values
            }
            guard values.count >= nnz else { throw c.error(jcTag.tagOffset, "sparse '\(name)': \(values.count) values for \(nnz) non-zeros") }
            values = Swift.Array(values.prefix(nnz))
            var rowIndices = Swift.Array(ir.prefix(nnz))
            for col in 0..<columns {
                var previous = -1
                var sorted = true
                for k in jc[col]..<jc[col + 1] {
                    let r = rowIndices[k]
                    guard r >= 0 && r < rows else { throw c.error(irTag.tagOffset, "sparse '\(name)': row index \(r) outside 0..<\(rows)") }
                    if r <= previous { sorted = false }
                    previous = r
                }
                if !sorted {
                    let range = jc[col]..<jc[col + 1]
                    let pairs = range.map { (rowIndices[$0], values[$0]) }.sorted { $0.0 < $1.0 }
                    for (k, p) in zip(range, pairs) { rowIndices[k] = p.0; values[k] = p.1 }
                    for k in range.dropFirst() where rowIndices[k] == rowIndices[k - 1] {
                        throw c.error(irTag.tagOffset, "sparse '\(name)': entry (\(rowIndices[k]), \(col)) stored twice")
                    }
                }
            }
            if let bad = values.firstIndex(where: { !LoaderLimits.fitsFloat($0) }) {
                throw c.error(t.tagOffset, "sparse '\(name)', stored value \(bad): \(LoaderLimits.valueProblem(values[bad]))")
            }
            return (name, .sparse(SparseColumns(rows: rows, columns: columns, rowIndices: rowIndices, columnStarts: jc, values: values)))
        }
        // The real part; for complex arrays (flag 0x0800) the imaginary part follows and is ignored.
        let realTag = try c.next(after: nameTag, limit: limit)
        let values = try c.numbers(realTag)
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, values.count == cells else {
            throw c.error(realTag.tagOffset, "'\(name)' is \(rows)×\(columns) but stores \(values.count) values")
        }
        if let bad = values.firstIndex(where: { !LoaderLimits.fitsFloat($0) }) {
            throw c.error(realTag.tagOffset, "'\(name)', element \(bad) (row \(bad % max(rows, 1)), column \(bad / max(rows, 1))): \(LoaderLimits.valueProblem(values[bad]))")
        }
        return (name, .dense(rows: rows, columns: columns, columnMajor: values))
    }
}

extension SparseMatrix {
    /// Transposes a CSR matrix (used to turn MATLAB's CSC into CSR): counting sort by column.
    func transposedShape(rows newRows: Int, columns newColumns: Int) -> SparseMatrix {
        precondition(newRows == columns && newColumns == rows, "transposedShape: shape mismatch")
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { counts[Int(c) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var next = counts
        var outColumns = [Int32](repeating: 0, count: nonZeroCount)
        var outValues = [Float](repeating: 0, count: nonZeroCount)
        for i in 0..<rows {
            for k in rowStart[i]..<rowStart[i + 1] {
                let j = Int(columnIndices[k])
                outColumns[next[j]] = Int32(i)
                outValues[next[j]] = values[k]
                next[j] += 1
            }
        }
        return SparseMatrix(rows: columns, columns: rows, rowStart: counts, columnIndices: outColumns, values: outValues)
    }
}
