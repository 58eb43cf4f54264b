public enum SemanticHashingVersion {
    public static let string = "0.1.0"
}
