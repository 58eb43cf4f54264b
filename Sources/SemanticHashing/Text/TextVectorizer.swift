import Foundation

/// A fitted bag-of-n-grams vectoriser (design.md, Datasets): the settings, the vocabulary (column order) and,
/// for tf-idf, the idf weights. Stored inside model files, so new raw text is encoded exactly as
/// the training text was.
///
/// `transform` gives, for documents d and columns t:
/// - `counts[d, t]` = tf = how often term t occurs in d (the n-grams of `TextVectorizerSettings`);
/// - `features[d, t]` = tf, log(1 + tf), or tf · idf(t) with each row scaled to unit l2 norm,
///   where idf(t) = ln((1 + n) / (1 + df(t))) + 1 over the n fitted documents.
///
/// ```swift
/// let v = TextVectorizer.fit(trainTexts, settings: .snippets)
/// let (x, tf) = v.transform(["stock market game"])
/// ```
/// Fitting keeps the terms with `minDocumentFrequency` ≤ df ≤ `maxDocumentFrequency` · n, then the
/// `maxFeatures` best by the ranking (ties alphabetical, as scikit-learn's stable sort over its
/// alphabetical columns), then puts the columns in alphabetical (code-point) order.
public struct TextVectorizer: Codable, Sendable {
    public private(set) var settings: TextVectorizerSettings
    /// The terms, in column order; n-grams are words joined by one space.
    public private(set) var vocabulary: [String]
    /// idf per column (tf-idf only).
    public private(set) var inverseDocumentFrequency: [Double]?
    /// How many documents the vectoriser was fitted on.
    public private(set) var fittedDocumentCount: Int

    public init(settings: TextVectorizerSettings, vocabulary: [String], inverseDocumentFrequency: [Double]? = nil,
                fittedDocumentCount: Int) {
        precondition(inverseDocumentFrequency.map { $0.count == vocabulary.count } ?? true,
                     "TextVectorizer: one idf weight per term")
        self.settings = settings
        self.vocabulary = vocabulary
        self.inverseDocumentFrequency = inverseDocumentFrequency
        self.fittedDocumentCount = fittedDocumentCount
    }

    public var featureCount: Int { vocabulary.count }

    /// Whether this machine can encode text exactly as at fitting time (false when the vectoriser
    /// was fitted with WordNet and no WordNet database is installed here).
    public var isReproducible: Bool { Lemmatizer(kind: settings.lemmatizer).isAvailable }

    /// Throws unless `isReproducible`; call after decoding a model on another machine.
    public func checkReproducible() throws {
        guard isReproducible else {
            throw SemanticHashingError.io(path: WordNetLemmatizer.defaultDirectory,
                                          reason: "the text vectoriser needs the WordNet database (Debian package wordnet-base) to lemmatise as in training")
        }
    }

    /// Fits a vectoriser on `documents`.
    public static func fit(_ documents: [String], settings: TextVectorizerSettings) -> TextVectorizer {
        fitTransform(documents, settings: settings).vectorizer
    }

    /// Fits on `documents` and returns their matrices too (without tokenising them twice).
    public static func fitTransform(_ documents: [String], settings: TextVectorizerSettings)
        -> (vectorizer: TextVectorizer, features: SparseMatrix, counts: SparseMatrix) {
        var counter = NGramCounter(sequencer: TokenSequencer(settings: settings, growing: true))
        var docs = DocumentTermCounts()
        for d in documents { counter.count(d, into: &docs) }

        let n = documents.count
        let terms = counter.termCount
        var df = [Int](repeating: 0, count: terms)
        var total = [Int](repeating: 0, count: terms)
        for k in docs.terms.indices {
            df[Int(docs.terms[k])] += 1
            total[Int(docs.terms[k])] += Int(docs.counts[k])
        }
        let maxDocs = settings.maxDocumentFrequency * Double(n)
        // df 0 marks prefixes of longer n-grams that are shorter than ngramMin: not terms.
        let candidates = (0..<terms).filter { df[$0] >= max(1, settings.minDocumentFrequency) && Double(df[$0]) <= maxDocs }
        let score = settings.ranking == .totalCount ? total : df
        let chosen = topTerms(candidates, score: score, limit: settings.maxFeatures, name: counter.termString)

        let named = chosen.map { (term: $0, name: counter.termString($0)) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var column = [Int32](repeating: -1, count: terms)
        for (c, t) in named.enumerated() { column[t.term] = Int32(c) }
        let idf = settings.valueTransform == .tfidf || settings.valueTransform == .sublinearTFIDF
            ? TFIDF.inverseDocumentFrequency(documentFrequency: named.map { df[$0.term] }, documentCount: n) : nil
        let vectorizer = TextVectorizer(settings: settings, vocabulary: named.map(\.name),
                                        inverseDocumentFrequency: idf, fittedDocumentCount: n)
        let counts = docs.matrix(columns: named.count, columnOf: column)
        return (vectorizer, vectorizer.features(fromCounts: counts), counts)
    }

    /// The `limit` terms of highest score; among equal scores the alphabetically first.
    private static func topTerms(_ candidates: [Int], score: [Int], limit: Int, name: (Int) -> String) -> [Int] {
        guard candidates.count > limit else { return candidates }
        guard limit > 0 else { return [] }
        let byScore = candidates.sorted { score[$0] > score[$1] }
        let cut = score[byScore[limit - 1]]
        // Only the tie group at the cut needs names, so build strings for it alone.
        let sure = byScore.prefix { score[$0] > cut }
        let tied = byScore.dropFirst(sure.count).prefix { score[$0] == cut }
            .map { (term: $0, name: name($0)) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return Array(sure) + tied.prefix(limit - sure.count).map(\.term)
    }

    /// Encodes documents with the fitted vocabulary: (encoder input, raw term counts).
    public func transform(_ documents: [String]) -> (features: SparseMatrix, counts: SparseMatrix) {
        var counter = NGramCounter(sequencer: TokenSequencer(settings: settings, growing: false))
        var column: [Int32] = []
        for (c, term) in vocabulary.enumerated() {
            let t = counter.addTerm(words: term.split(separator: " ").map(String.init))
            if t >= column.count { column.append(contentsOf: repeatElement(-1, count: t + 1 - column.count)) }
            column[t] = Int32(c)
        }
        counter.frozen = true
        var docs = DocumentTermCounts()
        for d in documents { counter.count(d, into: &docs) }
        let counts = docs.matrix(columns: vocabulary.count, columnOf: column)
        return (features(fromCounts: counts), counts)
    }

    /// The encoder input for a matrix of raw counts.
    public func features(fromCounts counts: SparseMatrix) -> SparseMatrix {
        switch settings.valueTransform {
        case .counts:
            return counts
        case .log1p:
            return counts.mapValues { Float(Foundation.log1p(Double($0))) }
        case .tfidf:
            return TFIDF.weight(counts, idf: inverseDocumentFrequency ?? Array(repeating: 1, count: counts.columns))
        case .sublinearTFIDF:
            let damped = counts.mapValues { $0 > 0 ? Float(1 + Foundation.log(Double($0))) : 0 }
            return TFIDF.weight(damped, idf: inverseDocumentFrequency ?? Array(repeating: 1, count: counts.columns))
        }
    }
}
