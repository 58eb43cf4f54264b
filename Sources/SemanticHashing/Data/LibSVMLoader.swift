/// Placeholder until this loader is written.
public enum LibSVMLoader {
    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "the LibSVMLoader loader is not written yet")
    }
}
