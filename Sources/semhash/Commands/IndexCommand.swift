import Foundation
import SemanticHashing

@MainActor let indexCommand = Command(
    words: ["index"],
    summary: "Build a search index file from codes, or from a model and a dataset",
    discussion: """
    --codes FILE reads one code per line: hex (bit 0 = most significant bit of the first digit)
    or 0/1 characters, optionally followed by an item id; '#' lines are comments. The index file
    (SMHI format: header with version, code length, count and CRC-32, then codes and ids) is
    written atomically.
    """,
    options: [
        .value("--codes", "FILE", "Codes to index, one per line ('-' for standard input)"),
        .integer("--bits", "N", "Code length, if the file alone leaves it ambiguous", in: 1...65_536),
        .value("--model", "M", "Trained model whose codes to index"),
        .value("--data", "DATASET", "Dataset whose database split to encode with --model"),
        .value("--out", "INDEX", "Index file to write").required(),
    ],
    exclusive: [["--codes", "--model"], ["--codes", "--data"]],
    run: { args in
        let out = try args.required("--out")
        try CommonOptions.checkWritable(out)
        let listing: CodeListing
        if let codesPath = args.string("--codes") {
            let text = codesPath == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : String(decoding: try readFile(codesPath), as: UTF8.self)
            listing = try CodeListing(parsing: text, bits: try args.int("--bits"), source: codesPath == "-" ? "<stdin>" : codesPath)
        } else if let model = args.string("--model") {
            listing = try indexCodesFromModel(modelPath: model, dataSpec: try args.required("--data"))
        } else {
            throw UsageError(description: "missing input: give --codes FILE, or --model M with --data DATASET")
        }
        try IndexFile.write(listing, to: out)
        printError("indexed \(listing.codes.count) codes of \(listing.codes.bits) bits\(listing.ids == nil ? "" : " with ids") into \(out)")
    })
