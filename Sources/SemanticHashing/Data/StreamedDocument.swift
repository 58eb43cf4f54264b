import Foundation

/// One document read from a stream, one per line, in one of two forms:
///
/// ```
/// text   the line is the document; its id is the line number ("17")
/// jsonl  {"id": "sci.space/60151", "text": "…", "class": "sci.space"}     ("classes": [...] for several;
///        id a string or an integer, default the line number; other fields are ignored)
/// ```
/// Blank lines are skipped (they are not documents; line numbers still count them). A text line
/// that is not valid UTF-8 is decoded with U+FFFD for the bad bytes and marked, so the caller can
/// warn; a JSON line must be valid UTF-8 JSON (RFC 8259), and a malformed one is an error naming
/// the line. `idPrefix` is put before every id, to keep the ids of several sources apart.
///
/// ```swift
/// let doc = try StreamedDocument(line: line, format: .jsonl, source: "<stdin>")
/// ```
public struct StreamedDocument: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case text, jsonl
    }

    public var id: String
    public var text: String
    public var classes: [String]
    /// Whether invalid UTF-8 bytes were replaced (text lines only).
    public var hadInvalidUTF8: Bool

    public init(id: String, text: String, classes: [String] = [], hadInvalidUTF8: Bool = false) {
        self.id = id
        self.text = text
        self.classes = classes
        self.hadInvalidUTF8 = hadInvalidUTF8
    }

    /// The document on `line`, or nil for a blank line.
    public init?(line: LineReader.Line, format: Format, source: String, idPrefix: String = "") throws {
        guard line.bytes.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { return nil }
        switch format {
        case .text:
            let valid = String(validating: line.bytes, as: UTF8.self)
            self.init(id: idPrefix + String(line.number), text: valid ?? String(decoding: line.bytes, as: UTF8.self),
                      hadInvalidUTF8: valid == nil)
        case .jsonl:
            let location = "\(source):\(line.number)"
            guard String(validating: line.bytes, as: UTF8.self) != nil else {
                throw SemanticHashingError.malformedInput(location: location, reason: "not valid UTF-8 (JSON Lines must be UTF-8)")
            }
            let record: Record
            do {
                record = try JSONDecoder().decode(Record.self, from: Data(line.bytes))
            } catch let DecodingError.keyNotFound(key, _) {
                throw SemanticHashingError.malformedInput(location: location, reason: "the record has no \"\(key.stringValue)\" field")
            } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
                let field = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw SemanticHashingError.malformedInput(
                    location: location, reason: field.isEmpty ? "not a JSON object (\(Self.describe(context)))" : "field \"\(field)\": \(Self.describe(context))")
            } catch {
                throw SemanticHashingError.malformedInput(location: location, reason: "not a JSON record (\(error))")
            }
            self.init(id: idPrefix + (record.id ?? String(line.number)), text: record.text, classes: record.classes)
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let text = context.debugDescription
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }

    /// The JSON Lines record.
    private struct Record: Decodable {
        var id: String?
        var text: String
        var classes: [String]

        enum Keys: String, CodingKey { case id, text, `class`, classes }

        init(from decoder: Swift.Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            text = try c.decode(String.self, forKey: .text)
            if try !c.contains(.id) || c.decodeNil(forKey: .id) {
                id = nil
            } else if let s = try? c.decode(String.self, forKey: .id) {
                id = s
            } else if let n = try? c.decode(Int64.self, forKey: .id) {
                id = String(n)
            } else {
                throw DecodingError.typeMismatch(String.self, .init(codingPath: [Keys.id], debugDescription: "an id must be a string or an integer"))
            }
            if c.contains(.classes) {
                classes = try c.decode([String].self, forKey: .classes)
            } else if try c.contains(.class) && !c.decodeNil(forKey: .class) {
                classes = [try c.decode(String.self, forKey: .class)]
            } else {
                classes = []
            }
        }
    }
}
