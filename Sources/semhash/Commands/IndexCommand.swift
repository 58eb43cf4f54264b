import Foundation
import SemanticHashing

@MainActor let indexCommand = Command(
    words: ["index"],
    summary: "Build, extend, shrink or merge a search index file",
    discussion: """
    Build (writes --out):
      --model M --data DATASET   every document of the dataset (--split all; or train, val,
                                 database = train + val, test), encoded with the model
      --model M --stdin          documents on standard input, one a line (--input text) or JSON
                                 Lines {"id", "text", "class"} (--input jsonl)
      --codes FILE               the output of 'semhash encode' (code lines or JSON lines)
      --merge A B …              index files, one after another
    Change (rewrites --index in place, or writes --out):
      --index I --model M --add DATASET|-    append documents (a dataset, or '-' for standard input)
      --index I --remove ID …                drop the items with these ids ('--' before ids that start with '--')

    The index records the model's fingerprint and code length (search refuses another model),
    its kind (flat scan or multi-index hashing) and, per item, the id, classes and a snippet of the
    body, so search needs no dataset. Ids must be unique; --id-prefix keeps sources apart. Every
    write goes to a temporary file renamed into place: a kill at any moment leaves the old or the
    new index, never a torn one. Run one change at a time per index file.
    Afterwards the code usage is reported (distinct codes, largest bucket, per-bit balance), with
    a warning when one code holds more than 5 % of the collection.
    """,
    trailingArguments: ("ARG", "Index files for --merge, item ids for --remove"),
    options: [
        .value("--out", "INDEX", "Index file to write (with --index: default that file, replaced atomically)"),
        .value("--model", "M", "Trained model to encode documents with"),
        .value("--data", "DATASET", "Dataset whose documents to index with --model"),
        DatasetPart.option(default: .all),
        .flag("--stdin", "Index documents read from standard input, encoded with --model."),
        .choice("--input", "FORM", "Form of documents on standard input", StreamedDocument.Format.allCases.map(\.rawValue), default: "text"),
        .value("--codes", "FILE", "Codes written by 'semhash encode' ('-' for standard input)"),
        .integer("--bits", "N", "Code length, if the codes file alone leaves it ambiguous", in: 1...65_536),
        .value("--index", "INDEX", "Existing index to change with --add or --remove"),
        .value("--add", "DATASET", "Documents to append to --index: a dataset spec, or '-' for standard input"),
        .flag("--remove", "Remove the items whose ids follow from --index."),
        .flag("--merge", "Merge the index files that follow into --out."),
        .choice("--kind", "KIND", "Search structure the index asks for (default: flat, or the one --index/the first merged file has)", ["flat", "mih"]),
        .integer("--substrings", "M", "Multi-index hashing substrings (default: chosen from the code length and count)", in: 1...65_536),
        .value("--id-prefix", "P", "Text put before every new item id", default: ""),
        .integer("--snippet-length", "N", "Characters of each document's body kept to show in hits (0: none)", default: 200, in: 0...100_000),
        .flag("--json", "Print a JSON summary (items, code usage) on standard output."),
    ],
    exclusive: [["--codes", "--data", "--stdin", "--merge", "--index"], ["--add", "--remove"], ["--codes", "--model"],
                ["--merge", "--model"]],
    run: { args in
        let plan = try IndexPlan(args)
        try plan.run()
    })

/// What one `semhash index` command line asks for, every option checked before any file is read.
struct IndexPlan {
    enum Source {
        case dataset(String), stdin, codes(String), merge([String])
        case add(index: String, documents: String), remove(index: String, ids: [String])
    }

    let source: Source
    let out: String
    let modelPath: String?
    let part: DatasetPart
    let input: StreamedDocument.Format
    let bits: Int?
    let kind: IndexKind?
    let idPrefix: String
    let snippetLength: Int
    let json: Bool

    init(_ args: ParsedArguments) throws {
        let arguments = args.positionals
        modelPath = args.string("--model")
        part = DatasetPart(rawValue: try args.required("--split"))!
        input = StreamedDocument.Format(rawValue: try args.required("--input"))!
        bits = try args.int("--bits")
        idPrefix = args.string("--id-prefix") ?? ""
        snippetLength = try args.int("--snippet-length")!
        json = args.flag("--json")
        let substrings = try args.int("--substrings")
        switch args.string("--kind") {
        case "mih": kind = .multiIndexHashing(substrings: substrings)
        case "flat": kind = .flat
        default: kind = nil
        }
        if substrings != nil && args.string("--kind") != "mih" {
            throw UsageError(description: "--substrings goes with --kind mih")
        }
        if args.flag("--merge") {
            guard !arguments.isEmpty else { throw UsageError(description: "--merge needs the index files to merge as arguments") }
            source = .merge(arguments)
        } else if let index = args.string("--index") {
            if let documents = args.string("--add") {
                guard modelPath != nil else { throw UsageError(description: "--add needs --model M to encode the documents") }
                source = .add(index: index, documents: documents)
            } else if args.flag("--remove") {
                guard !arguments.isEmpty else { throw UsageError(description: "--remove needs the ids of the items to remove as arguments") }
                source = .remove(index: index, ids: arguments)
            } else {
                throw UsageError(description: "--index needs --add DATASET|- or --remove ID …")
            }
        } else if let data = args.string("--data") {
            guard modelPath != nil else { throw UsageError(description: "--data needs --model M to encode the documents") }
            source = .dataset(data)
        } else if args.flag("--stdin") {
            guard modelPath != nil else { throw UsageError(description: "--stdin needs --model M to encode the documents") }
            source = .stdin
        } else if let codes = args.string("--codes") {
            source = .codes(codes)
        } else {
            throw UsageError(description: "nothing to index: give --model M with --data DATASET or --stdin, --codes FILE, --merge A B …, or --index I with --add/--remove")
        }
        if args.isGiven("--add") || args.flag("--remove") {
            guard args.isGiven("--index") else { throw UsageError(description: "--add and --remove change an existing index: give it with --index I") }
        }
        switch source {
        case .merge, .remove: break
        default:
            if !arguments.isEmpty { throw UsageError(description: "unexpected argument '\(arguments[0])' (arguments are for --merge and --remove)") }
        }
        let readsDataset: Bool
        let readsStdinDocuments: Bool
        switch source {
        case .dataset: readsDataset = true; readsStdinDocuments = false
        case .add(_, let documents): readsDataset = documents != "-"; readsStdinDocuments = documents == "-"
        case .stdin: readsDataset = false; readsStdinDocuments = true
        default: readsDataset = false; readsStdinDocuments = false
        }
        if args.isGiven("--split") && !readsDataset { throw UsageError(description: "--split chooses items of --data or --add DATASET") }
        if args.isGiven("--input") && !readsStdinDocuments { throw UsageError(description: "--input goes with --stdin or --add -") }
        if case .codes = source {} else if args.isGiven("--bits") {
            throw UsageError(description: "--bits goes with --codes")
        }
        if args.isGiven("--id-prefix") || args.isGiven("--snippet-length") {
            switch source {
            case .dataset, .stdin, .add: break
            default: throw UsageError(description: "--id-prefix and --snippet-length apply to documents encoded with --model")
            }
        }
        switch source {
        case .add(let index, _), .remove(let index, _): out = args.string("--out") ?? index
        default:
            guard let o = args.string("--out") else { throw UsageError(description: "missing required option --out <INDEX>") }
            out = o
        }
        try CommonOptions.checkWritable(out)
    }

    func run() throws {
        let model = try modelPath.map { try LoadedModel(path: $0) }
        var collection: IndexedCollection
        var summary: [String: Any] = [:]
        switch source {
        case .dataset(let spec):
            collection = try encodeDataset(spec, part: part, model: model!, idPrefix: idPrefix, snippetLength: snippetLength)
        case .stdin:
            collection = try encodeStandardInput(model: model!)
        case .codes(let path):
            let text = path == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : String(decoding: try readFile(path), as: UTF8.self)
            collection = try usageChecked("--bits") {
                try CodeRecord.collection(parsing: text, bits: bits, source: path == "-" ? "<stdin>" : path)
            }
        case .merge(let paths):
            let parts = try paths.map { (collection: try IndexFile.read($0), source: $0) }
            collection = try IndexedCollection.merging(parts)
            summary["merged"] = paths
        case .add(let index, let documents):
            collection = try IndexFile.read(index)
            try model!.check(against: collection, indexPath: index)
            let new = documents == "-" ? try encodeStandardInput(model: model!)
                : try encodeDataset(documents, part: part, model: model!, idPrefix: idPrefix, snippetLength: snippetLength, option: "--add")
            try collection.append(new, source: documents == "-" ? "<stdin>" : documents)
            summary["added"] = new.count
        case .remove(let index, let ids):
            collection = try IndexFile.read(index)
            summary["removed"] = try collection.remove(ids: ids, source: index).count
        }
        if let kind { collection.kind = kind }
        try collection.checkUniqueIDs(source: out)
        removeStaleTemporaryFiles(of: out)
        try IndexFile.write(collection, to: out)
        let usage = reportCodeUsage(collection.codes, of: out, quiet: json)
        if json {
            summary.merge(["out": out, "items": collection.count, "bits": collection.bits, "kind": collection.kind.name,
                           "model": collection.provenance?.fingerprint.description ?? NSNull(),
                           "codeUsage": usage.json]) { a, _ in a }
            try CommonOptions.printJSON(summary)
        } else {
            var what = "\(collection.count) items"
            if let added = summary["added"] as? Int { what += " (\(added) added)" }
            if let removed = summary["removed"] as? Int { what += " (\(removed) removed)" }
            let fields = [collection.ids != nil ? "ids" : nil, collection.labels != nil ? "classes" : nil,
                          collection.snippets != nil ? "snippets" : nil].compactMap { $0 }
            printError("indexed \(what), \(collection.bits)-bit codes\(fields.isEmpty ? "" : " with " + fields.joined(separator: ", ")), "
                       + "\(collection.kind.name) search, \(collection.provenance.map { "model \($0.fingerprint)" } ?? "no model recorded"), into \(out)")
        }
    }

    /// Documents from standard input, encoded batch by batch.
    private func encodeStandardInput(model: LoadedModel) throws -> IndexedCollection {
        var encoder = try model.encoder()
        var stream = DocumentStream(reader: LineReader(fileDescriptor: 0, source: "<stdin>"), format: input, idPrefix: idPrefix)
        var builder = IndexedCollectionBuilder(bits: model.bits, provenance: model.provenance, snippetLength: snippetLength)
        while let batch = try stream.nextBatch(maximum: 1024) {
            builder.add(batch, codes: encoder.codes(for: batch.map(\.text)))
        }
        if let warning = stream.invalidUTF8Warning { printError("warning: \(warning)") }
        return builder.build()
    }
}

/// Deletes the temporary files a killed writer of `path` left beside it (".NAME.tmp-PID-…" whose
/// process no longer runs); a live writer's file is left alone.
func removeStaleTemporaryFiles(of path: String) {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let prefix = ".\(url.lastPathComponent).tmp-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(prefix) {
        guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }
}
