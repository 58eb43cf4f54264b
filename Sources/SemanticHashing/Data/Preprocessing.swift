/// What turns a new raw item into model features exactly as training did. Stored in model files.
public enum Preprocessing: Codable, Sendable {
    /// Items arrive as feature vectors already; nothing to do.
    case none
    /// Raw text through a fitted vectoriser (vocabulary, tokenizer, lemmatizer, value transform).
    case text(TextVectorizer)
}
