/// How a token is reduced to its base form before counting.
///
/// ```swift
/// let kind = try LemmatizerKind(option: "wordnet").resolved   // .porter2 where WordNet is absent
/// ```
public enum LemmatizerKind: String, Codable, Sendable, CaseIterable {
    /// NLTK's WordNet noun lemmatiser (`WordNetLemmatizer`), as the Snippets reference used.
    case wordnet
    /// The Porter2 (Snowball English) stemmer (`Porter2Stemmer`), used when WordNet is absent.
    case porter2
    /// Tokens are kept as they are.
    case none

    /// What a request resolves to on this machine: `wordnet` becomes `porter2` when no WordNet
    /// database is installed, so a dataset can always be built (and says which one it used).
    public var resolved: LemmatizerKind {
        self == .wordnet && WordNetLemmatizer.shared == nil ? .porter2 : self
    }

    /// Parses an option value (`wordnet`, `porter2`, `none`).
    public init(option: String) throws {
        guard let kind = LemmatizerKind(rawValue: option.lowercased()) else {
            throw SemanticHashingError.invalidArgument(
                name: "lemmatizer", reason: "'\(option)' is not one of \(LemmatizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = kind
    }
}

/// A ready-to-use lemmatiser of one kind.
///
/// ```swift
/// let lemma = Lemmatizer(kind: .porter2)
/// lemma("running")   // "run"
/// ```
/// A `wordnet` lemmatiser on a machine without the database leaves tokens unchanged and reports
/// `isAvailable == false`: a vectoriser fitted with WordNet cannot be reproduced there.
public struct Lemmatizer: Sendable {
    public let kind: LemmatizerKind
    private let wordnet: WordNetLemmatizer?

    public init(kind: LemmatizerKind) {
        self.kind = kind
        wordnet = kind == .wordnet ? WordNetLemmatizer.shared : nil
    }

    public var isAvailable: Bool { kind != .wordnet || wordnet != nil }

    public func callAsFunction(_ token: String) -> String {
        switch kind {
        case .wordnet: return wordnet?.lemmatize(token) ?? token
        case .porter2: return Porter2Stemmer.stem(token)
        case .none: return token
        }
    }
}
