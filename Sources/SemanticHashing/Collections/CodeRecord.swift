import Foundation

/// One encoded document as `semhash encode` writes it, and a file of them read back as an
/// `IndexedCollection` (what `semhash index --codes` does), in one of three line formats:
///
/// ```
/// # semhash codes: bits=32 model=3f9a0c51d2e4b786      ← header: code length and model fingerprint
/// 3fa2c1d0 sci.space/60151                              ← hex: code, then the id (bit 0 = top bit of the first digit)
/// 0011111110100010… sci.space/60151                     ← bits: bit 0 first
/// {"bits":32,"classes":["sci.space"],"code":"3fa2c1d0","id":"sci.space/60151","model":"3f9a…","snippet":"I have …"}
/// ```
/// Code lines are the `CodeListing` format, so a '#' header is a comment to any other reader;
/// shards written by parallel jobs may be concatenated (headers repeat, and must agree). JSON
/// lines carry the model and length per record (so shuffled or split output stays checkable) plus
/// the classes and snippet a search hit shows.
///
/// ```swift
/// print(CodeRecord.header(bits: 32, model: fp))
/// let collection = try CodeRecord.collection(parsing: text, bits: nil, source: "codes.txt")
/// ```
public enum CodeRecord {
    public enum Format: String, Sendable, CaseIterable {
        case hex, bits, jsonl
    }

    static let headerPrefix = "# semhash codes:"

    /// The header comment of code-line output.
    public static func header(bits: Int, model: ModelFingerprint?) -> String {
        "\(headerPrefix) bits=\(bits)" + (model.map { " model=\($0)" } ?? "")
    }

    /// One output line (without the line break) for code `i` of `codes`.
    public static func line(_ codes: BinaryCodes, _ i: Int, id: String?, item: IndexedItem? = nil,
                            model: ModelFingerprint?, format: Format) throws -> String {
        switch format {
        case .hex, .bits:
            let code = format == .hex ? codes.hexString(at: i) : codes.binaryString(at: i)
            guard let id else { return code }
            guard !id.contains(where: { $0 == "\n" || $0 == "\r" }) else {
                throw SemanticHashingError.invalidArgument(name: "id", reason: "'\(id.prefix(60))' holds a line break, which a code line cannot carry; use --format jsonl")
            }
            return code + " " + id
        case .jsonl:
            let record = OutputRecord(bits: codes.bits, classes: item.flatMap { $0.classes.isEmpty ? nil : $0.classes },
                                      code: codes.hexString(at: i), id: id, model: model?.description, snippet: item?.snippet)
            return String(decoding: try jsonEncoder.encode(record), as: UTF8.self)
        }
    }

    /// A JSON line, keys in alphabetical order (JSONEncoder: JSONSerialization is several times slower on Linux).
    private struct OutputRecord: Encodable {
        var bits: Int
        var classes: [String]?
        var code: String
        var id: String?
        var model: String?
        var snippet: String?
    }

    private static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Reads code lines (hex or 0/1, with optional ids and '# semhash codes:' headers) or JSON
    /// lines of `line(…, format: .jsonl)`, whichever the first record is. `bits` resolves code
    /// lines of ambiguous length (a header does too). Errors name `source` and the line.
    public static func collection(parsing text: String, bits knownBits: Int?, source: String) throws -> IndexedCollection {
        let firstRecord = text.split(whereSeparator: { $0.isNewline })
            .first { line in let t = line.drop { $0 == " " || $0 == "\t" }; return !t.isEmpty && !t.hasPrefix("#") }
        if let first = firstRecord, first.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("{") {
            return try parseJSONLines(text, source: source)
        }
        // Headers: every one must agree.
        var headerBits: Int?, headerModel: ModelFingerprint?, sawModel = false
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            guard raw.hasPrefix(headerPrefix) else { continue }
            let location = "\(source):\(lineNumber)"
            var b: Int?, m: ModelFingerprint?
            for field in raw.dropFirst(headerPrefix.count).split(separator: " ") {
                let kv = field.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 && kv[0] == "bits" { b = Int(kv[1]) }
                if kv.count == 2 && kv[0] == "model" {
                    guard let fp = ModelFingerprint(parsing: kv[1]) else {
                        throw SemanticHashingError.malformedInput(location: location, reason: "model fingerprint '\(kv[1])' is not 16 hex digits")
                    }
                    m = fp
                }
            }
            guard let bits = b, bits > 0 else {
                throw SemanticHashingError.malformedInput(location: location, reason: "a semhash codes header without bits=N")
            }
            if let hb = headerBits, hb != bits || (m != headerModel) || sawModel != (m != nil) {
                throw SemanticHashingError.malformedInput(
                    location: location, reason: "this header (bits=\(bits) model=\(m?.description ?? "none")) differs from an earlier one (bits=\(hb) model=\(headerModel?.description ?? "none")): codes of different models are mixed")
            }
            headerBits = bits
            headerModel = m
            sawModel = m != nil
        }
        if let k = knownBits, let h = headerBits, k != h {
            throw SemanticHashingError.invalidArgument(name: "--bits", reason: "\(k), but \(source) says bits=\(h)")
        }
        let listing = try CodeListing(parsing: text, bits: knownBits ?? headerBits, source: source)
        var collection = IndexedCollection(listing)
        if let m = headerModel {
            collection.provenance = IndexProvenance(fingerprint: m, description: "model \(m) (from the header of \(source))")
        }
        try collection.checkUniqueIDs(source: source)
        return collection
    }

    private struct JSONRecord: Decodable {
        var code: String
        var bits: Int
        var id: String?
        var model: String?
        var classes: [String]?
        var snippet: String?
    }

    private static func parseJSONLines(_ text: String, source: String) throws -> IndexedCollection {
        var bits: Int?, model: String??
        var words: [UInt64] = []
        var ids: [String] = [], snippets: [String] = []
        var hasIDs: Bool?, hasSnippets = false
        var classNames: [String] = [], classIndex: [String: Int32] = [:]
        var offsets = [0], classes: [Int32] = [], hasClasses = false, multiLabel = false
        var count = 0
        var lineNumber = 0
        let decoder = JSONDecoder()
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            lineNumber += 1
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) || line.hasPrefix("#") { continue }
            let location = "\(source):\(lineNumber)"
            let record: JSONRecord
            do { record = try decoder.decode(JSONRecord.self, from: Data(line.utf8)) } catch {
                throw SemanticHashingError.malformedInput(location: location, reason: "not a code record {\"code\", \"bits\", …} (\(String(describing: error).prefix(160)))")
            }
            if let b = bits, b != record.bits {
                throw SemanticHashingError.malformedInput(location: location, reason: "a \(record.bits)-bit code among \(b)-bit codes")
            }
            if let m = model, m != record.model {
                throw SemanticHashingError.malformedInput(location: location, reason: "model \(record.model ?? "none") among codes of model \(m ?? "none"): codes of different models are mixed")
            }
            guard record.bits >= 1 && record.bits <= 1 << 16 else {
                throw SemanticHashingError.malformedInput(location: location, reason: "implausible code length \(record.bits)")
            }
            bits = record.bits
            model = .some(record.model)
            if let h = hasIDs, h != (record.id != nil) {
                throw SemanticHashingError.malformedInput(location: location, reason: "some records have an id and some do not")
            }
            hasIDs = record.id != nil
            let code = try BinaryCodes(parsing: record.code, bits: record.bits, source: location)
            words += code.words
            if let id = record.id { ids.append(id) }
            snippets.append(record.snippet ?? "")
            hasSnippets = hasSnippets || record.snippet != nil
            for name in record.classes ?? [] {
                hasClasses = true
                if classIndex[name] == nil { classIndex[name] = Int32(classNames.count); classNames.append(name) }
                classes.append(classIndex[name]!)
            }
            if (record.classes?.count ?? 0) > 1 { multiLabel = true }
            offsets.append(classes.count)
            count += 1
        }
        guard let b = bits else {
            throw SemanticHashingError.malformedInput(location: source, reason: "no code records")
        }
        var provenance: IndexProvenance?
        if case .some(.some(let m)) = model {
            guard let fp = ModelFingerprint(parsing: m) else {
                throw SemanticHashingError.malformedInput(location: source, reason: "model fingerprint '\(m)' is not 16 hex digits")
            }
            provenance = IndexProvenance(fingerprint: fp, description: "model \(fp) (from \(source))")
        }
        let collection = IndexedCollection(
            codes: BinaryCodes(words: words, count: count, bits: b), ids: hasIDs == true ? ids : nil,
            labels: hasClasses ? Labels(classCount: classNames.count, isMultiLabel: multiLabel, offsets: offsets, classes: classes) : nil,
            classNames: classNames, snippets: hasSnippets ? snippets : nil, provenance: provenance)
        try collection.checkUniqueIDs(source: source)
        return collection
    }
}
