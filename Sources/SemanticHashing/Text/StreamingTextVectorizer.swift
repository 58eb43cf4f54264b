/// A fitted `TextVectorizer` made ready for a stream of small batches. `TextVectorizer.transform`
/// loads the vocabulary into a fresh n-gram counter on every call (milliseconds for 10 000 terms)
/// and forgets its cache of lemmatised words; this keeps both between batches, so a batch of one
/// query costs what its words cost. The output is the same as `transform`:
///
/// ```
/// streaming.transform(docs) == vectorizer.transform(docs)       for every batch
/// ```
/// The word cache grows with the distinct words seen; it is dropped every `refreshInterval`
/// documents, so memory stays bounded on an endless stream.
///
/// ```swift
/// var streaming = StreamingTextVectorizer(vectorizer)
/// let (x, _) = streaming.transform(["first document", "second one"])
/// ```
public struct StreamingTextVectorizer {
    public let vectorizer: TextVectorizer
    public var refreshInterval = 100_000
    private var counter: NGramCounter
    private var column: [Int32] = []
    private var documentsSinceRefresh = 0
    private var words: [Int32] = []

    public init(_ vectorizer: TextVectorizer) {
        self.vectorizer = vectorizer
        counter = NGramCounter(sequencer: TokenSequencer(settings: vectorizer.settings, growing: false))
        refresh()
    }

    /// A counter holding exactly the vocabulary's terms, frozen (the set-up of `transform`).
    private mutating func refresh() {
        counter = NGramCounter(sequencer: TokenSequencer(settings: vectorizer.settings, growing: false))
        column = []
        for (c, term) in vectorizer.vocabulary.enumerated() {
            let t = counter.addTerm(words: term.split(separator: " ").map(String.init))
            if t >= column.count { column.append(contentsOf: repeatElement(-1, count: t + 1 - column.count)) }
            column[t] = Int32(c)
        }
        counter.frozen = true
        documentsSinceRefresh = 0
    }

    /// Encodes documents with the fitted vocabulary: (encoder input, raw term counts).
    public mutating func transform(_ documents: [String]) -> (features: SparseMatrix, counts: SparseMatrix) {
        if documentsSinceRefresh >= refreshInterval { refresh() }
        documentsSinceRefresh += documents.count
        var docs = DocumentTermCounts()
        for d in documents { counter.count(d, into: &docs) }
        let counts = docs.matrix(columns: vectorizer.vocabulary.count, columnOf: column)
        return (vectorizer.features(fromCounts: counts), counts)
    }

    /// How many of the document's words (after stop words and the length rules) occur in some
    /// vocabulary term, of how many: a query with few known words gets an uninformative code.
    public mutating func wordCoverage(of document: String) -> (known: Int, words: Int) {
        words.removeAll(keepingCapacity: true)
        counter.sequencer.tokenIDs(of: document, into: &words)
        return (words.filter { $0 >= 0 }.count, words.count)
    }
}
