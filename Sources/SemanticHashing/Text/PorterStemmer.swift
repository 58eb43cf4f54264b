/// The Porter2 ("Snowball English") stemmer: the lemmatiser's fallback when no WordNet
/// database is installed.
///
/// It follows the published Snowball English algorithm (the version with the `gener`,
/// `commun` and `arsen` region exceptions, as NLTK's `SnowballStemmer("english")` implements it):
///
/// - words of one or two letters and the listed exceptional forms ("skies" → "sky",
///   "news" → "news", …) are returned as they are;
/// - an initial `y`, and every `y` after a vowel, is treated as a consonant (`Y`);
/// - R1 = the region after the first non-vowel that follows a vowel (after `gener`, `commun`,
///   `arsen` when the word starts with one), R2 = the same region taken again inside R1;
/// - steps 0–5 strip possessives, plurals (`sses` → `ss`, `ies` → `i`/`ie`, `s`), `-ed`/`-ing`
///   (with the `at`/`bl`/`iz` + `e`, undoubling and short-word rules), turn a final `y` into `i`,
///   and map or delete derivational suffixes when they lie in R1 or R2; in each step only the
///   longest matching suffix is considered.
///
/// Vowels are `a e i o u y`; anything else (including non-ASCII letters) counts as a non-vowel.
///
/// ```swift
/// Porter2Stemmer.stem("running")     // "run"
/// Porter2Stemmer.stem("generously")  // "generous"
/// Porter2Stemmer.stem("caresses")    // "caress"
/// ```
public enum Porter2Stemmer {
    public static func stem(_ word: String) -> String {
        var w = Word(word)
        if w.count <= 2 { return word }
        if let special = exceptionalForm(word) { return special }
        w.run()
        return w.string
    }

    /// Words the algorithm would mangle, with their fixed stems (Snowball's `exception1`).
    private static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
        "sky": "sky", "news": "news", "howe": "howe",
        "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    /// Words left alone after step 1a (Snowball's `exception2`).
    fileprivate static let invariantAfterStep1a: Set<String> = [
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    ]

    private static func exceptionalForm(_ word: String) -> String? { exceptions[word] }
}

/// The word being stemmed, as code points, with the region marks of the algorithm.
private struct Word {
    var c: [UInt32]
    var p1 = 0
    var p2 = 0

    init(_ s: String) { c = s.unicodeScalars.map(\.value) }

    var count: Int { c.count }
    var string: String {
        var s = String.UnicodeScalarView()
        for v in c { s.append(Unicode.Scalar(v == Ch.Y ? Ch.y : v)!) }
        return String(s)
    }

    static func isVowel(_ v: UInt32) -> Bool {
        v == Ch.a || v == Ch.e || v == Ch.i || v == Ch.o || v == Ch.u || v == Ch.y
    }
    func vowel(_ i: Int) -> Bool { Word.isVowel(c[i]) }

    func ends(with suffix: [UInt32]) -> Bool {
        guard suffix.count <= c.count else { return false }
        return c[(c.count - suffix.count)...].elementsEqual(suffix)
    }

    /// The longest of `suffixes` the word ends with.
    func longest(_ suffixes: [[UInt32]]) -> [UInt32]? {
        var best: [UInt32]?
        for s in suffixes where ends(with: s) && s.count > (best?.count ?? -1) { best = s }
        return best
    }

    mutating func replace(suffixLength: Int, with replacement: [UInt32]) {
        c.removeLast(suffixLength)
        c.append(contentsOf: replacement)
    }

    /// Whether the word ends in a short syllable: non-vowel, vowel, non-vowel other than
    /// w, x, Y; or, for a two-letter word, vowel then non-vowel.
    func endsInShortSyllable(length n: Int) -> Bool {
        if n >= 3 {
            let last = c[n - 1]
            if !vowel(n - 3) && vowel(n - 2) && !vowel(n - 1) && last != Ch.w && last != Ch.x && last != Ch.Y { return true }
        }
        return n == 2 && vowel(0) && !vowel(1)
    }

    /// Start of the region after the first vowel–non-vowel pair at or after `start`.
    func regionStart(from start: Int) -> Int {
        var i = start
        while i < c.count && !vowel(i) { i += 1 }
        while i < c.count && vowel(i) { i += 1 }
        return i < c.count ? i + 1 : c.count
    }

    mutating func run() {
        if c.first == Ch.apostrophe { c.removeFirst() }
        for i in c.indices where c[i] == Ch.y && (i == 0 || vowel(i - 1)) { c[i] = Ch.Y }
        markRegions()
        step0()
        step1a()
        if Porter2Stemmer.invariantAfterStep1a.contains(string) { return }
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
    }

    mutating func markRegions() {
        let prefixes: [[UInt32]] = [u("gener"), u("commun"), u("arsen")]
        if let p = prefixes.first(where: { c.starts(with: $0) }) {
            p1 = p.count
        } else {
            p1 = regionStart(from: 0)
        }
        p2 = regionStart(from: p1)
    }

    mutating func step0() {
        if let s = longest([u("'"), u("'s"), u("'s'")]) { c.removeLast(s.count) }
    }

    mutating func step1a() {
        guard let s = longest([u("sses"), u("ied"), u("ies"), u("s"), u("us"), u("ss")]) else { return }
        switch s {
        case u("sses"): replace(suffixLength: 4, with: u("ss"))
        case u("ied"), u("ies"): replace(suffixLength: 3, with: c.count - 3 > 1 ? u("i") : u("ie"))
        case u("s"):
            // delete when a vowel occurs before the letter that precedes the s
            if c.count >= 3 && (0..<(c.count - 2)).contains(where: vowel) { c.removeLast() }
        default: break  // "us", "ss" stay
        }
    }

    mutating func step1b() {
        guard let s = longest([u("eed"), u("eedly"), u("ed"), u("edly"), u("ing"), u("ingly")]) else { return }
        let start = c.count - s.count
        if s == u("eed") || s == u("eedly") {
            if start >= p1 { replace(suffixLength: s.count, with: u("ee")) }
            return
        }
        guard (0..<start).contains(where: vowel) else { return }
        c.removeLast(s.count)
        if ends(with: u("at")) || ends(with: u("bl")) || ends(with: u("iz")) {
            c.append(Ch.e)
        } else if let last = c.last, c.count >= 2, c[c.count - 2] == last, Word.doubles.contains(last) {
            c.removeLast()
        } else if p1 >= c.count && endsInShortSyllable(length: c.count) {
            c.append(Ch.e)
        }
    }

    static let doubles: Set<UInt32> = Set("bdfgmnprt".unicodeScalars.map(\.value))
    static let validLI: Set<UInt32> = Set("cdeghkmnrt".unicodeScalars.map(\.value))

    mutating func step1c() {
        let n = c.count
        if n >= 3, c[n - 1] == Ch.y || c[n - 1] == Ch.Y, !vowel(n - 2) { c[n - 1] = Ch.i }
    }

    mutating func step2() {
        let rules: [(String, String)] = [
            ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
            ("izer", "ize"), ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"),
            ("alism", "al"), ("aliti", "al"), ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"),
            ("ousness", "ous"), ("iveness", "ive"), ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"),
            ("ogi", "og"), ("fulli", "ful"), ("lessli", "less"), ("li", ""),
        ]
        guard let (s, r) = longestRule(rules), c.count - s.count >= p1 else { return }
        let before = c.count - s.count - 1
        if s == u("ogi") && !(before >= 0 && c[before] == Ch.l) { return }
        if s == u("li") && !(before >= 0 && Word.validLI.contains(c[before])) { return }
        replace(suffixLength: s.count, with: r)
    }

    mutating func step3() {
        let rules: [(String, String)] = [
            ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
            ("ical", "ic"), ("ful", ""), ("ness", ""), ("ative", ""),
        ]
        guard let (s, r) = longestRule(rules), c.count - s.count >= p1 else { return }
        if s == u("ative") && c.count - s.count < p2 { return }
        replace(suffixLength: s.count, with: r)
    }

    mutating func step4() {
        let suffixes = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
                        "ism", "ate", "iti", "ous", "ive", "ize", "ion"].map(u)
        guard let s = longest(suffixes), c.count - s.count >= p2 else { return }
        if s == u("ion") {
            let before = c.count - 4
            guard before >= 0, c[before] == Ch.s || c[before] == Ch.t else { return }
        }
        c.removeLast(s.count)
    }

    mutating func step5() {
        let n = c.count
        guard n > 0 else { return }
        if c[n - 1] == Ch.e {
            let start = n - 1
            if start >= p2 || (start >= p1 && !endsInShortSyllable(length: start)) { c.removeLast() }
        } else if c[n - 1] == Ch.l {
            if n - 1 >= p2 && n >= 2 && c[n - 2] == Ch.l { c.removeLast() }
        }
    }

    func longestRule(_ rules: [(String, String)]) -> ([UInt32], [UInt32])? {
        var best: ([UInt32], [UInt32])?
        for (s, r) in rules {
            let su = u(s)
            if ends(with: su) && su.count > (best?.0.count ?? -1) { best = (su, u(r)) }
        }
        return best
    }
}

private func u(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

/// Code points the algorithm names.
private enum Ch {
    static let a: UInt32 = 0x61, e: UInt32 = 0x65, i: UInt32 = 0x69, o: UInt32 = 0x6F, u: UInt32 = 0x75
    static let y: UInt32 = 0x79, Y: UInt32 = 0x59, w: UInt32 = 0x77, x: UInt32 = 0x78
    static let l: UInt32 = 0x6C, s: UInt32 = 0x73, t: UInt32 = 0x74
    static let apostrophe: UInt32 = 0x27
}
