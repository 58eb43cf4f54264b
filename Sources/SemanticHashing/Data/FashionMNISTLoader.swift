/// Placeholder until this loader is written.
public enum FashionMNISTLoader {
    public static func load(directory: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the FashionMNISTLoader loader is not written yet")
    }
}
