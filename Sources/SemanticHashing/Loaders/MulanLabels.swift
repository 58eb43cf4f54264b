/// Reads the label names of a Mulan label file, strictly, so that a damaged file is an error
/// instead of fewer labels (whose attributes would then silently turn into features):
///
/// ```
/// <?xml version="1.0" encoding="utf-8"?>
/// <labels xmlns="http://mulan.sourceforge.net/labels">
///   <label name="class01"></label>
///   <label name="class02"><label name="class02.1"/></label>   (hierarchies: nested labels)
/// </labels>
/// ```
///
/// Accepted: an optional XML declaration, comments and processing instructions, one root
/// `labels` element holding only `label` elements (nested or not), each with a non-empty,
/// distinct quoted `name`; white space between tags; the five predefined entities and character
/// references in attribute values. Anything else (another element, text, an unclosed or
/// mismatched tag, an unquoted attribute, a second root) is a `malformedInput` naming the line.
///
/// ```swift
/// let names = try MulanLabels.read(path: "tmc2007-500.xml")   // ["class01", …, "class22"]
/// ```
enum MulanLabels {
    static func read(path: String) throws -> [String] {
        try parse([UInt8](try readFile(path)), path: path)
    }

    static func parse(_ bytes: [UInt8], path: String) throws -> [String] {
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        func fail(_ at: Int, _ reason: String) -> SemanticHashingError {
            let line = 1 + bytes[..<min(at, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return .malformedInput(location: "\(path):\(line)", reason: reason)
        }
        // XML forbids NUL anywhere; one inside a quoted value would otherwise pass unseen.
        if let nul = bytes.firstIndex(of: 0) { throw fail(nul, "NUL byte at offset \(nul): not an XML file") }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c >= 0x80
        }
        func skip(until terminator: String, from start: Int) throws -> Int {
            let t = Array(terminator.utf8)
            var j = start
            while j + t.count <= bytes.count {
                if bytes[j] == t[0] && Array(bytes[j..<(j + t.count)]) == t { return j + t.count }
                j += 1
            }
            throw fail(start, "'\(terminator)' missing: the file ends inside a comment or declaration")
        }
        func name(at start: Int) throws -> (String, Int) {
            var j = start
            while j < bytes.count && isNameByte(bytes[j]) { j += 1 }
            guard j > start, let s = String(validating: bytes[start..<j], as: UTF8.self) else { throw fail(start, "expected a name") }
            return (s, j)
        }
        func decodeEntities(_ raw: String, at offset: Int) throws -> String {
            guard raw.contains("&") else { return raw }
            var out = ""
            var rest = raw[...]
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { throw fail(offset, "unterminated entity in '\(raw)'") }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let code: UInt32?
                    if entity.hasPrefix("#x") { code = UInt32(entity.dropFirst(2), radix: 16) }
                    else if entity.hasPrefix("#") { code = UInt32(entity.dropFirst(1)) }
                    else { code = nil }
                    guard let c = code, let scalar = Unicode.Scalar(c) else { throw fail(offset, "unknown entity '&\(entity);'") }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }

        var stack: [String] = []
        var names: [String] = []
        var seen = Set<String>()
        var rootClosed = false
        var sawRoot = false
        while i < bytes.count {
            let c = bytes[i]
            if isSpace(c) { i += 1; continue }
            guard c == UInt8(ascii: "<") else {
                throw fail(i, "unexpected text '\(String(decoding: bytes[i..<min(i + 20, bytes.count)], as: UTF8.self))' (only <label> elements belong here)")
            }
            guard i + 1 < bytes.count else { throw fail(i, "the file ends inside a tag") }
            if bytes[i + 1] == UInt8(ascii: "?") { i = try skip(until: "?>", from: i + 2); continue }
            if bytes[(i + 1)...].starts(with: Array("!--".utf8)) { i = try skip(until: "-->", from: i + 4); continue }
            if bytes[i + 1] == UInt8(ascii: "!") {
                guard !sawRoot else { throw fail(i, "a declaration inside the document") }
                i = try skip(until: ">", from: i + 2)
                continue
            }
            let tagStart = i
            if bytes[i + 1] == UInt8(ascii: "/") {
                let (n, e) = try name(at: i + 2)
                var j = e
                while j < bytes.count && isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: ">") else { throw fail(tagStart, "closing tag </\(n) not ended by '>'") }
                guard let open = stack.last else { throw fail(tagStart, "closing tag </\(n)> without an opening tag") }
                guard open == n else { throw fail(tagStart, "closing tag </\(n)> does not match <\(open)>") }
                stack.removeLast()
                if stack.isEmpty { rootClosed = true }
                i = j + 1
                continue
            }
            let (element, afterName) = try name(at: i + 1)
            guard !rootClosed else { throw fail(tagStart, "a second root element <\(element)> after </labels>") }
            if stack.isEmpty {
                guard element == "labels" else { throw fail(tagStart, "the root element is <\(element)>, expected <labels>") }
                sawRoot = true
            } else {
                guard element == "label" else { throw fail(tagStart, "unexpected element <\(element)> (only <label> elements belong in <labels>)") }
            }
            var attributes: [String: String] = [:]
            var j = afterName
            var selfClosing = false
            while true {
                let beforeSpace = j
                while j < bytes.count && isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count else { throw fail(tagStart, "the file ends inside <\(element)>") }
                if bytes[j] == UInt8(ascii: ">") { j += 1; break }
                if bytes[j] == UInt8(ascii: "/") {
                    guard j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: ">") else { throw fail(j, "'/' not followed by '>' in <\(element)>") }
                    selfClosing = true
                    j += 2
                    break
                }
                guard j > beforeSpace else { throw fail(j, "attributes of <\(element)> must be separated by white space") }
                let (attribute, e) = try name(at: j)
                j = e
                while j < bytes.count && isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "=") else { throw fail(j, "attribute '\(attribute)' of <\(element)> has no '=value'") }
                j += 1
                while j < bytes.count && isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else {
                    throw fail(j, "the value of attribute '\(attribute)' of <\(element)> is not quoted")
                }
                let quote = bytes[j]
                let valueStart = j + 1
                var k = valueStart
                while k < bytes.count && bytes[k] != quote {
                    guard bytes[k] != UInt8(ascii: "<") else { throw fail(k, "'<' inside the value of attribute '\(attribute)'") }
                    k += 1
                }
                guard k < bytes.count else { throw fail(valueStart, "unterminated value of attribute '\(attribute)'") }
                guard let raw = String(validating: bytes[valueStart..<k], as: UTF8.self) else {
                    throw fail(valueStart, "the value of attribute '\(attribute)' is not valid UTF-8")
                }
                guard attributes[attribute] == nil else { throw fail(j, "attribute '\(attribute)' given twice in <\(element)>") }
                attributes[attribute] = try decodeEntities(raw, at: valueStart)
                j = k + 1
            }
            if element == "label" {
                guard let n = attributes["name"], !n.isEmpty else { throw fail(tagStart, "a <label> element without a name") }
                guard seen.insert(n).inserted else { throw fail(tagStart, "label '\(n)' is listed twice") }
                names.append(n)
            }
            if selfClosing {
                if stack.isEmpty { rootClosed = true }
            } else {
                stack.append(element)
            }
            i = j
        }
        guard sawRoot else { throw fail(0, "no <labels> element") }
        guard stack.isEmpty else { throw fail(bytes.count, "the file ends before </\(stack.last!)>") }
        guard !names.isEmpty else { throw fail(0, "no <label name=\"…\"> elements") }
        return names
    }
}
