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
            var start = 0
            while start < bytes.count && failure == nil {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                guard let line = String(validating: slice, as: UTF8.self) else {
                    failure = .malformedInput(location: "\(path):\(lineNumber)", reason: "not valid UTF-8")
                    return
                }
                let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                guard let last = tokens.last else { continue }
                guard tokens.count >= 2 else {
                    failure = .malformedInput(location: "\(path):\(lineNumber)",
                                              reason: "only one token ('\(last)'): a label with no terms")
                    return
                }
                let text = line[line.startIndex..<last.startIndex].trimmingCharacters(in: " \t\r")
                entries.append(Entry(line: lineNumber, text: text, label: String(last)))
            }
        }
        if let failure { throw failure }
        guard !entries.isEmpty else {
            throw SemanticHashingError.malformedInput(location: path, reason: "empty file: no labelled lines")
        }
        self.entries = entries
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var lo = startIndex, hi = endIndex
        while lo < hi, set.contains(self[lo]) { lo = index(after: lo) }
        while hi > lo, set.contains(self[index(before: hi)]) { hi = index(before: hi) }
        return String(self[lo..<hi])
    }
}
