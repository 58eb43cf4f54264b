/// A fitted bag-of-n-grams vectoriser (SPEC §7). Placeholder shape; filled in by the text pipeline.
public struct TextVectorizer: Codable, Sendable {
    public var vocabulary: [String]

    public init(vocabulary: [String]) { self.vocabulary = vocabulary }
}
