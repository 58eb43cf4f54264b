/// Placeholder until this loader is written.
public enum TMCLoader {
    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the TMCLoader loader is not written yet")
    }
}
