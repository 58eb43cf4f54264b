/// Placeholder until this loader is written.
public enum SyntheticCorpus {
    public static func load(argument: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the SyntheticCorpus loader is not written yet")
    }
}
