/// Every choice of a `TextVectorizer`, stored with it so new text is processed exactly as in training.
///
/// A document becomes terms in this order (scikit-learn's `CountVectorizer` with a custom tokenizer):
/// 1. lower-case (`lowercase`), split into tokens by `tokenPattern`;
/// 2. strip `stripCharacters` from both ends of each token, lemmatise it (`lemmatizer`), keep it when it
///    has at least `minTokenLength` code points and (with `dropLeadingDigit`) does not start with a digit;
/// 3. remove English stop words (`removeStopWords`, `EnglishStopWords`);
/// 4. form the n-grams for n in `ngramMin...ngramMax` from the remaining tokens, joined by one space.
///
/// Fitting keeps the terms whose document frequency is at least `minDocumentFrequency` and at most
/// `maxDocumentFrequency · n` (n = fitted documents), then the `maxFeatures` best by `ranking` (ties
/// alphabetical); columns are alphabetical.
/// Values: `counts` (tf), `log1p` (log(1 + tf)) or `tfidf` (tf · (ln((1 + n)/(1 + df)) + 1), each row
/// scaled to unit l2 norm).
///
/// ```swift
/// var s = TextVectorizerSettings.snippets      // the paper's Snippets recipe
/// s.maxFeatures = 5_000
/// let v = TextVectorizer.fit(docs, settings: s)
/// ```
public struct TextVectorizerSettings: Codable, Sendable, Equatable {
    /// How the vocabulary is cut to `maxFeatures` terms.
    public enum Ranking: String, Codable, Sendable {
        /// Total count over the fitted documents (scikit-learn's `max_features`).
        case totalCount
        /// Number of fitted documents containing the term (the VDSH 20 Newsgroups recipe).
        case documentFrequency
    }

    /// The values the vectoriser outputs as encoder input.
    public enum ValueTransform: String, Codable, Sendable, CaseIterable {
        case counts
        case log1p
        case tfidf
        /// (1 + ln tf)·idf with l2 rows: scikit-learn's `sublinear_tf=True`.
        case sublinearTFIDF = "sublinear-tfidf"
    }

    public var tokenPattern: TokenPattern
    public var lowercase: Bool
    /// Characters stripped from both ends of every token (Python's `str.strip(chars)`).
    public var stripCharacters: String
    public var lemmatizer: LemmatizerKind
    public var minTokenLength: Int
    public var dropLeadingDigit: Bool
    public var removeStopWords: Bool
    public var ngramMin: Int
    public var ngramMax: Int
    /// Fraction of fitted documents a term may occur in; 1 keeps all.
    public var maxDocumentFrequency: Double
    /// Fewest fitted documents a term must occur in; 1 keeps all. A term of one document links it
    /// to no other, yet has the largest idf, so it weighs most in that document's row.
    public var minDocumentFrequency: Int
    public var maxFeatures: Int
    public var ranking: Ranking
    public var valueTransform: ValueTransform

    public init(tokenPattern: TokenPattern, lowercase: Bool = true, stripCharacters: String = "",
                lemmatizer: LemmatizerKind = .none, minTokenLength: Int = 2, dropLeadingDigit: Bool = false,
                removeStopWords: Bool = true, ngramMin: Int = 1, ngramMax: Int = 1, maxDocumentFrequency: Double = 1,
                minDocumentFrequency: Int = 1, maxFeatures: Int = 10_000, ranking: Ranking = .totalCount,
                valueTransform: ValueTransform = .counts) {
        self.tokenPattern = tokenPattern
        self.lowercase = lowercase
        self.stripCharacters = stripCharacters
        self.lemmatizer = lemmatizer
        self.minTokenLength = minTokenLength
        self.dropLeadingDigit = dropLeadingDigit
        self.removeStopWords = removeStopWords
        self.ngramMin = ngramMin
        self.ngramMax = ngramMax
        self.maxDocumentFrequency = maxDocumentFrequency
        self.minDocumentFrequency = minDocumentFrequency
        self.maxFeatures = maxFeatures
        self.ranking = ranking
        self.valueTransform = valueTransform
    }

    /// The Snippets recipe of the reference (design.md, Datasets): WordNet noun lemmas of 3+ characters not
    /// starting with a digit, stop words removed, 1–3-grams, max df 0.8, the 10 000 most frequent
    /// terms, log(1 + tf).
    public static let snippets = TextVectorizerSettings(
        tokenPattern: .words, stripCharacters: "-_", lemmatizer: .wordnet, minTokenLength: 3,
        dropLeadingDigit: true, ngramMin: 1, ngramMax: 3, maxDocumentFrequency: 0.8, maxFeatures: 10_000,
        ranking: .totalCount, valueTransform: .log1p)

    /// The default for a user's own text (`text:` loader): the Snippets tokens, lemmas and 1–3-grams,
    /// but stop words kept, terms of a single document dropped and sublinear tf-idf values. Chosen
    /// on validation splits of TREC and Ohsumed (docs/results/defaults.md): short texts such as
    /// questions carry their meaning in function words ("who", "how many"), and the idf weighting
    /// lifts rare, topical terms. Where the collection has fewer than 10 000 terms, every n-gram of
    /// one document would be kept, and weighted most (section 18 there).
    public static let collection = TextVectorizerSettings(
        tokenPattern: .words, stripCharacters: "-_", lemmatizer: .wordnet, minTokenLength: 3,
        dropLeadingDigit: true, removeStopWords: false, ngramMin: 1, ngramMax: 3, maxDocumentFrequency: 0.8,
        minDocumentFrequency: 2, maxFeatures: 10_000, ranking: .totalCount, valueTransform: .sublinearTFIDF)

    /// The VDSH-style 20 Newsgroups recipe: runs of 2+ ASCII letters, stop words removed, the
    /// 10 000 terms of highest document frequency, smoothed tf-idf with l2 rows.
    public static let newsgroups = TextVectorizerSettings(
        tokenPattern: .asciiLetters, minTokenLength: 2, ngramMin: 1, ngramMax: 1, maxDocumentFrequency: 1,
        maxFeatures: 10_000, ranking: .documentFrequency, valueTransform: .tfidf)

    // The minimum document frequency is written only when it drops terms, so the settings of a
    // model saved before it existed encode, and fingerprint (`ModelFingerprint`), as they did.
    private enum CodingKeys: String, CodingKey {
        case tokenPattern, lowercase, stripCharacters, lemmatizer, minTokenLength, dropLeadingDigit, removeStopWords,
             ngramMin, ngramMax, maxDocumentFrequency, minDocumentFrequency, maxFeatures, ranking, valueTransform
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tokenPattern: try c.decode(TokenPattern.self, forKey: .tokenPattern), lowercase: try c.decode(Bool.self, forKey: .lowercase),
                  stripCharacters: try c.decode(String.self, forKey: .stripCharacters),
                  lemmatizer: try c.decode(LemmatizerKind.self, forKey: .lemmatizer),
                  minTokenLength: try c.decode(Int.self, forKey: .minTokenLength), dropLeadingDigit: try c.decode(Bool.self, forKey: .dropLeadingDigit),
                  removeStopWords: try c.decode(Bool.self, forKey: .removeStopWords),
                  ngramMin: try c.decode(Int.self, forKey: .ngramMin), ngramMax: try c.decode(Int.self, forKey: .ngramMax),
                  maxDocumentFrequency: try c.decode(Double.self, forKey: .maxDocumentFrequency),
                  minDocumentFrequency: try c.decodeIfPresent(Int.self, forKey: .minDocumentFrequency) ?? 1,
                  maxFeatures: try c.decode(Int.self, forKey: .maxFeatures), ranking: try c.decode(Ranking.self, forKey: .ranking),
                  valueTransform: try c.decode(ValueTransform.self, forKey: .valueTransform))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokenPattern, forKey: .tokenPattern)
        try c.encode(lowercase, forKey: .lowercase)
        try c.encode(stripCharacters, forKey: .stripCharacters)
        try c.encode(lemmatizer, forKey: .lemmatizer)
        try c.encode(minTokenLength, forKey: .minTokenLength)
        try c.encode(dropLeadingDigit, forKey: .dropLeadingDigit)
        try c.encode(removeStopWords, forKey: .removeStopWords)
        try c.encode(ngramMin, forKey: .ngramMin)
        try c.encode(ngramMax, forKey: .ngramMax)
        try c.encode(maxDocumentFrequency, forKey: .maxDocumentFrequency)
        if minDocumentFrequency != 1 { try c.encode(minDocumentFrequency, forKey: .minDocumentFrequency) }
        try c.encode(maxFeatures, forKey: .maxFeatures)
        try c.encode(ranking, forKey: .ranking)
        try c.encode(valueTransform, forKey: .valueTransform)
    }

    /// Human-readable lines for `datasets info`.
    public var summary: [(key: String, value: String)] {
        var tokens = tokenPattern == .words ? "runs of 2+ word characters" : "runs of 2+ ASCII letters"
        if lowercase { tokens += ", lower-cased" }
        if !stripCharacters.isEmpty { tokens += ", stripped of '\(stripCharacters)'" }
        tokens += ", kept with ≥ \(minTokenLength) characters"
        if dropLeadingDigit { tokens += " not starting with a digit" }
        let values: String
        switch valueTransform {
        case .counts: values = "tf (raw counts)"
        case .log1p: values = "log(1 + tf); reconstruction target tf"
        case .tfidf: values = "tf-idf, idf = ln((1+n)/(1+df)) + 1, rows l2-normalised"
        case .sublinearTFIDF: values = "(1 + ln tf)·idf, idf = ln((1+n)/(1+df)) + 1, rows l2-normalised"
        }
        return [
            ("tokens", tokens),
            ("lemmatizer", lemmatizer.rawValue),
            ("stop words", removeStopWords ? "scikit-learn English (318)" : "kept"),
            ("n-grams", ngramMin == ngramMax ? "\(ngramMin)" : "\(ngramMin)–\(ngramMax)"),
            ("max document frequency", maxDocumentFrequency >= 1 ? "none" : "\(maxDocumentFrequency)"),
            ("min document frequency", minDocumentFrequency <= 1 ? "none" : "\(minDocumentFrequency) documents"),
            ("max features", "\(maxFeatures) by \(ranking == .totalCount ? "total count" : "document frequency")"),
            ("values", values),
        ]
    }
}
