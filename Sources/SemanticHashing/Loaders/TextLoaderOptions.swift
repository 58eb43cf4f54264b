/// The `?key=value` options the text loaders accept, checked and parsed.
///
/// | key | meaning | default |
/// |---|---|---|
/// | `seed` | seed of the train/validation(/test) shuffle | 20 |
/// | `lemmatizer` | `wordnet`, `porter2` or `none` | the recipe's |
/// | `features` | vocabulary size | 10 000 |
/// | `ngrams` | n-gram range, `1..3`, `1-3` or `2` | the recipe's |
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

    public static let all: Set<String> = ["seed", "lemmatizer", "features", "ngrams"]

    public init(_ options: [String: String], allowed: Set<String> = all, loader: String) throws {
        for key in options.keys.sorted() where !allowed.contains(key) {
            throw SemanticHashingError.invalidArgument(
                name: key, reason: "'\(loader)' has no option '\(key)'; valid: \(allowed.sorted().joined(separator: ", "))")
        }
        if let s = options["seed"] {
            guard let v = UInt64(s) else { throw SemanticHashingError.invalidArgument(name: "seed", reason: "'\(s)' is not a non-negative integer") }
            seed = v
        }
        if let s = options["lemmatizer"] { lemmatizer = try LemmatizerKind(option: s) }
        if let s = options["features"] {
            guard let v = Int(s), v > 0 else { throw SemanticHashingError.invalidArgument(name: "features", reason: "'\(s)' is not a positive integer") }
            features = v
        }
        if let s = options["ngrams"] {
            let parts = s.replacingOccurrences(of: "..", with: "-").split(separator: "-", omittingEmptySubsequences: false)
            let bounds = parts.compactMap { Int($0) }
            guard bounds.count == parts.count, (1...2).contains(bounds.count), let lo = bounds.first, let hi = bounds.last,
                  lo >= 1, lo <= hi, hi <= 5 else {
                throw SemanticHashingError.invalidArgument(name: "ngrams", reason: "'\(s)' is not a range like 1..3 within 1...5")
            }
            ngrams = lo...hi
        }
    }

    /// Overrides the recipe's settings with the given options; `wordnet` falls back to `porter2`
    /// when the database is absent.
    public func apply(to settings: inout TextVectorizerSettings) {
        if let l = lemmatizer { settings.lemmatizer = l }
        settings.lemmatizer = settings.lemmatizer.resolved
        if let f = features { settings.maxFeatures = f }
        if let r = ngrams { settings.ngramMin = r.lowerBound; settings.ngramMax = r.upperBound }
    }
}
