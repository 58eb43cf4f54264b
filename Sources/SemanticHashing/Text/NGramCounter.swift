/// Counts the n-gram terms of documents (step 4 of `TextVectorizerSettings`), interning terms as ids.
///
/// A unigram's term id comes from its token id; an n-gram's from the pair (term id of its first
/// n − 1 tokens, id of its last token), so terms of any length are keyed by one 64-bit integer and
/// no n-gram string is built while counting. `termString` joins a term's words with one space.
///
/// In a frozen counter (transforming with a fitted vocabulary) unseen tokens and n-grams are
/// skipped instead of added.
///
/// ```swift
/// var counter = NGramCounter(sequencer: TokenSequencer(settings: s, growing: true))
/// var docs = DocumentTermCounts()
/// counter.count("new york city", into: &docs)   // terms: new, york, city, new york, york city, new york city
/// ```
struct NGramCounter {
    var sequencer: TokenSequencer
    var frozen = false
    private var unigramTerm: [Int32] = []
    private var termOfPair: [UInt64: Int32] = [:]
    private var termPrefix: [Int32] = []
    private var termLastToken: [Int32] = []
    private var tokens: [Int32] = []
    private var found: [Int32] = []

    init(sequencer: TokenSequencer) { self.sequencer = sequencer }

    var termCount: Int { termPrefix.count }

    func termString(_ t: Int) -> String {
        var words: [String] = []
        var k = Int32(t)
        while k >= 0 {
            words.append(sequencer.words[Int(termLastToken[Int(k)])])
            k = termPrefix[Int(k)]
        }
        return words.reversed().joined(separator: " ")
    }

    /// The term id of a sequence of words, adding the words and the term (used to load a vocabulary).
    mutating func addTerm(words: [String]) -> Int {
        var t: Int32 = -1
        for w in words {
            let token = sequencer.intern(w)
            t = t < 0 ? unigram(token, adding: true) : extend(t, with: token, adding: true)
        }
        return Int(t)
    }

    private mutating func newTerm(prefix: Int32, last: Int32) -> Int32 {
        termPrefix.append(prefix)
        termLastToken.append(last)
        return Int32(termPrefix.count - 1)
    }

    private mutating func unigram(_ token: Int32, adding: Bool) -> Int32 {
        let i = Int(token)
        if i < unigramTerm.count, unigramTerm[i] >= 0 { return unigramTerm[i] }
        guard adding else { return -1 }
        if i >= unigramTerm.count { unigramTerm.append(contentsOf: repeatElement(-1, count: i + 1 - unigramTerm.count)) }
        let t = newTerm(prefix: -1, last: token)
        unigramTerm[i] = t
        return t
    }

    private mutating func extend(_ prefix: Int32, with token: Int32, adding: Bool) -> Int32 {
        let key = UInt64(UInt32(bitPattern: prefix)) << 32 | UInt64(UInt32(bitPattern: token))
        if let t = termOfPair[key] { return t }
        guard adding else { return -1 }
        let t = newTerm(prefix: prefix, last: token)
        termOfPair[key] = t
        return t
    }

    /// Tokenises `document` and appends its (term, count) pairs as one row of `docs`.
    mutating func count(_ document: String, into docs: inout DocumentTermCounts) {
        tokens.removeAll(keepingCapacity: true)
        found.removeAll(keepingCapacity: true)
        sequencer.tokenIDs(of: document, into: &tokens)
        let lo = sequencer.settings.ngramMin, hi = sequencer.settings.ngramMax
        let adding = !frozen
        for i in tokens.indices {
            guard tokens[i] >= 0 else { continue }
            var t = unigram(tokens[i], adding: adding)
            if t < 0 { continue }
            if lo <= 1 { found.append(t) }
            var n = 2
            while n <= hi && i + n - 1 < tokens.count {
                let next = tokens[i + n - 1]
                if next < 0 { break }
                t = extend(t, with: next, adding: adding)
                if t < 0 { break }
                if n >= lo { found.append(t) }
                n += 1
            }
        }
        docs.appendRow(found)
    }
}

/// Per-document term counts in CSR form over term ids (before columns are chosen).
struct DocumentTermCounts {
    private(set) var rowStart: [Int] = [0]
    private(set) var terms: [Int32] = []
    private(set) var counts: [Int32] = []

    var rows: Int { rowStart.count - 1 }

    /// Adds a row from the list of term occurrences (any order, repeats counted).
    mutating func appendRow(_ occurrences: [Int32]) {
        let sorted = occurrences.sorted()
        var k = 0
        while k < sorted.count {
            var e = k + 1
            while e < sorted.count && sorted[e] == sorted[k] { e += 1 }
            terms.append(sorted[k])
            counts.append(Int32(e - k))
            k = e
        }
        rowStart.append(terms.count)
    }

    /// The counts as a sparse matrix: term t goes to column `columnOf[t]`, or is dropped when < 0.
    func matrix(columns: Int, columnOf: [Int32]) -> SparseMatrix {
        var starts = [0]
        starts.reserveCapacity(rows + 1)
        var cols: [Int32] = []
        var vals: [Float] = []
        var row: [(Int32, Float)] = []
        for i in 0..<rows {
            row.removeAll(keepingCapacity: true)
            for k in rowStart[i]..<rowStart[i + 1] {
                let t = Int(terms[k])
                if t < columnOf.count, columnOf[t] >= 0 { row.append((columnOf[t], Float(counts[k]))) }
            }
            row.sort { $0.0 < $1.0 }
            for (c, v) in row { cols.append(c); vals.append(v) }
            starts.append(cols.count)
        }
        return SparseMatrix(rows: rows, columns: columns, rowStart: starts, columnIndices: cols, values: vals)
    }
}
