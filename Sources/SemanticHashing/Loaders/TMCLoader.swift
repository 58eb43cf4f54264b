/// Reads TMC2007-500 as distributed by Mulan: `DIR/tmc2007-500-train.arff`,
/// `DIR/tmc2007-500-test.arff` (sparse ARFF, 500 binary word features + 22 binary labels) and
/// `DIR/tmc2007-500.xml` (the label names; their attributes must be the last ones). A seeded 10 % of the training items becomes the
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
        let o = try LoaderOptions(options, loader: "tmc", known: ["validation", "seed", "values"])
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return try ARFFLoader.load(trainPath: "\(dir)/tmc2007-500-train.arff", testPath: "\(dir)/tmc2007-500-test.arff",
                                   labels: "\(dir)/tmc2007-500.xml", options: o, defaultValidationFraction: 0.1,
                                   name: "tmc", format: "tmc (Mulan ARFF)",
                                   values: try o.choice("values", ["stored": .stored, "tfidf": .tfidf], default: .tfidf), labelsLast: true)
    }
}
