/// The `?key=value` options the text loaders accept, checked and parsed.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `seed` | seed of the train/validation(/test) shuffle | 20 |
/// | `lemmatizer` | `wordnet`, `porter2` or `none` | the recipe's |
/// | `features` | vocabulary size | 10 000 |
/// | `ngrams` | n-gram range, `1..3`, `1-3` or `2` | the recipe's |
/// | `encoding` | `auto`, `utf8`, `latin1` or `windows-1252` (`TextEncoding`) | auto |
/// | `stopwords` | `english` (scikit-learn's list removed) or `none` | the recipe's |
/// | `values` | `log1p`, `tfidf`, `sublinear-tfidf` or `counts` | the recipe's |
/// | `min-df` | fewest training documents a term must occur in | the recipe's (2 for `text:`, else 1) |
///
/// ```swift
/// let o = try TextLoaderOptions(["seed": "7", "features": "5000"], allowed: ["seed", "features"], loader: "snippets")
/// o.apply(to: &settings)
/// ```
public struct TextLoaderOptions: Sendable {
    public var seed: UInt64 = 20
    public var lemmatizer: LemmatizerKind?
    public var features: Int?
    public var ngrams: ClosedRange<Int>?
    public var encoding: TextEncoding = .auto
    public var removeStopWords: Bool?
    public var values: TextVectorizerSettings.ValueTransform?
    public var minDocumentFrequency: Int?

    public static let all: Set<String> = ["seed", "lemmatizer", "features", "ngrams", "encoding", "stopwords", "values", "min-df"]

    public init(_ options: [String: String], allowed: Set<String> = all, loader: String) throws {
        let o = try LoaderOptions(options, loader: loader, known: allowed)
        seed = try o.seed(default: 20)
        if let s = options["lemmatizer"] {
            do { lemmatizer = try LemmatizerKind(option: s) } catch let SemanticHashingError.invalidArgument(_, reason) {
                throw o.invalid("lemmatizer", reason)
            }
        }
        features = try o.positiveInt("features", maximum: LoaderLimits.maximumFeatures)
        minDocumentFrequency = try o.positiveInt("min-df", maximum: Int(Int32.max))
        if let s = options["ngrams"] {
            let parts = s.replacingOccurrences(of: "..", with: "-").split(separator: "-", omittingEmptySubsequences: false)
            let bounds = parts.compactMap { Int($0) }
            guard bounds.count == parts.count, (1...2).contains(bounds.count), let lo = bounds.first, let hi = bounds.last,
                  lo >= 1, lo <= hi, hi <= 5 else {
                throw o.invalid("ngrams", "not a range like 1..3 within 1...5")
            }
            ngrams = lo...hi
        }
        if let s = options["stopwords"] {
            guard s == "english" || s == "none" else { throw o.invalid("stopwords", "not one of english, none") }
            removeStopWords = s == "english"
        }
        if let s = options["values"] {
            guard let v = TextVectorizerSettings.ValueTransform(rawValue: s) else {
                throw o.invalid("values", "not one of \(TextVectorizerSettings.ValueTransform.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            values = v
        }
        if let s = options["encoding"] {
            guard let e = TextEncoding(option: s) else {
                throw o.invalid("encoding", "not one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            encoding = e
        }
    }

    /// Overrides the recipe's settings with the given options. `wordnet` stays as asked: the fit
    /// (`TextDatasetBuilder`) falls back to `porter2` where the database is absent, and says so.
    public func apply(to settings: inout TextVectorizerSettings) {
        if let l = lemmatizer { settings.lemmatizer = l }
        if let f = features { settings.maxFeatures = f }
        if let r = ngrams { settings.ngramMin = r.lowerBound; settings.ngramMax = r.upperBound }
        if let s = removeStopWords { settings.removeStopWords = s }
        if let v = values { settings.valueTransform = v }
        if let m = minDocumentFrequency { settings.minDocumentFrequency = m }
    }
}
