import Foundation

/// A text file with one labelled document a line: terms separated by blanks, the class label
/// as the last token (the Snippets format, also `text:FILE`).
///
/// Rules: blank lines are skipped (so a trailing newline or an empty last line is fine); a line
/// holding a single token has a label but no terms and is an error, as is a file with no document
/// at all. Each line is decoded by `encoding` (default `auto`: a line that is not valid UTF-8 is
/// read as Windows-1252 and counted in `fallbackLines`). Errors name `file:line`.
///
/// ```swift
/// let f = try LabelledLineFile(path: "snippets/train.txt")
/// f.entries[0].label   // "business"
/// f.entries[0].text    // the line without its label
/// ```
struct LabelledLineFile {
    struct Entry {
        /// 1-based line number in the file.
        let line: Int
        /// The line without its label (and without surrounding blanks).
        let text: String
        let label: String
    }

    let path: String
    let entries: [Entry]
    /// Lines that were not valid UTF-8 and were decoded as Windows-1252 (`auto` only).
    let fallbackLines: Int

    init(path: String, encoding: TextEncoding = .auto) throws {
        self.path = path
        let data = try readFile(path)
        var entries: [Entry] = []
        var lineNumber = 0
        var failure: SemanticHashingError?
        var fallbackLines = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
            var start = 0
            while start < bytes.count && failure == nil {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let lineStart = start
                start = end + 1
                // Work on bytes (blanks are ASCII), so a 12 000-line file costs milliseconds.
                var hi = end
                while hi > lineStart && isBlank(bytes[hi - 1]) { hi -= 1 }
                var lo = lineStart
                while lo < hi && isBlank(bytes[lo]) { lo += 1 }
                guard lo < hi else { continue }
                let decoded: (text: String, fellBack: Bool)
                do {
                    decoded = try encoding.decode(UnsafeBufferPointer(rebasing: bytes[lo..<hi]), location: "\(path):\(lineNumber)")
                } catch {
                    failure = error as? SemanticHashingError
                    return
                }
                if decoded.fellBack { fallbackLines += 1 }
                if decoded.fellBack || encoding != .utf8 && encoding != .auto {
                    // Not UTF-8 bytes: split the decoded text instead (blanks are the same ASCII bytes).
                    var tokens = decoded.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                    guard tokens.count >= 2 else {
                        failure = .malformedInput(location: "\(path):\(lineNumber)",
                                                  reason: "only one token ('\(tokens.first ?? "")'): a label with no terms")
                        return
                    }
                    let label = String(tokens.removeLast())
                    let body = decoded.text[..<decoded.text.range(of: label, options: .backwards)!.lowerBound]
                    entries.append(Entry(line: lineNumber, text: body.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r")), label: label))
                    continue
                }
                var labelStart = hi
                while labelStart > lo && !isBlank(bytes[labelStart - 1]) { labelStart -= 1 }
                let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[labelStart..<hi]), as: UTF8.self)
                var textEnd = labelStart
                while textEnd > lo && isBlank(bytes[textEnd - 1]) { textEnd -= 1 }
                guard textEnd > lo else {
                    failure = .malformedInput(location: "\(path):\(lineNumber)",
                                              reason: "only one token ('\(label)'): a label with no terms")
                    return
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<textEnd]), as: UTF8.self)
                entries.append(Entry(line: lineNumber, text: text, label: label))
            }
        }
        if let failure { throw failure }
        self.fallbackLines = fallbackLines
        guard !entries.isEmpty else {
            throw SemanticHashingError.malformedInput(location: path, reason: "empty file: no labelled lines")
        }
        self.entries = entries
    }
}
