/// Placeholder until this loader is written.
public enum SnippetsLoader {
    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the SnippetsLoader loader is not written yet")
    }
}
