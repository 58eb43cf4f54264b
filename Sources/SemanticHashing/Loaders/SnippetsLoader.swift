import Foundation

/// Loads the Snippets corpus (Google search snippets, 8 classes) from `DIR/train.txt` and
/// `DIR/test.txt` and vectorises it as the paper's reference did (design.md, Datasets).
///
/// - each line: space-separated terms, class label last (`LabelledLineFile` rules: blank lines are
///   skipped, a line with a label and no terms is an error naming `file:line`);
/// - classes: the training labels sorted alphabetically; a test label not among them is an error;
/// - train.txt is split by `SeededPartition` (seed option, default 20) into train and validation
///   (last ⌊n/10⌋ shuffled lines: 10 060 → 9 054 / 1 006);
/// - the vectoriser (`TextVectorizerSettings.snippets`) is fitted on the train part only;
///   features = log(1 + tf), reconstruction target = tf.
///
/// Options: `seed`, `lemmatizer=wordnet|porter2|none` (WordNet falls back to Porter2 when not
/// installed), `features=N`, `ngrams=1..3`, `stopwords`, `values`, `min-df=N` (default 1, as the
/// reference), `encoding` (`TextEncoding`, default auto); `TextLoaderOptions` has them all. Item ids
/// are "train.txt:LINE" / "test.txt:LINE".
///
/// ```swift
/// let data = try SnippetsLoader.load(directory: "datasets/snippets", options: [:])
/// data.train.count   // 9054
/// ```
public enum SnippetsLoader {
    public static func load(directory: String, options: [String: String], vectorizer: TextVectorizer? = nil) throws -> Dataset {
        let opts = try TextLoaderOptions(options, loader: "snippets")
        var settings = TextVectorizerSettings.snippets
        opts.apply(to: &settings)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SemanticHashingError.missingInput(path: directory, reason: "no such directory (expected train.txt and test.txt in it)")
        }
        let trainFile = try LabelledLineFile(path: (directory as NSString).appendingPathComponent("train.txt"), encoding: opts.encoding)
        let testFile = try LabelledLineFile(path: (directory as NSString).appendingPathComponent("test.txt"), encoding: opts.encoding)

        let classNames = Set(trainFile.entries.map(\.label)).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var documents = trainFile.entries.map {
            LabelledDocument(text: $0.text, label: classIndex[$0.label]!, display: TextDatasetBuilder.displayText($0.text),
                             id: "train.txt:\($0.line)")
        }
        for e in testFile.entries {
            guard let label = classIndex[e.label] else {
                throw SemanticHashingError.malformedInput(location: "\(testFile.path):\(e.line)",
                                                          reason: "label '\(e.label)' does not occur in \(trainFile.path)")
            }
            documents.append(LabelledDocument(text: e.text, label: label, display: TextDatasetBuilder.displayText(e.text),
                                              id: "test.txt:\(e.line)"))
        }
        let partition = SeededPartition(count: trainFile.entries.count, seed: opts.seed)
        let testRows = Array(trainFile.entries.count..<documents.count)
        return try TextDatasetBuilder.build(
            name: "snippets", source: directory, documents: documents,
            train: partition.train, validation: partition.validation, test: testRows, classNames: classNames,
            settings: settings,prefitted: vectorizer,
            loaderSettings: [("split", "train.txt shuffled with seed \(opts.seed): last 10 % is validation"),
                             ("seed", "\(opts.seed)"), ("encoding", opts.encoding.rawValue)],
            notes: [trainFile, testFile].filter { $0.fallbackLines > 0 }.map {
                "\($0.fallbackLines) of \($0.entries.count) lines of \($0.path) were not valid UTF-8 and were read as Windows-1252"
            })
    }
}
