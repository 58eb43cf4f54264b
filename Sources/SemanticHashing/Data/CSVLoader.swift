/// Placeholder until this loader is written.
public enum CSVLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the CSVLoader loader is not written yet")
    }
}
