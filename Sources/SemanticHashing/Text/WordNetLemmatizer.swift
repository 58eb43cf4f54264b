import Foundation

/// NLTK's `WordNetLemmatizer().lemmatize(word, pos="n")`, computed from a WordNet 3.x database
/// (Debian `wordnet-base`, `/usr/share/wordnet`, or the folder named by `WNSEARCHDIR`).
///
/// The candidate lemmas are NLTK's `_morphy(word, "n")` (NLTK ≥ 3.8.2, which applies the rules
/// once, like Princeton's morphy; older NLTK re-applied them, turning "discusses" into "discus"):
/// 1. if `word` is in the noun exception list (`noun.exc`), the forms are its listed base forms;
/// 2. otherwise the forms are the results of the detachment rules `s→∅, ses→s, ves→f, xes→x,
///    zes→z, ches→ch, shes→sh, men→man, ies→y` (each rule whose suffix `word` ends with);
/// 3. the candidates are `word` followed by the forms, keeping the noun lemmas (`index.noun`)
///    once each, in that order.
///
/// The lemma is the shortest candidate (the first of equally short ones), or `word` itself when
/// there is no candidate. NLTK's noun rules include `ves→f`, so it is applied here too.
///
/// ```swift
/// if let wn = WordNetLemmatizer.shared {
///     wn.lemmatize("churches")   // "church"
///     wn.lemmatize("geese")      // "goose" (exception list)
/// }
/// ```
public final class WordNetLemmatizer: Sendable {
    /// The folder the database was read from.
    public let directory: String
    private let nounLemmas: Set<String>
    private let exceptions: [String: [String]]

    private static let rules: [(suffix: String, replacement: String)] = [
        ("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"),
        ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y"),
    ]

    /// The default database folder: `$WNSEARCHDIR` if set, else `/usr/share/wordnet`.
    public static var defaultDirectory: String {
        ProcessInfo.processInfo.environment["WNSEARCHDIR"] ?? "/usr/share/wordnet"
    }

    /// The lemmatiser over the default database, loaded once; `nil` when it is not installed.
    public static let shared: WordNetLemmatizer? = try? WordNetLemmatizer(directory: defaultDirectory)

    /// Reads `index.noun` and `noun.exc` from `directory`.
    public init(directory: String) throws {
        self.directory = directory
        let index = try readFile((directory as NSString).appendingPathComponent("index.noun"))
        let exc = try readFile((directory as NSString).appendingPathComponent("noun.exc"))
        var lemmas = Set<String>(minimumCapacity: 120_000)
        Self.forEachLine(index) { line in
            // Licence lines start with a space; every other line starts with its lemma.
            guard let first = line.first, first != 0x20 else { return }
            let end = line.firstIndex(of: 0x20) ?? line.endIndex
            lemmas.insert(String(decoding: line[line.startIndex..<end], as: UTF8.self))
        }
        guard !lemmas.isEmpty else {
            throw SemanticHashingError.malformedInput(location: (directory as NSString).appendingPathComponent("index.noun"),
                                                      reason: "no noun lemmas found")
        }
        var map: [String: [String]] = [:]
        Self.forEachLine(exc) { line in
            let fields = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            if fields.count >= 2 { map[fields[0]] = Array(fields.dropFirst()) }
        }
        nounLemmas = lemmas
        exceptions = map
    }

    private static func forEachLine(_ data: Data, _ body: (ArraySlice<UInt8>) -> Void) {
        let bytes = [UInt8](data)
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start { body(bytes[start..<end]) }
            start = i + 1
        }
    }

    /// Whether `word` is a noun lemma of the database.
    public func isNoun(_ word: String) -> Bool { nounLemmas.contains(word) }

    /// NLTK's `_morphy(word, "n")`: all candidate noun lemmas, in NLTK's order.
    public func morphy(_ word: String) -> [String] {
        let forms = exceptions[word] ?? Self.applyRules(to: word)
        return nounsInOrder([word] + forms)
    }

    /// The shortest candidate lemma, or `word` itself.
    public func lemmatize(_ word: String) -> String {
        let candidates = morphy(word)
        guard var best = candidates.first else { return word }
        // Python's len counts code points, so compare scalar counts, not Characters.
        for c in candidates.dropFirst() where c.unicodeScalars.count < best.unicodeScalars.count { best = c }
        return best
    }

    private func nounsInOrder(_ forms: [String]) -> [String] {
        var seen = Set<String>()
        return forms.filter { nounLemmas.contains($0) && seen.insert($0).inserted }
    }

    private static func applyRules(to form: String) -> [String] {
        var out: [String] = []
        let scalars = form.unicodeScalars
        for (suffix, replacement) in rules where scalars.reversed().starts(with: suffix.unicodeScalars.reversed()) {
            var stem = String.UnicodeScalarView(scalars.dropLast(suffix.unicodeScalars.count))
            stem.append(contentsOf: replacement.unicodeScalars)
            out.append(String(stem))
        }
        return out
    }
}
