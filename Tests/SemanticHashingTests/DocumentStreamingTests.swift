import Foundation
import XCTest
@testable import SemanticHashing

/// The pieces of streaming encode: line reading, document records, the prepared vectoriser,
/// model fingerprints, code records and the packed NumPy array.
final class DocumentStreamingTests: XCTestCase {
    static let corpus = ["red apple pie with cream", "green apple tart", "blue sky over the sea", "the sea is deep and blue",
                         "apple and pear crumble", "storm clouds in a grey sky"]

    static func textModel(seed: UInt64 = 5, bits: Int = 12) -> ModelFile {
        var settings = TextVectorizerSettings.snippets
        settings.lemmatizer = .none
        let vectorizer = TextVectorizer.fit(corpus, settings: settings)
        let config = ModelConfiguration(preset: .ssbVAE, bits: bits, inputDimensions: vectorizer.featureCount, classCount: 2,
                                        multiLabel: false, hiddenDimensions: 6)
        let metadata = ModelMetadata(dataset: "text:t", datasetName: "text", classNames: ["food", "weather"], supervision: 0.5,
                                     labelledItems: 3, training: TrainingOptions(), trainSeconds: 1, finalLosses: [:],
                                     created: "2026-12-01T00:00:00Z", backend: "test", version: "0")
        return ModelFile(model: HashingVAE(configuration: config, seed: seed), preprocessing: .text(vectorizer), metadata: metadata)
    }

    /// A pipe holding `bytes`, closed for writing.
    private func pipe(_ bytes: [UInt8]) -> Int32 {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(Glibc.pipe(&fds), 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress!, $0.count) }
        close(fds[1])
        return fds[0]
    }

    func testLineReaderSplitsLinesInSmallBuffersAndBoundsLength() throws {
        let text = Array("one\r\ntwo\n\nthree without newline".utf8)
        var reader = LineReader(fileDescriptor: pipe(text), source: "in", bufferSize: 4)
        var lines: [String] = []
        while let line = try reader.next() { lines.append("\(line.number):" + String(decoding: line.bytes, as: UTF8.self)) }
        XCTAssertEqual(lines, ["1:one", "2:two", "3:", "4:three without newline"])
        XCTAssertTrue(reader.hasPendingInput, "end of input counts as pending: reading will not wait")

        var long = LineReader(fileDescriptor: pipe(Array("ok\n0123456789\n".utf8)), source: "<stdin>", maximumLineLength: 5, bufferSize: 4)
        XCTAssertEqual(try long.next()?.number, 1)
        assertMalformed("<stdin>:2", reasonContains: "longer than 5 bytes") { try long.next() as Any }
    }

    func testDocumentRecordsAndTheirErrors() throws {
        func parse(_ text: String, _ format: StreamedDocument.Format, line: Int = 3) throws -> StreamedDocument? {
            try StreamedDocument(line: .init(number: line, bytes: Array(text.utf8)), format: format, source: "<stdin>", idPrefix: "s1:")
        }
        XCTAssertEqual(try parse("plain words", .text), StreamedDocument(id: "s1:3", text: "plain words"))
        XCTAssertNil(try parse("  \t", .text))
        XCTAssertEqual(try parse(#"{"id": "a/b", "text": "t", "class": "x", "other": 1}"#, .jsonl),
                       StreamedDocument(id: "s1:a/b", text: "t", classes: ["x"]))
        XCTAssertEqual(try parse(#"{"id": 17, "text": "t", "classes": ["x", "y"]}"#, .jsonl), StreamedDocument(id: "s1:17", text: "t", classes: ["x", "y"]))
        XCTAssertEqual(try parse(#"{"text": "t"}"#, .jsonl), StreamedDocument(id: "s1:3", text: "t"))
        assertMalformed("<stdin>:3", reasonContains: "no \"text\" field") { try parse(#"{"id": "a"}"#, .jsonl) as Any }
        assertMalformed("<stdin>:3", reasonContains: "\"id\"") { try parse(#"{"id": true, "text": "t"}"#, .jsonl) as Any }
        assertMalformed("<stdin>:3", reasonContains: "not a JSON object") { try parse("just text", .jsonl) as Any }
        assertMalformed("<stdin>:3", reasonContains: "UTF-8") {
            try StreamedDocument(line: .init(number: 3, bytes: [0x7B, 0xFF, 0x7D]), format: .jsonl, source: "<stdin>") as Any
        }
        let latin1 = try StreamedDocument(line: .init(number: 9, bytes: [0x63, 0x61, 0x66, 0xE9]), format: .text, source: "<stdin>")
        XCTAssertEqual(latin1?.text, "caf\u{FFFD}")
        XCTAssertEqual(latin1?.hadInvalidUTF8, true)

        var stream = DocumentStream(reader: LineReader(fileDescriptor: pipe(Array("a\n\nb\ncaf\u{e9}\n".utf8) + [0xE9, 0x0A]), source: "<stdin>"),
                                    format: .text)
        var batches: [[String]] = []
        while let batch = try stream.nextBatch(maximum: 2) { batches.append(batch.map(\.id)) }
        XCTAssertEqual(batches, [["1", "3"], ["4", "5"]], "blank line 2 skipped; batches of at most 2")
        XCTAssertEqual(stream.invalidUTF8Warning, "1 line was not valid UTF-8 (first: <stdin>:5); the invalid bytes were read as U+FFFD")
    }

    /// Batches of any size give the codes of one batch over everything (what `encode --data` computes).
    func testStreamingVectoriserAndEncoderMatchTheBatchPath() throws {
        let file = Self.textModel()
        guard case .text(let vectorizer) = file.preprocessing else { return XCTFail() }
        var streaming = StreamingTextVectorizer(vectorizer)
        streaming.refreshInterval = 2
        let docs = Self.corpus + ["apple sky", "nothing known here", ""]
        let whole = vectorizer.transform(docs)
        var rows: [SparseMatrix] = []
        for start in stride(from: 0, to: docs.count, by: 2) {
            rows.append(streaming.transform(Array(docs[start..<min(start + 2, docs.count)])).features)
        }
        XCTAssertEqual(SparseMatrix.vstack(rows), whole.features)

        var encoder = try DocumentEncoder(model: file, source: "m.semhash")
        var codes = BinaryCodes(bits: 12)
        for d in docs { codes.append(contentsOf: encoder.codes(for: [d])) }
        XCTAssertEqual(codes, BinaryCodes(thresholding: file.model.codeValues(.sparse(whole.features))))
        XCTAssertTrue(encoder.wordCoverage(of: "apple zebra sky the") == (2, 3), "'the' is a stop word; zebra unknown")
        XCTAssertTrue(encoder.wordCoverage(of: "the and of") == (0, 0))
    }

    func testFingerprintFollowsWeightsAndVocabularyNotMetadata() throws {
        let file = Self.textModel()
        let fp = file.fingerprint
        XCTAssertEqual(try ModelFile.decode(try file.encoded(), path: "m").fingerprint, fp, "stable through a write and a read")
        var renamed = file
        renamed.metadata.created = "2030-01-01T00:00:00Z"
        renamed.metadata.dataset = "text:elsewhere"
        XCTAssertEqual(renamed.fingerprint, fp, "metadata does not decide codes")
        XCTAssertNotEqual(Self.textModel(seed: 6).fingerprint, fp, "other weights")
        var settings = TextVectorizerSettings.snippets
        settings.lemmatizer = .none
        let otherVocabulary = ModelFile(model: file.model, preprocessing: .text(TextVectorizer.fit(Self.corpus.dropLast(), settings: settings)),
                                        metadata: file.metadata)
        XCTAssertNotEqual(otherVocabulary.fingerprint, fp, "other vocabulary")
        XCTAssertEqual(ModelFingerprint(parsing: fp.description), fp)
        // The four-lane float path hashes the same words as the byte path, at any alignment.
        let values: [Float] = (0..<23).map { Float($0) * 0.37 - 2 }
        for lead in 0..<3 {
            var fast = FingerprintHasher(), slow = FingerprintHasher()
            for b in 0..<lead { fast.combine(UInt8(b)); slow.combine(UInt8(b)) }
            fast.combine(values)
            for v in values { slow.combine(v.bitPattern) }
            XCTAssertEqual(fast.finalize(), slow.finalize(), "lead \(lead)")
        }
        var one = FingerprintHasher(), other = FingerprintHasher()
        one.combine(values)
        other.combine(values.reversed())
        XCTAssertNotEqual(one.finalize(), other.finalize(), "order matters")
        XCTAssertEqual(fp.description.count, 16)
        XCTAssertNil(ModelFingerprint(parsing: "xyz"))
    }

    func testCodeRecordsRoundTripAndRefuseMixedModels() throws {
        let codes = try CodeListing(parsing: "a3f\n001\n", bits: 12, source: "t").codes
        let fp = ModelFingerprint(value: 0xABC)
        let item = IndexedItem(id: "x/1", classes: ["food"], snippet: "red \"apple\"")
        let json = try CodeRecord.line(codes, 0, id: "x/1", item: item, model: fp, format: .jsonl)
        XCTAssertEqual(json, #"{"bits":12,"classes":["food"],"code":"a3f","id":"x/1","model":"0000000000000abc","snippet":"red \"apple\""}"#)
        XCTAssertEqual(try CodeRecord.line(codes, 1, id: "y", model: fp, format: .bits), "000000000001 y")
        XCTAssertThrowsError(try CodeRecord.line(codes, 1, id: "a\nb", model: fp, format: .hex))

        let fromJSON = try CodeRecord.collection(parsing: json + "\n" + (try CodeRecord.line(codes, 1, id: "y", model: fp, format: .jsonl)) + "\n",
                                                 bits: nil, source: "c.jsonl")
        XCTAssertEqual(fromJSON.codes, codes)
        XCTAssertEqual(fromJSON.item(at: 0), item)
        XCTAssertEqual(fromJSON.item(at: 1), IndexedItem(id: "y", classes: [], snippet: ""))
        XCTAssertEqual(fromJSON.provenance?.fingerprint, fp)

        let header = CodeRecord.header(bits: 12, model: fp)
        XCTAssertEqual(header, "# semhash codes: bits=12 model=0000000000000abc")
        let lines = "\(header)\na3f x/1\n\(header)\n001 y\n"
        let fromLines = try CodeRecord.collection(parsing: lines, bits: nil, source: "c.txt")
        XCTAssertEqual(fromLines.codes, codes, "the header gives 12 bits; without it '001' would be read as 3 bits")
        XCTAssertEqual(fromLines.ids, ["x/1", "y"])
        XCTAssertEqual(fromLines.provenance?.fingerprint, fp)
        assertMalformed("c.txt:3", reasonContains: "codes of different models are mixed") {
            try CodeRecord.collection(parsing: "\(header)\na3f x\n# semhash codes: bits=12 model=0000000000000abd\n001 y\n", bits: nil, source: "c.txt")
        }
        assertMalformed("c.jsonl:2", reasonContains: "codes of different models are mixed") {
            try CodeRecord.collection(parsing: json + "\n" + json.replacingOccurrences(of: "0abc", with: "0abd").replacingOccurrences(of: "x/1", with: "z"),
                                      bits: nil, source: "c.jsonl")
        }
        assertMalformed("c.txt", reasonContains: "share the id 'x'") {
            try CodeRecord.collection(parsing: "a3f x\n001 x\n", bits: 12, source: "c.txt")
        }
    }

    func testPackedArrayBytesAreTheCodeBitsInOrder() throws {
        let dir = try TempDirectory()
        // 12-bit codes 1010 0011 1111 and 0000 0000 0001: bytes 0xA3 0xF0 and 0x00 0x10.
        let codes = try CodeListing(parsing: "a3f\n001\n", bits: 12, source: "t").codes
        let file = try PackedCodeArrayFile(path: dir.path + "/c.npy", bits: 12, withIDs: true)
        try file.append(codes.gathering([0]), ids: ["first"])
        try file.append(codes.gathering([1]), ids: ["second"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/c.npy"), "nothing in place before finish")
        try file.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/c.npy")))
        XCTAssertEqual(bytes.count, 128 + 4)
        XCTAssertEqual(Array(bytes[0..<8]), [0x93] + Array("NUMPY".utf8) + [1, 0])
        XCTAssertEqual(Int(bytes[8]) | Int(bytes[9]) << 8, 118)
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }"), header)
        XCTAssertEqual(header.last, "\n")
        XCTAssertEqual(Array(bytes[128...]), [0xA3, 0xF0, 0x00, 0x10])
        XCTAssertEqual(try String(contentsOfFile: dir.path + "/c.ids.txt", encoding: .utf8), "first\nsecond\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["c.ids.txt", "c.npy"], "no temporary files left")
    }
}
