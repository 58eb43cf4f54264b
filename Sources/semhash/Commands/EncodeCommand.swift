import Foundation
import SemanticHashing

let encodeCommand = Command(
    words: ["encode"],
    summary: "Turn documents into binary codes with a trained model (a dataset, or a stream on standard input).",
    discussion: """
    --data DATASET encodes a split of a dataset (--split all: every document; text datasets are
    then re-read as raw text and encoded with the model's own vocabulary).
    --stdin reads one raw document per line (--input text; the id is the line number) or JSON
    Lines {"id": …, "text": …, "class": …} (--input jsonl) and writes one code per document as it
    goes, in constant memory, so it can sit in a pipe: GNU parallel --pipe, Hadoop streaming,
    Spark's RDD.pipe. Blank lines are skipped.
    Formats: hex (default) and bits write '# semhash codes: bits=B model=FINGERPRINT' then
    'CODE ID' lines (hex: bit 0 = most significant bit of the first digit; bits: '0'/'1', bit 0
    first); jsonl writes {"code", "bits", "id", "model", "classes", "snippet"} per document;
    npy writes an N × ⌈B/8⌉ uint8 array (bit 0 = most significant bit of byte 0, as numpy's
    unpackbits and FAISS's binary indexes read it) to --out and the ids beside it (X.ids.txt).
    'semhash index --codes' reads the code-line and jsonl outputs back.
    """,
    options: [
        .value("--model", "FILE", "A model written by 'semhash train'").required(),
        .value("--data", "DATASET", CommonOptions.dataHelp),
        DatasetPart.option(default: .test),
        .flag("--stdin", "Encode documents read from standard input, one per line."),
        .choice("--input", "FORM", "Form of the documents on standard input", StreamedDocument.Format.allCases.map(\.rawValue), default: "text"),
        .choice("--format", "F", "Output format", ["hex", "bits", "jsonl", "npy"], default: "hex"),
        .value("--out", "FILE", "Output file, written atomically (default: standard output; required for npy)"),
        .value("--id-prefix", "P", "Text put before every id", default: ""),
        .integer("--snippet-length", "N", "Characters of each body kept in jsonl output (0: none)", default: 200, in: 0...100_000),
        .integer("--batch-size", "N", "Most documents encoded together from a stream", default: 256, in: 1...100_000),
    ],
    exclusive: [["--data", "--stdin"]],
    run: { args in
        let format = try args.required("--format")
        let out = args.string("--out")
        guard args.isGiven("--data") || args.flag("--stdin") else {
            throw UsageError(description: "give --data DATASET or --stdin")
        }
        if format == "npy" && out == nil { throw UsageError(description: "--format npy writes a file: give --out FILE.npy") }
        if args.isGiven("--split") && !args.isGiven("--data") { throw UsageError(description: "--split chooses items of --data") }
        if args.isGiven("--input") && !args.flag("--stdin") { throw UsageError(description: "--input goes with --stdin") }
        if let out { try CommonOptions.checkWritable(out) }
        let model = try LoadedModel(path: try args.required("--model"))
        let idPrefix = args.string("--id-prefix") ?? ""
        let snippetLength = format == "jsonl" ? try args.int("--snippet-length")! : 0
        let writer = try CodeWriter(format: format, out: out, bits: model.bits, model: model.fingerprint)

        if let data = args.string("--data") {
            let part = DatasetPart(rawValue: try args.required("--split"))!
            let collection = try encodeDataset(data, part: part, model: model, idPrefix: idPrefix, snippetLength: snippetLength)
            try writer.write(collection)
        } else {
            var encoder = try model.encoder()
            let input = StreamedDocument.Format(rawValue: try args.required("--input"))!
            var stream = DocumentStream(reader: LineReader(fileDescriptor: 0, source: "<stdin>"), format: input, idPrefix: idPrefix)
            let batchSize = try args.int("--batch-size")!
            while let batch = try stream.nextBatch(maximum: batchSize) {
                var builder = IndexedCollectionBuilder(bits: model.bits, provenance: nil, snippetLength: snippetLength)
                builder.add(batch, codes: encoder.codes(for: batch.map(\.text)))
                try writer.write(builder.build())
            }
            if let warning = stream.invalidUTF8Warning { printError("warning: \(warning)") }
        }
        try writer.finish()
    }
)

/// Writes encoded documents in one of `encode`'s formats, batch by batch.
final class CodeWriter {
    let format: String
    let model: ModelFingerprint
    private var sink: OutputSink?
    private var array: PackedCodeArrayFile?

    init(format: String, out: String?, bits: Int, model: ModelFingerprint) throws {
        self.format = format
        self.model = model
        if format == "npy" {
            array = try PackedCodeArrayFile(path: out!, bits: bits, withIDs: true)
        } else {
            sink = try OutputSink(path: out)
            if format != "jsonl" { try sink!.write(CodeRecord.header(bits: bits, model: model) + "\n") }
        }
    }

    func write(_ collection: IndexedCollection) throws {
        if let array {
            try array.append(collection.codes, ids: collection.ids)
            return
        }
        let recordFormat = CodeRecord.Format(rawValue: format)!
        var text = ""
        for i in 0..<collection.count {
            text += try CodeRecord.line(collection.codes, i, id: collection.ids?[i], item: collection.item(at: i),
                                        model: model, format: recordFormat) + "\n"
        }
        try sink!.write(text)
    }

    func finish() throws {
        try array?.finish()
        try sink?.finish()
    }
}
