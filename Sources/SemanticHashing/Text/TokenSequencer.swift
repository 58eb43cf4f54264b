/// Turns documents into sequences of token ids by the token rules of `TextVectorizerSettings`
/// (steps 1–3: tokenise, strip, lemmatise, length/digit filter, stop words).
///
/// Each distinct surface form is processed once and cached, because lemmatising is by far the
/// most expensive step and corpora repeat their words many times. Processed tokens are interned:
/// `words[id]` is the token of `id`. A frozen sequencer (for transforming new text) does not add
/// words: a token outside its table gets `unknown`, which stays in the sequence so that n-grams
/// spanning it are not formed (scikit-learn builds n-grams before looking terms up).
///
/// ```swift
/// var seq = TokenSequencer(settings: .snippets, growing: true)
/// var ids: [Int32] = []
/// seq.tokenIDs(of: "Churches and geese", into: &ids)   // ids of "church", "goose"
/// ```
struct TokenSequencer {
    static let unknown: Int32 = -2
    private static let dropped: Int32 = -1

    let settings: TextVectorizerSettings
    let lemmatizer: Lemmatizer
    let growing: Bool
    private var surfaceCache: [String: Int32] = [:]
    private(set) var ids: [String: Int32] = [:]
    private(set) var words: [String] = []
    private let strip: Set<Unicode.Scalar>

    init(settings: TextVectorizerSettings, growing: Bool) {
        self.settings = settings
        self.growing = growing
        lemmatizer = Lemmatizer(kind: settings.lemmatizer)
        strip = Set(settings.stripCharacters.unicodeScalars)
    }

    /// The id of `word`, adding it if needed (used to load a fitted vocabulary's words).
    mutating func intern(_ word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(words.count)
        ids[word] = id
        words.append(word)
        return id
    }

    /// Appends the ids of the document's tokens to `out` (dropped tokens leave no trace).
    mutating func tokenIDs(of document: String, into out: inout [Int32]) {
        let text = settings.lowercase && settings.tokenPattern == .words ? document.lowercased() : document
        let lowerASCII = settings.lowercase && settings.tokenPattern == .asciiLetters
        Tokenizer.forEachToken(in: text, pattern: settings.tokenPattern) { surface in
            let id: Int32
            if let cached = surfaceCache[surface] {
                id = cached
            } else {
                id = process(lowerASCII ? asciiLowercased(surface) : surface)
                surfaceCache[surface] = id
            }
            if id != Self.dropped { out.append(id) }
        }
    }

    private func asciiLowercased(_ s: String) -> String {
        // Only ASCII letters reach here, so lower-casing byte-wise is exact.
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private mutating func process(_ surface: String) -> Int32 {
        var token = surface
        if !strip.isEmpty {
            let scalars = surface.unicodeScalars
            var lo = scalars.startIndex, hi = scalars.endIndex
            while lo < hi, strip.contains(scalars[lo]) { lo = scalars.index(after: lo) }
            while hi > lo, strip.contains(scalars[scalars.index(before: hi)]) { hi = scalars.index(before: hi) }
            token = String(scalars[lo..<hi])
        }
        if settings.lemmatizer != .none && !token.isEmpty { token = lemmatizer(token) }
        let scalars = token.unicodeScalars
        guard scalars.count >= settings.minTokenLength else { return Self.dropped }
        if settings.dropLeadingDigit, let first = scalars.first,
           first.properties.numericType == .decimal || first.properties.numericType == .digit {
            return Self.dropped
        }
        if settings.removeStopWords && EnglishStopWords.contains(token) { return Self.dropped }
        if let id = ids[token] { return id }
        return growing ? intern(token) : Self.unknown
    }
}
