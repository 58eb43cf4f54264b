/// Placeholder until this loader is written.
public enum TextCorpusLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the TextCorpusLoader loader is not written yet")
    }
}
