import Foundation
import SemanticHashing

/// `semhash datasets info DATASET [--json]`: loads a dataset and prints its sizes, classes, label
/// statistics, sparsity, reconstruction kind, loader settings and load time.
///
/// ```
/// semhash datasets info synthetic:classes=4
/// semhash datasets info 'libsvm:ref/train.svm,ref/test.svm?values=log1p' --json
/// ```
enum DatasetsCommand {
    static func info() -> Command {
        Command(
    words: ["datasets", "info"],
    summary: "Load a dataset and describe it (splits, classes, labels, sparsity, settings).",
    discussion: """
    DATASET is KIND:ARGUMENT[?key=value&…], one of:
      libsvm:TRAIN[,TEST]   arff:TRAIN[,TEST]   tmc:DIR   mat:FILE   npy:FEATURES,LABELS   csv:FILE
      fashion-mnist:DIR     synthetic[:key=value,…]   snippets:DIR   20news:DIR   text:DIR|FILE
    """,
    positionals: [("DATASET", "The dataset, e.g. 'synthetic:classes=8,docs=3000' or 'tmc:datasets/tmc2007-500'.")],
    options: [.flag("--json", "Print one JSON object instead of a table.")],
    run: { args in
        let text = try args.positional(0)
        let spec = try DatasetSpec(parsing: text)
        let start = Date()
        let dataset = try spec.load()
        let seconds = Date().timeIntervalSince(start)
        let summary = DatasetSummary(dataset: dataset, spec: text, loadSeconds: seconds)
        print(args.flag("--json") ? try summary.json() : summary.table())
    }
)
    }
}
