/// What a search hit shows about one indexed document: its stable id, its classes and a short
/// snippet of its body. Any field may be missing (an index built from bare codes has none).
///
/// ```
/// id       "sci.space/60151"          (relative path, FILE:LINE, a JSON Lines id, …)
/// classes  ["sci.space"]
/// snippet  "I have a question about the orbit of …"
/// ```
///
/// ```swift
/// let item = collection.item(at: hit.index)
/// print(item.id ?? "#\(hit.index)", item.classes.joined(separator: ","), item.snippet ?? "")
/// ```
public struct IndexedItem: Sendable, Equatable {
    public var id: String?
    public var classes: [String]
    public var snippet: String?

    public init(id: String?, classes: [String] = [], snippet: String? = nil) {
        self.id = id
        self.classes = classes
        self.snippet = snippet
    }

    /// A one-line snippet of a document's body: a leading block of mail/news header lines
    /// (`Key: value` lines up to the first blank line, as in 20 Newsgroups posts) is skipped, runs
    /// of white space become one space, and the text is cut to `limit` characters (then "…").
    ///
    /// ```
    /// "From: a@b\nSubject: orbits\n\nI have  a\nquestion"  →  "I have a question"
    /// ```
    public static func snippet(of text: String, limit: Int = 200) -> String {
        guard limit > 0 else { return "" }
        let body = bodyAfterHeaders(text)
        var out = String.UnicodeScalarView()
        var length = 0
        var pendingSpace = false
        for scalar in body.unicodeScalars {
            let blank = scalar.isASCII ? (scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D))
                                       : scalar.properties.isWhitespace
            if blank { pendingSpace = length > 0; continue }
            if length >= limit { out.append("…"); break }
            if pendingSpace { out.append(" "); pendingSpace = false; length += 1 }
            out.append(scalar)
            length += 1
        }
        return String(out)
    }

    /// `text` after a leading header block: at least two lines of the form `Name: value` (name of
    /// printable ASCII without blanks, as RFC 5322 allows, e.g. "Article-I.D."; continuation lines
    /// start with a blank), ended by a blank line. Text
    /// without such a block, or whose body after it is blank, is returned whole.
    static func bodyAfterHeaders(_ text: String) -> Substring {
        var headerLines = 0
        var index = text.startIndex
        while index < text.endIndex {
            let lineEnd = text[index...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[index..<lineEnd]
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard headerLines >= 2 else { return Substring(text) }
                let body = text[next...]
                return body.contains(where: { !$0.isWhitespace }) ? body : Substring(text)
            }
            if line.first == " " || line.first == "\t" {
                guard headerLines > 0 else { return Substring(text) }   // a continuation line
            } else {
                guard let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                      line[..<colon].allSatisfy({ $0.isASCII && $0 > " " && $0 != "\u{7F}" }) else {
                    return Substring(text)
                }
                headerLines += 1
            }
            index = next
        }
        return Substring(text)
    }
}
