/// Placeholder until this loader is written.
public enum ARFFLoader {
    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the ARFFLoader loader is not written yet")
    }
}
