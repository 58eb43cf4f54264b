import Foundation
import SemanticHashing

@MainActor let searchCommand = Command(
    words: ["search"],
    summary: "Find the k nearest documents in one or more index files (exact, ties by position)",
    discussion: """
    Queries: --query TEXT (encoded with --model), --query-code CODE (hex or 0/1 characters), or
    --stdin: one query a line, answered as it arrives (the model and index are loaded once) —
    raw text (or JSON Lines {"id", "text"} with --input jsonl) with --model, codes (and an
    optional name) without. With --model, the index must have been built by that model (the
    index records its fingerprint).
    Several index files (--index a.smhi,b.smhi) are searched as one: an exact top k over all of
    them, ordered by Hamming distance, then by file in the order given, then by position in the
    file — the order 'semhash index --merge' gives the merged file. Each file is searched with
    the structure it records (flat scan or multi-index hashing) unless --kind says otherwise.
    A hit shows its distance, id, classes and a snippet of the body; --json gives them as fields
    (one JSON object per query line with --stdin).
    """,
    options: [
        .value("--index", "INDEX[,INDEX…]", "Index file(s) written by 'semhash index'").required(),
        .value("--query-code", "CODE", "One query code (hex or 0/1 characters)"),
        .flag("--stdin", "Read queries from standard input, one per line."),
        .choice("--input", "FORM", "Form of --stdin text queries", StreamedDocument.Format.allCases.map(\.rawValue), default: "text"),
        .value("--model", "M", "Trained model to encode text queries with"),
        .value("--query", "TEXT", "Raw text to encode with --model"),
        .integer("--k", "K", "Neighbours per query", default: 10, in: 1...1_000_000),
        .choice("--kind", "KIND", "Search structure (default: the one each index file records)", ["flat", "mih"]),
        .integer("--threads", "T", "Worker threads (default: all cores)", in: 1...1024),
        .flag("--json", "Print JSON."),
    ],
    exclusive: [["--query-code", "--stdin", "--query"], ["--query-code", "--model"]],
    run: { args in
        let k = try args.int("--k")!
        let sources = [args.isGiven("--query-code"), args.flag("--stdin"), args.isGiven("--query")].filter { $0 }.count
        guard sources == 1 else {
            throw UsageError(description: "give one of --query-code CODE, --stdin, or --query TEXT with --model M")
        }
        if args.isGiven("--query") && !args.isGiven("--model") { throw UsageError(description: "--query needs --model M to encode the text") }
        let input = StreamedDocument.Format(rawValue: try args.required("--input"))!
        if args.isGiven("--input") && !(args.flag("--stdin") && args.isGiven("--model")) {
            throw UsageError(description: "--input gives the form of text queries: it goes with --stdin and --model")
        }
        if let text = args.string("--query"), !text.contains(where: { !$0.isWhitespace }) {
            throw SemanticHashingError.invalidArgument(name: "--query", reason: "is empty")
        }
        let searcher = try IndexSearcher(indexList: try args.required("--index"), kind: args.string("--kind"),
                                         threads: try args.int("--threads"))
        let model = try args.string("--model").map { try LoadedModel(path: $0) }
        if let model { for (collection, path) in zip(searcher.collections, searcher.paths) { try model.check(against: collection, indexPath: path) } }
        var encoder = try model?.encoder()
        let printer = HitPrinter(searcher: searcher, json: args.flag("--json"), k: k)

        /// Encodes query texts, warning about those with (almost) no known words.
        func textQueries(_ texts: [String], names: [String]) -> BinaryCodes {
            for (text, name) in zip(texts, names) {
                let (known, words) = encoder!.wordCoverage(of: text)
                let label = "query \(name) (\"\(text.prefix(40))\(text.count > 40 ? "…" : "")\")"
                if known == 0 {
                    printError("warning: \(label): no word is in the model's vocabulary; its code is the code of an empty document")
                } else if 3 * known < words {
                    printError("warning: \(label): only \(known) of its \(words) words are in the model's vocabulary; the code rests on them alone")
                }
            }
            return encoder!.codes(for: texts)
        }

        if let code = args.string("--query-code") {
            let query: BinaryCodes
            do { query = try BinaryCodes(parsing: code, bits: searcher.bits, source: "--query-code") } catch let SemanticHashingError.malformedInput(_, reason) {
                // A bad option value is a usage error (64), not bad data (65); the reason quotes the value.
                throw SemanticHashingError.invalidArgument(name: "--query-code", reason: reason)
            }
            if let warning = searcher.crowdWarning(query, name: "1") { printError("warning: \(warning)") }
            try printer.printAll([Query(code: query, name: nil, text: nil)], results: searcher.search(query, k: k))
        } else if let text = args.string("--query") {
            let query = textQueries([text], names: ["1"])
            if let warning = searcher.crowdWarning(query, name: "1") { printError("warning: \(warning)") }
            try printer.printAll([Query(code: query, name: nil, text: text)], results: searcher.search(query, k: k))
        } else {
            // One batch = the queries that have already arrived, so an interactive writer gets
            // each answer at once and a piped file is searched 64 queries a pass.
            var stream = DocumentStream(reader: LineReader(fileDescriptor: 0, source: "<stdin>"), format: model == nil ? .text : input)
            while let batch = try stream.nextBatch(maximum: 64) {
                var queries: BinaryCodes
                var names: [String?]
                if model != nil {
                    queries = textQueries(batch.map(\.text), names: batch.map(\.id))
                    names = batch.map(\.id)
                } else {
                    queries = BinaryCodes(bits: searcher.bits)
                    names = []
                    for document in batch where !document.text.hasPrefix("#") {
                        let listing = try CodeListing(parsing: document.text, bits: searcher.bits, source: "<stdin>:\(document.id)")
                        queries.append(contentsOf: listing.codes)
                        names.append(listing.ids?.first)
                    }
                }
                let results = searcher.search(queries, k: k)
                for q in 0..<queries.count {
                    let query = Query(code: queries.gathering([q]), name: names[q], text: model == nil ? nil : batch[q].text)
                    if let warning = searcher.crowdWarning(query.code, name: names[q] ?? String(stream.documentCount - queries.count + q + 1)) {
                        printError("warning: \(warning)")
                    }
                    try printer.printStreamed(query, hits: results.neighbors(of: q))
                }
            }
            if let warning = stream.invalidUTF8Warning { printError("warning: \(warning)") }
        }
    })

/// One query as printed: its code, an optional name (line id) and text.
struct Query {
    var code: BinaryCodes
    var name: String?
    var text: String?
}

/// The index files of a search, loaded once, searched as one (`ShardedIndex` for several).
struct IndexSearcher {
    let paths: [String]
    let collections: [IndexedCollection]
    let index: any HammingIndex
    let offsets: [Int]
    /// Codes holding more than a few percent of a file: (code, items, file).
    let crowded: [(code: BinaryCodes, count: Int, file: Int)]

    init(indexList: String, kind: String?, threads: Int?) throws {
        // A path that exists as given is one file, even if it holds a comma.
        let paths = FileManager.default.fileExists(atPath: indexList) ? [indexList]
            : indexList.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !paths.contains(where: \.isEmpty) else { throw UsageError(description: "--index: empty file name in '\(indexList)'") }
        collections = try paths.map { try IndexFile.read($0, checkingUniqueIDs: false) }
        self.paths = paths
        let first = collections[0]
        for (c, path) in zip(collections, paths).dropFirst() {
            guard c.bits == first.bits else {
                throw SemanticHashingError.invalidArgument(name: "--index", reason: "\(paths[0]) holds \(first.bits)-bit codes, \(path) \(c.bits)-bit codes")
            }
        }
        let models = zip(collections, paths).compactMap { c, p in c.provenance.map { ($0, p) } }
        if let (m, p) = models.first, let (other, q) = models.first(where: { $0.0.fingerprint != m.fingerprint }) {
            throw SemanticHashingError.invalidArgument(
                name: "--index", reason: "\(p) was built with model \(m.fingerprint) (\(m.description)), \(q) with model \(other.fingerprint) (\(other.description)); codes of different models are not comparable")
        }
        let override: IndexKind? = kind.map { $0 == "mih" ? .multiIndexHashing(substrings: nil) : .flat }
        let shards = collections.map { c in (override ?? c.kind).makeIndex(c.codes, threads: threads) }
        index = shards.count == 1 ? shards[0] : ShardedIndex(shards: shards)
        var offsets = [0]
        for c in collections { offsets.append(offsets.last! + c.count) }
        self.offsets = offsets
        crowded = collections.enumerated().flatMap { f, c in
            CodeUsage.crowdedBuckets(c.codes).map { (c.codes.gathering([$0.first]), $0.count, f) }
        }
    }

    /// A warning when the query's code is one that holds a large share of an index file.
    func crowdWarning(_ query: BinaryCodes, name: String) -> String? {
        guard let hit = crowded.first(where: { $0.code == query }) else { return nil }
        let n = collections[hit.file].count
        return "query \(name): its code \(query.hexString(at: 0)) is the code of \(hit.count) of the \(n) items (\(String(format: "%.1f", 100 * Double(hit.count) / Double(n))) %) of \(paths[hit.file]); hits at distance 0 come in index order, not by relevance"
    }

    var bits: Int { collections[0].bits }

    func search(_ queries: BinaryCodes, k: Int) -> SearchResults { index.search(queries, k: k) }

    /// The file and item of a global position.
    func locate(_ position: Int) -> (file: Int, item: IndexedItem, positionInFile: Int) {
        var f = 0
        while offsets[f + 1] <= position { f += 1 }
        let p = position - offsets[f]
        return (f, collections[f].item(at: p), p)
    }

    var hasClasses: Bool { collections.contains { $0.labels != nil } }
}

/// Prints hits as a table or JSON.
struct HitPrinter {
    let searcher: IndexSearcher
    let json: Bool
    let k: Int
    private let jsonLineEncoder = HitPrinter.encoder(pretty: false)

    init(searcher: IndexSearcher, json: Bool, k: Int) {
        self.searcher = searcher
        self.json = json
        self.k = k
    }

    /// One hit as JSON (Codable: JSONSerialization costs ~1 ms a query on Linux).
    struct HitRecord: Encodable {
        var rank: Int
        var index: Int
        var distance: Int
        var id: String?
        var classes: [String]?
        var snippet: String?
        var shard: String?
    }

    struct QueryRecord: Encodable {
        var query: String
        var name: String?
        var text: String?
        var neighbors: [HitRecord]
    }

    struct Report: Encodable {
        var index: [String]
        var k: Int
        var results: [QueryRecord]

        enum Keys: String, CodingKey { case index, k, results }

        func encode(to encoder: Swift.Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            if index.count == 1 { try c.encode(index[0], forKey: .index) } else { try c.encode(index, forKey: .index) }
            try c.encode(k, forKey: .k)
            try c.encode(results, forKey: .results)
        }
    }

    func record(_ query: Query, _ hits: ArraySlice<Neighbor>) -> QueryRecord {
        QueryRecord(query: query.code.hexString(at: 0), name: query.name, text: query.text, neighbors: hits.enumerated().map { rank, hit in
            let (file, item, _) = searcher.locate(hit.index)
            return HitRecord(rank: rank + 1, index: hit.index, distance: hit.distance, id: item.id,
                             classes: searcher.hasClasses ? item.classes : nil, snippet: item.snippet,
                             shard: searcher.paths.count > 1 ? searcher.paths[file] : nil)
        })
    }

    private static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    func table(_ query: Query, _ hits: ArraySlice<Neighbor>) -> String {
        var head = "query"
        if let name = query.name { head += " \(name)" }
        if let text = query.text { head += " \"\(text.prefix(60))\(text.count > 60 ? "…" : "")\"" }
        head += (query.name == nil && query.text == nil ? " " : "  ") + "code \(query.code.hexString(at: 0))"
        let rows = hits.enumerated().map { rank, hit -> [String] in
            let (_, item, _) = searcher.locate(hit.index)
            let snippet = item.snippet.map { $0.count > 90 ? String($0.prefix(90)) + "…" : $0 } ?? ""
            return [String(rank + 1), String(hit.distance), item.id ?? "#\(hit.index)", item.classes.joined(separator: ","), snippet]
        }
        var widths = ["rank", "dist", "id", "class", "snippet"].map(\.count)
        for r in rows { for c in 0..<4 { widths[c] = min(max(widths[c], r[c].count), c == 2 ? 48 : 24) } }
        func line(_ cells: [String]) -> String {
            "  " + cells.enumerated().map { c, text in c == 4 ? text : text.padding(toLength: widths[c] + 2, withPad: " ", startingAt: 0) }
                .joined()
        }
        var out = [head, line(searcher.hasClasses ? ["rank", "dist", "id", "class", "snippet"] : ["rank", "dist", "id", "", "snippet"])]
        out += rows.map(line)
        return out.map { line in
            var trimmed = line
            while trimmed.hasSuffix(" ") { trimmed.removeLast() }
            return trimmed
        }.joined(separator: "\n") + "\n"
    }

    /// Every query of a one-shot search.
    func printAll(_ queries: [Query], results: SearchResults) throws {
        if json {
            let report = Report(index: searcher.paths, k: k, results: queries.enumerated().map { record($1, results.neighbors(of: $0)) })
            write(String(decoding: try Self.encoder(pretty: true).encode(report), as: UTF8.self) + "\n")
        } else {
            for (q, query) in queries.enumerated() { write(table(query, results.neighbors(of: q))) }
        }
    }

    /// One query of a stream, written at once (one JSON object per line with --json).
    func printStreamed(_ query: Query, hits: ArraySlice<Neighbor>) throws {
        if json {
            write(String(decoding: try jsonLineEncoder.encode(record(query, hits)), as: UTF8.self) + "\n")
        } else {
            write(table(query, hits))
        }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
