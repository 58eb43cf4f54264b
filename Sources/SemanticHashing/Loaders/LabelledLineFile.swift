/// A UTF-8 text file with one labelled document a line: terms separated by blanks, the class label
/// as the last token (the Snippets format, also `text:FILE`).
///
/// Rules: blank lines are skipped (so a trailing newline or an empty last line is fine); a line
/// holding a single token has a label but no terms and is an error, as is a line that is not valid
/// UTF-8, and a file with no document at all. Errors name `file:line`.
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

    init(path: String) throws {
        self.path = path
        let data = try readFile(path)
        var entries: [Entry] = []
        var lineNumber = 0
        var failure: SemanticHashingError?
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
                guard String(validating: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), as: UTF8.self) != nil else {
                    failure = .malformedInput(location: "\(path):\(lineNumber)", reason: "not valid UTF-8")
                    return
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
        guard !entries.isEmpty else {
            throw SemanticHashingError.malformedInput(location: path, reason: "empty file: no labelled lines")
        }
        self.entries = entries
    }
}
