/// A dataset named on the command line: `KIND:ARGUMENT[?key=value&key=value]`.
///
/// ```
/// snippets:DIR          20news:DIR         tmc:DIR           text:DIR | text:FILE
/// libsvm:TRAIN[,TEST]   arff:TRAIN[,TEST]  mat:FILE          npy:FEATURES,LABELS
/// csv:FILE              fashion-mnist:DIR  synthetic[:key=value,…]
/// ```
///
/// ```swift
/// let data = try DatasetSpec(parsing: "snippets:../shared/datasets/snippets").load()
/// ```
public struct DatasetSpec: Sendable, CustomStringConvertible {
    public var kind: String
    public var argument: String
    public var options: [String: String]
    /// The text as given, for messages and model metadata.
    public var description: String

    public static let kinds = ["snippets", "20news", "tmc", "text", "libsvm", "arff", "mat", "npy", "csv",
                               "fashion-mnist", "synthetic"]

    public init(parsing text: String) throws {
        description = text
        var body = text
        options = [:]
        if let q = text.firstIndex(of: "?") {
            body = String(text[..<q])
            for pair in text[text.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty else {
                    throw SemanticHashingError.invalidArgument(name: "dataset spec", reason: "option '\(pair)' in '\(text)' is not key=value")
                }
                guard options[kv[0]] == nil else {
                    throw SemanticHashingError.invalidArgument(name: "dataset spec", reason: "option '\(kv[0])' is given twice in '\(text)'")
                }
                options[kv[0]] = kv[1]
            }
        }
        if let colon = body.firstIndex(of: ":") {
            kind = String(body[..<colon])
            argument = String(body[body.index(after: colon)...])
        } else {
            kind = body
            argument = ""
        }
        guard Self.kinds.contains(kind) else {
            throw SemanticHashingError.invalidArgument(name: "dataset spec", reason: "unknown dataset kind '\(kind)' in '\(text)'; valid: \(Self.kinds.joined(separator: ", "))")
        }
        if argument.isEmpty && kind != "synthetic" && kind != "fashion-mnist" {  // fashion-mnist: the installed copy
            throw SemanticHashingError.invalidArgument(name: "dataset spec", reason: "'\(kind)' needs a path, as in '\(kind):PATH'")
        }
    }

    /// Reads and prepares the dataset.
    public func load() throws -> Dataset { try load(vectorizer: nil) }

    /// Reads the dataset; a text dataset is vectorised with `vectorizer` when one is given (a
    /// trained model's, so the features are the model's inputs) instead of a newly fitted one.
    public func load(vectorizer: TextVectorizer?) throws -> Dataset {
        switch kind {
        case "snippets": return try SnippetsLoader.load(directory: argument, options: options, vectorizer: vectorizer)
        case "20news": return try NewsgroupsLoader.load(directory: argument, options: options, vectorizer: vectorizer)
        case "text": return try TextCorpusLoader.load(path: argument, options: options, vectorizer: vectorizer)
        case "tmc": return try TMCLoader.load(directory: argument, options: options)
        case "libsvm": return try LibSVMLoader.load(paths: argument, options: options)
        case "arff": return try ARFFLoader.load(paths: argument, options: options)
        case "mat": return try MATLoader.load(path: argument, options: options)
        case "npy": return try NPYLoader.load(paths: argument, options: options)
        case "csv": return try CSVLoader.load(path: argument, options: options)
        case "fashion-mnist": return try FashionMNISTLoader.load(directory: argument, options: options)
        case "synthetic": return try SyntheticCorpus.load(argument: argument, options: options)
        default: preconditionFailure("DatasetSpec: kind checked in init")
        }
    }
}
