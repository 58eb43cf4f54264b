import Dispatch
import Foundation
import SemanticHashing

@MainActor let benchStreamCommand = Command(
    words: ["bench", "stream"],
    summary: "Time streaming encode (documents/s) and search --stdin (queries/s) through the real commands",
    discussion: """
    Runs this semhash binary as a user would, input from a file, output to /dev/null:
      semhash encode --model M --stdin --input jsonl            (N documents)
      semhash search --index I --model M --stdin --k K          (Q queries)
    each also with a single line, so the start-up (loading the model and index) is measured
    apart: rate = (N − 1) / (t_N − t_1), medians over --repeat runs, the two sizes alternating.
    Documents are the raw documents of a text dataset (cycled to --documents); queries are the
    first 12 words of their bodies; the index holds every document once.
    """,
    options: [
        .value("--model", "M", "A model trained on raw text").required(),
        .value("--data", "DATASET", "A text dataset (text:DIR or text:FILE) whose documents to stream").required(),
        .integer("--documents", "N", "Documents streamed through encode", default: 20_000, in: 2...100_000_000),
        .integer("--queries", "Q", "Queries streamed through search", default: 2_000, in: 2...10_000_000),
        .integer("--k", "K", "Neighbours per query", default: 10, in: 1...100_000),
        .integer("--repeat", "R", "Runs per measurement (median reported)", default: 3, in: 1...100),
        .flag("--json", "Print JSON."),
    ],
    run: { args in
        let model = try LoadedModel(path: try args.required("--model"))
        let spec = try usageChecked("--data") { try DatasetSpec(parsing: try args.required("--data")) }
        guard DatasetDocuments.canRead(spec) else { throw UsageError(description: "--data: give a text dataset (text:DIR or text:FILE)") }
        let documents = try DatasetDocuments.read(spec)
        let n = try args.int("--documents")!, q = try args.int("--queries")!, k = try args.int("--k")!, repeats = try args.int("--repeat")!
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let dir = NSTemporaryDirectory() + "semhash-bench-stream-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        func jsonLine(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        var streamLines: [String] = []
        for i in 0..<n {
            let d = documents[i % documents.count]
            streamLines.append(try jsonLine(["id": "\(i / documents.count)/\(d.id)", "text": d.text]))
        }
        let queries = (0..<q).map { i in
            IndexedItem.snippet(of: documents[(i * 7919) % documents.count].text, limit: 10_000)
                .split(separator: " ").prefix(12).joined(separator: " ")
        }
        let files = ["docs": streamLines, "doc1": [streamLines[0]], "queries": queries, "query1": [queries[0]]]
        for (name, lines) in files { try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/\(name)", atomically: false, encoding: .utf8) }

        var encoder = try model.encoder()
        var builder = IndexedCollectionBuilder(bits: model.bits, provenance: model.provenance)
        for start in stride(from: 0, to: documents.count, by: 1024) {
            let batch = Array(documents[start ..< min(start + 1024, documents.count)])
            builder.add(batch, codes: encoder.codes(for: batch.map(\.text)))
        }
        let index = "\(dir)/index.smhi"
        try IndexFile.write(builder.build(), to: index)

        func run(_ arguments: [String], input: String) throws -> Double {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = arguments
            p.standardInput = FileHandle(forReadingAtPath: "\(dir)/\(input)")
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw SemanticHashingError.io(path: binary, reason: "'semhash \(arguments.joined(separator: " "))' failed with exit \(p.terminationStatus)")
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let encodeArguments = ["encode", "--model", model.path, "--stdin", "--input", "jsonl"]
        let searchArguments = ["search", "--index", index, "--model", model.path, "--stdin", "--k", "\(k)"]
        var times: [String: [Double]] = [:]
        for _ in 0..<repeats {
            times["encode1", default: []].append(try run(encodeArguments, input: "doc1"))
            times["encodeN", default: []].append(try run(encodeArguments, input: "docs"))
            times["search1", default: []].append(try run(searchArguments, input: "query1"))
            times["searchQ", default: []].append(try run(searchArguments, input: "queries"))
        }
        let m = times.mapValues(median)
        let encodeRate = Double(n - 1) / max(1e-9, m["encodeN"]! - m["encode1"]!)
        let searchRate = Double(q - 1) / max(1e-9, m["searchQ"]! - m["search1"]!)
        if args.flag("--json") {
            try CommonOptions.printJSON([
                "documents": n, "queries": q, "k": k, "repeat": repeats, "indexedDocuments": documents.count, "bits": model.bits,
                "encodeDocumentsPerSecond": encodeRate.rounded(), "encodeStartSeconds": m["encode1"]!,
                "encodeSeconds": m["encodeN"]!, "searchQueriesPerSecond": searchRate.rounded(),
                "searchStartSeconds": m["search1"]!, "searchSeconds": m["searchQ"]!,
            ])
        } else {
            print("streaming, \(model.bits)-bit \(model.file.model.configuration.preset.paperName) model, medians of \(repeats) runs")
            print(String(format: "  encode --stdin  %8.0f documents/s   (%d documents: %.2f s; start-up %.2f s)",
                         encodeRate, n, m["encodeN"]!, m["encode1"]!))
            print(String(format: "  search --stdin  %8.0f queries/s     (%d queries over %d documents, k %d: %.2f s; start-up %.2f s)",
                         searchRate, q, documents.count, k, m["searchQ"]!, m["search1"]!))
        }
    })
