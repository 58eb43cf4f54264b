import Foundation

/// The bytes of a text file plus the number parsing the text loaders share (libsvm, ARFF, CSV,
/// split files). Loaders walk the bytes directly instead of splitting Strings per line, which is
/// what makes a 20 MB libsvm file load in a fraction of a second.
///
/// ```swift
/// let text = try ByteText(path: "train.svm")
/// text.withBytes { b in /* b[i] … b[text.count] == 0 */ }
/// ```
struct ByteText: Sendable {
    let path: String
    /// The file's bytes followed by one NUL, so `strtod` always stops inside the buffer.
    let bytes: [UInt8]
    var count: Int { bytes.count - 1 }

    init(path: String) throws {
        try self.init(path: path, data: readFile(path))
    }

    /// A NUL byte inside the file is an error: the byte parsers stop at NUL, so accepting one would
    /// silently drop the rest of the file (or the rest of a field).
    init(path: String, data: Data) throws {
        self.path = path
        var b = [UInt8](data)
        if let nul = b.firstIndex(of: 0) {
            let line = 1 + b[..<nul].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw SemanticHashingError.malformedInput(location: "\(path):\(line)", reason: "NUL byte at offset \(nul): not a text file")
        }
        b.append(0)
        bytes = b
    }

    func location(line: Int) -> String { "\(path):\(line)" }

    func malformed(line: Int, _ reason: String) -> SemanticHashingError {
        .malformedInput(location: location(line: line), reason: reason)
    }

    /// The text lines with their 1-based numbers, trailing "\r" removed (for the small files
    /// where per-line Strings cost nothing: headers, class lists, split files).
    func lines() -> [(number: Int, text: Substring)] {
        let s = String(decoding: bytes.dropLast(), as: UTF8.self)
        var out: [(Int, Substring)] = []
        var n = 0
        for raw in s.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            out.append((n, raw.hasSuffix("\r") ? raw.dropLast() : raw))
        }
        if let last = out.last, last.1.isEmpty { out.removeLast() }
        return out
    }
}

/// Byte-level helpers over an `UnsafeBufferPointer<UInt8>` that ends in a NUL.
enum ByteParse {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n"),
               cr = UInt8(ascii: "\r"), comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"),
               hash = UInt8(ascii: "#"), minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"),
               zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == space || c == tab || c == cr }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= zero && c <= nine }
    @inline(__always) static func isLineEnd(_ c: UInt8) -> Bool { c == newline || c == 0 }

    /// Parses a non-negative decimal integer at `i`; returns the value and the index after it,
    /// or nil when there is no digit or the value overflows.
    @inline(__always)
    static func unsignedInt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: Int, end: Int)? {
        var j = i
        var v = 0
        while j < b.count, isDigit(b[j]) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b[j] - zero))
            if o1 || o2 { return nil }
            v = a
            j += 1
        }
        return j == i ? nil : (v, j)
    }

    /// Parses a signed decimal integer ("+3", "-2", "7").
    static func signedInt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: Int, end: Int)? {
        guard i < b.count else { return nil }
        if b[i] == minus { return unsignedInt(b, i + 1).map { (-$0.value, $0.end) } }
        if b[i] == plus { return unsignedInt(b, i + 1) }
        return unsignedInt(b, i)
    }

    /// Parses a floating-point number at `i` with `strtod` (C locale; the buffer's final NUL
    /// stops it). Returns nil when nothing numeric starts at `i`; the caller checks finiteness and
    /// the character after the number.
    @inline(__always)
    static func double(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: Double, end: Int)? {
        guard i < b.count, let base = b.baseAddress else { return nil }
        let c = b[i]
        // strtod would skip leading white space and accept "nan"/"inf"/hex; only let it see
        // things that start like a decimal number, and reject non-finite results at the caller.
        guard isDigit(c) || c == minus || c == plus || c == UInt8(ascii: ".") else { return nil }
        return base.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
            var endPointer: UnsafeMutablePointer<CChar>?
            let v = strtod(p + i, &endPointer)
            guard let e = endPointer else { return nil }
            let end = p.distance(to: UnsafePointer(e))
            return end == i ? nil : (v, end)
        }
    }

    /// A short printable excerpt of the token starting at `i`, for error messages.
    static func token(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> String {
        var j = i
        while j < b.count, j - i < 40, !isBlank(b[j]), !isLineEnd(b[j]) { j += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self)
    }
}
