/// The text form of a list of codes: one code per line, either hex digits (bit 0 = most
/// significant bit of the first digit, ⌈bits / 4⌉ digits, padding bits 0) or `0`/`1` characters
/// (bit 0 first), optionally followed by whitespace and an item id (the rest of the line).
/// Blank lines and lines starting with `#` are skipped.
///
/// ```
/// a3f0 doc-17          ← 16-bit code 1010 0011 1111 0000, id "doc-17"
/// 1010001111110000     ← the same code as 0/1 characters
/// ```
///
/// Without a known length, a file whose codes are all `0`/`1` characters is read as bits
/// (bits = line length), anything else as hex (bits = 4 × digits); pass `bits` to read hex codes
/// made only of the digits 0 and 1, or hex codes whose length is not a multiple of 4.
///
/// ```swift
/// let listing = try CodeListing(parsing: text, bits: nil, source: "codes.txt")
/// print(listing.text(hex: true))
/// ```
public struct CodeListing: Sendable, Equatable {
    public var codes: BinaryCodes
    /// One id per code, or nil when the lines carry none.
    public var ids: [String]?

    public init(codes: BinaryCodes, ids: [String]? = nil) {
        precondition(ids.map { $0.count == codes.count } ?? true, "CodeListing: \(ids!.count) ids for \(codes.count) codes")
        self.codes = codes
        self.ids = ids
    }

    /// Parses `text`; errors name `source` and the line.
    public init(parsing text: String, bits knownBits: Int? = nil, source: String) throws {
        var entries: [(line: Int, code: Substring, id: Substring?)] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            let trimmed = line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.count
            let content = line.prefix(trimmed)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if let space = content.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                let id = content[space...].drop { $0 == " " || $0 == "\t" }
                entries.append((lineNumber, content[..<space], id))
            } else {
                entries.append((lineNumber, content, nil))
            }
        }
        let withIds = entries.filter { $0.id != nil }.count
        if withIds != 0 && withIds != entries.count {
            let odd = entries.first { ($0.id == nil) != (withIds < entries.count / 2) }!
            throw SemanticHashingError.malformedInput(location: "\(source):\(odd.line)",
                reason: "some lines carry an item id after the code and some do not; give ids on every line or none")
        }
        guard let first = entries.first else {
            guard let b = knownBits, b > 0 else {
                throw SemanticHashingError.malformedInput(location: source, reason: "no codes (and no code length given)")
            }
            self.init(codes: BinaryCodes(bits: b), ids: nil)
            return
        }
        let bits: Int
        let fileIsBinary: Bool
        if let b = knownBits {
            guard b > 0 else { throw SemanticHashingError.invalidArgument(name: "bits", reason: "must be positive, got \(b)") }
            bits = b
            fileIsBinary = false
        } else {
            fileIsBinary = entries.allSatisfy { $0.code.allSatisfy { $0 == "0" || $0 == "1" } }
            bits = fileIsBinary ? first.code.count : 4 * first.code.count
        }
        let perCode = (bits + 63) / 64
        var words = [UInt64](repeating: 0, count: entries.count * perCode)
        for (i, entry) in entries.enumerated() {
            let location = "\(source):\(entry.line)"
            // With a known length each line says by its length which form it is in.
            let asBinary = knownBits == nil ? fileIsBinary
                : entry.code.count == bits && entry.code.allSatisfy { $0 == "0" || $0 == "1" }
            let digitsNeeded = asBinary ? bits : (bits + 3) / 4
            guard entry.code.count == digitsNeeded else {
                throw SemanticHashingError.malformedInput(location: location,
                    reason: "expected \(digitsNeeded) \(asBinary ? "0/1 characters" : "hex digits")\(knownBits == nil || asBinary ? "" : " (or \(bits) 0/1 characters)") for a \(bits)-bit code, got \(entry.code.count) ('\(entry.code.prefix(80))')")
            }
            var j = 0
            for ch in entry.code.utf8 {
                if asBinary {
                    if ch == UInt8(ascii: "1") { words[i * perCode + j >> 6] |= 1 << UInt64(63 - j & 63) }
                    j += 1
                } else {
                    guard let nibble = Self.hexValue(ch) else {
                        throw SemanticHashingError.malformedInput(location: location,
                            reason: "'\(Character(Unicode.Scalar(ch)))' is not a hex digit (codes are hex or 0/1 characters)")
                    }
                    for b in 0..<4 where (nibble >> (3 - b)) & 1 == 1 {
                        let bit = j + b
                        guard bit < bits else {
                            throw SemanticHashingError.malformedInput(location: location,
                                reason: "the last hex digit sets padding bits beyond bit \(bits - 1)")
                        }
                        words[i * perCode + bit >> 6] |= 1 << UInt64(63 - bit & 63)
                    }
                    j += 4
                }
            }
        }
        let ids = withIds == 0 ? nil : entries.map { String($0.id!) }
        self.init(codes: BinaryCodes(words: words, count: entries.count, bits: bits), ids: ids)
    }

    /// The listing as text: one line per code, hex (or 0/1 characters), then the id if any.
    public func text(hex: Bool = true) -> String {
        var out = ""
        for i in 0..<codes.count {
            out += hex ? codes.hexString(at: i) : codes.binaryString(at: i)
            if let ids { out += " " + ids[i] }
            out += "\n"
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension BinaryCodes {
    /// Code i as ⌈bits / 4⌉ lowercase hex digits (bit 0 = most significant bit of the first digit).
    public func hexString(at i: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bits + 3) / 4)
        for d in 0..<(bits + 3) / 4 {
            let bit = 4 * d
            let word = words[i * wordsPerCode + bit >> 6]
            out.append(digits[Int((word >> UInt64(60 - bit & 63)) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Code i as `bits` characters `0`/`1`, bit 0 first.
    public func binaryString(at i: Int) -> String {
        String(decoding: (0..<bits).map { bit(i, $0) ? UInt8(ascii: "1") : UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// Parses one code (hex or 0/1 characters, as in `CodeListing`) of a known length.
    public init(parsing code: String, bits: Int, source: String = "code") throws {
        let listing = try CodeListing(parsing: code, bits: bits, source: source)
        guard listing.codes.count == 1, listing.ids == nil else {
            throw SemanticHashingError.malformedInput(location: source, reason: "expected exactly one code, got '\(code.prefix(80))'")
        }
        self = listing.codes
    }
}
