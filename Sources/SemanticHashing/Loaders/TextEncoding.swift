/// How the text loaders decode the bytes of a document or line (`?encoding=`).
///
/// ```
/// auto          UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the default: text that
///               is not clean UTF-8 is read, never a reason to reject a corpus)
/// utf8          UTF-8 only; invalid bytes are an error naming the file and line
/// latin1        ISO-8859-1: byte b is code point U+00bb
/// windows-1252  Latin-1 with the printable characters Windows puts at 0x80–0x9F (€ ‚ ƒ „ … † ‡
///               ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); its five unassigned bytes stay U+0081 …
/// ```
///
/// ```swift
/// let (text, fellBack) = try TextEncoding.auto.decode(bytes, location: "corpus/a/1.txt")
/// ```
public enum TextEncoding: String, Sendable, CaseIterable {
    case auto
    case utf8
    case latin1
    case windows1252 = "windows-1252"

    /// Parses the option value; "utf-8", "iso-8859-1", "cp1252" are accepted spellings.
    public init?(option: String) {
        switch option.lowercased() {
        case "auto": self = .auto
        case "utf8", "utf-8": self = .utf8
        case "latin1", "latin-1", "iso-8859-1": self = .latin1
        case "windows-1252", "cp1252", "windows1252": self = .windows1252
        default: return nil
        }
    }

    /// Decodes `bytes`; `fellBack` is true when `auto` had to use Windows-1252.
    func decode(_ bytes: some Collection<UInt8>, location: @autoclosure () -> String) throws -> (text: String, fellBack: Bool) {
        switch self {
        case .utf8, .auto:
            if let s = String(validating: bytes, as: UTF8.self) { return (s, false) }
            if self == .auto { return (Self.windows1252Text(bytes), true) }
            throw SemanticHashingError.malformedInput(location: location(), reason: "not valid UTF-8 (encoding=utf8; use encoding=auto or windows-1252 to read it)")
        case .latin1:
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
            return (String(scalars), false)
        case .windows1252:
            return (Self.windows1252Text(bytes), false)
        }
    }

    /// Code points of 0x80…0x9F in Windows-1252 (unassigned bytes keep their C1 code point).
    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252Text(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            let code = b >= 0x80 && b <= 0x9F ? high[Int(b) - 0x80] : UInt32(b)
            scalars.append(Unicode.Scalar(code)!)
        }
        return String(scalars)
    }
}
