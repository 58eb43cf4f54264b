/// Reads TMC2007-500 as distributed by Mulan: `DIR/tmc2007-500-train.arff`,
/// `DIR/tmc2007-500-test.arff` (sparse ARFF, 500 binary word features + 22 binary labels) and
/// `DIR/tmc2007-500.xml` (the label names). A seeded 10 % of the training items becomes the
/// validation split. Items without any label are kept (they count as unlabelled). The encoder input
/// is the tf-idf of the binary word features (design.md, Datasets: TMC's input is tf-idf), with the idf fitted on
/// the training file; `values=stored` keeps the raw 0/1 features instead.
///
/// Spec: `tmc:DIR` with options `validation=N|FRACTION` (default 0.1), `seed` (default 20) and
/// `values=tfidf|stored` (default tfidf).
///
/// ```swift
/// let tmc = try TMCLoader.load(directory: "datasets/tmc2007-500", options: [:])
/// ```
public enum TMCLoader {
    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        let known: Set<String> = ["validation", "seed", "values"]
        if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw SemanticHashingError.invalidArgument(name: "tmc", reason: "unknown option '\(bad)'; valid: validation, seed, values")
        }
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return try ARFFLoader.load(trainPath: "\(dir)/tmc2007-500-train.arff", testPath: "\(dir)/tmc2007-500-test.arff",
                                   labels: "\(dir)/tmc2007-500.xml", validation: options["validation"],
                                   defaultValidationFraction: 0.1,
                                   seed: try SplitCarving.seed(option: options["seed"], defaultSeed: 20),
                                   name: "tmc", format: "tmc (Mulan ARFF)",
                                   values: try ARFFLoader.FeatureValues(option: options["values"], default: .tfidf, loader: "tmc"))
    }
}
