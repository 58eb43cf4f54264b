/// Which character runs of a text count as tokens.
///
/// ```swift
/// Tokenizer.tokens(in: "x86_64 rocks", pattern: .words)          // ["x86_64", "rocks"]
/// Tokenizer.tokens(in: "x86_64 rocks", pattern: .asciiLetters)   // ["rocks"]
/// ```
public enum TokenPattern: String, Codable, Sendable {
    /// scikit-learn's default `(?u)\b\w\w+\b`: every maximal run of two or more word characters,
    /// where a word character is, as in Python's `re` module, a letter (categories L*), a
    /// character with a numeric value (N*, and CJK numerals), or `_`. Combining marks are not word
    /// characters, so they split tokens exactly as Python does.
    case words
    /// Every maximal run of two or more ASCII letters `a`–`z` (the 20 Newsgroups recipe); digits,
    /// `_`, apostrophes and non-ASCII characters all separate tokens.
    case asciiLetters
}

/// Splits text into tokens by a `TokenPattern`, scanning the UTF-8 bytes once (no regular
/// expressions: this is the hot loop of every text loader).
///
/// ```swift
/// Tokenizer.tokens(in: "c++ and x86_64 a-b", pattern: .words)         // ["and", "x86_64"]
/// Tokenizer.tokens(in: "Don't x86 stop", pattern: .asciiLetters)     // ["Don", "stop"]
/// ```
/// The text is tokenized as given; callers lower-case first when they want lower-case tokens.
public enum Tokenizer {
    public static func tokens(in text: String, pattern: TokenPattern) -> [String] {
        var out: [String] = []
        forEachToken(in: text, pattern: pattern) { out.append($0) }
        return out
    }

    /// Calls `body` with each token in order.
    public static func forEachToken(in text: String, pattern: TokenPattern, _ body: (String) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            switch pattern {
            case .words: scanWords(bytes, body)
            case .asciiLetters: scanASCIILetters(bytes, body)
            }
        }
    }

    /// Python's `\w` for a code point.
    public static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return asciiWord[Int(scalar.value)] }
        let p = scalar.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return p.numericType != nil
        }
    }

    private static let asciiWord: [Bool] = (0..<128).map { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (String) -> Void) {
        body(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    private static func scanWords(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        var start = -1
        var runLength = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            let isWord: Bool
            let width: Int
            if lead < 0x80 {
                isWord = asciiWord[Int(lead)]
                width = 1
            } else {
                // The buffer is valid UTF-8 (it comes from a Swift String), so decode by the lead byte.
                var value: UInt32
                if lead >= 0xF0 { width = 4; value = UInt32(lead & 0x07) }
                else if lead >= 0xE0 { width = 3; value = UInt32(lead & 0x0F) }
                else { width = 2; value = UInt32(lead & 0x1F) }
                for k in 1..<width where i + k < n { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                isWord = Unicode.Scalar(value).map(isWordCharacter) ?? false
            }
            if isWord {
                if start < 0 { start = i }
                runLength += 1
            } else {
                if runLength >= 2 { emit(bytes, start..<i, body) }
                start = -1
                runLength = 0
            }
            i += width
        }
        if runLength >= 2 { emit(bytes, start..<n, body) }
    }

    private static func scanASCIILetters(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        var start = -1
        let n = bytes.count
        for i in 0...n {
            let letter = i < n && ((bytes[i] | 0x20) >= 0x61 && (bytes[i] | 0x20) <= 0x7A)
            if letter {
                if start < 0 { start = i }
            } else if start >= 0 {
                if i - start >= 2 { emit(bytes, start..<i, body) }
                start = -1
            }
        }
    }
}
