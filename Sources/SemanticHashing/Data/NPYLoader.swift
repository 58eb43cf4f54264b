/// Placeholder until this loader is written.
public enum NPYLoader {
    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the NPYLoader loader is not written yet")
    }
}
