/// Placeholder until this loader is written.
public enum MATLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the MATLoader loader is not written yet")
    }
}
