import Foundation
import SemanticHashing

/// Metric names in the order the reference's CSV and the paper use.
let metricOrder = ["p@100", "r@100", "p@1000", "p@5000", "map@100", "map@1000", "map@5000"]

let evaluateCommand = Command(
    words: ["evaluate"],
    summary: "Encode database (train+val) and queries (test) with a model and report retrieval metrics.",
    discussion: """
    Ranks the database by Hamming distance to each query, ties broken by database index, and
    reports P@K, R@100 and MAP@K (design.md, Evaluation); relevant = sharing a class.
    """,
    options: [
        .value("--model", "FILE", "A model written by 'semhash train'").required(),
        CommonOptions.data,
        CommonOptions.json,
    ],
    run: { args in
        let file = try ModelFile.read(from: try args.required("--model"))
        let (dataset, _) = try CommonOptions.loadDataset(args, quiet: true, for: file)
        let config = file.model.configuration
        try file.checkInputs(of: dataset, source: try args.required("--data"))
        let start = Date()
        let metrics = HashingRun.evaluate(file.model, on: dataset)
        let seconds = Date().timeIntervalSince(start)
        if args.flag("--json") {
            var object: [String: Any] = metrics
            object["model"] = config.preset.rawValue
            object["bits"] = config.bits
            object["supervision"] = file.metadata.supervision ?? NSNull()
            object["seed"] = file.metadata.training.seed
            object["train_seconds"] = file.metadata.trainSeconds
            object["evaluate_seconds"] = seconds
            try CommonOptions.printJSON(object)
        } else {
            print("\(config.preset.paperName), \(config.bits) bits, trained on \(file.metadata.dataset)")
            for name in metricOrder + metrics.keys.filter({ !metricOrder.contains($0) }).sorted() {
                if let v = metrics[name] { print("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%.4f", v)) }
            }
            print(String(format: "  (%d queries × %d items in %.2f s)", dataset.test.count, dataset.database.count, seconds))
        }
    }
)
