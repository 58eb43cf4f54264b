/// Placeholder until this loader is written.
public enum NewsgroupsLoader {
    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the NewsgroupsLoader loader is not written yet")
    }
}
