import Foundation
import SemanticHashing

@MainActor let searchCommand = Command(
    words: ["search"],
    summary: "Find the k nearest codes in an index file (exact, ties by index)",
    discussion: """
    Queries come from --query-code (hex or 0/1 characters), from standard input (--stdin: one
    code per line, optionally followed by a name), or from raw text encoded with --model (as in training).
    Results are exact and identical for both index kinds: sorted by Hamming distance, ties by
    position in the index.
    """,
    options: [
        .value("--index", "INDEX", "Index file written by 'semhash index'").required(),
        .value("--query-code", "CODE", "One query code (hex or 0/1 characters)"),
        .flag("--stdin", "Read query codes from standard input, one per line."),
        .value("--model", "M", "Trained model to encode --query with"),
        .value("--query", "TEXT", "Raw text to encode with --model"),
        .integer("--k", "K", "Neighbours per query", default: 10, in: 1...1_000_000),
        .choice("--kind", "KIND", "Index kind (flat scan or multi-index hashing)", ["flat", "mih"], default: "flat"),
        .integer("--threads", "T", "Worker threads (default: all cores)", in: 1...1024),
        .flag("--json", "Print JSON."),
    ],
    exclusive: [["--query-code", "--stdin", "--query"]],
    run: { args in
        let indexPath = try args.required("--index")
        let k = try args.int("--k")!
        let sources = [args.isGiven("--query-code"), args.flag("--stdin"), args.isGiven("--query")].filter { $0 }.count
        guard sources == 1 else {
            throw UsageError(description: "give one of --query-code CODE, --stdin, or --query TEXT with --model M")
        }
        guard args.isGiven("--query") == args.isGiven("--model") else {
            throw UsageError(description: args.isGiven("--query") ? "--query needs --model M to encode the text"
                                                                   : "--model is only used with --query TEXT")
        }
        let stored = try IndexFile.read(indexPath)
        let bits = stored.codes.bits
        var queries: CodeListing
        if let code = args.string("--query-code") {
            queries = CodeListing(codes: try BinaryCodes(parsing: code, bits: bits, source: "--query-code"))
        } else if args.flag("--stdin") {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            queries = try CodeListing(parsing: text, bits: bits, source: "<stdin>")
        } else {
            let text = try args.required("--query")
            queries = CodeListing(codes: try queryCodeFromModel(modelPath: try args.required("--model"), text: text, bits: bits))
        }
        guard queries.codes.bits == bits else {
            throw UsageError(description: "query codes have \(queries.codes.bits) bits, the index \(bits)")
        }
        let threads = try args.int("--threads")
        let index: any HammingIndex
        if args.string("--kind") == "mih" {
            index = MultiIndexHashingIndex(codes: stored.codes, threads: threads)
        } else {
            index = LinearScanIndex(codes: stored.codes, threads: threads)
        }
        let results = index.search(queries.codes, k: k)
        if args.flag("--json") {
            let list: [[String: Any]] = (0..<queries.codes.count).map { q in
                var entry: [String: Any] = ["query": queries.codes.hexString(at: q)]
                if let names = queries.ids { entry["name"] = names[q] }
                entry["neighbors"] = results.neighbors(of: q).enumerated().map { rank, hit in
                    var h: [String: Any] = ["rank": rank + 1, "index": hit.index, "distance": hit.distance]
                    if let ids = stored.ids { h["id"] = ids[hit.index] }
                    return h
                }
                return entry
            }
            let data = try JSONSerialization.data(withJSONObject: ["index": indexPath, "k": k, "results": list],
                                                  options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for q in 0..<queries.codes.count {
                print("query \(queries.codes.hexString(at: q))\(queries.ids.map { " (\($0[q]))" } ?? "")")
                print("  rank  index       distance  id")
                for (rank, hit) in results.neighbors(of: q).enumerated() {
                    print("  " + [String(rank + 1).padding(toLength: 6, withPad: " ", startingAt: 0),
                                  String(hit.index).padding(toLength: 12, withPad: " ", startingAt: 0),
                                  String(hit.distance).padding(toLength: 10, withPad: " ", startingAt: 0),
                                  stored.ids?[hit.index] ?? ""].joined())
                }
            }
        }
    })
