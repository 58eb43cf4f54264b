import XCTest
@testable import SemanticHashing

final class TextTokenizerTests: XCTestCase {
    func testWordPatternMatchesPythonRegex() {
        // Expected = Python's re.findall(r'(?u)\b\w\w+\b', s) for the same string.
        let s = "Hello, wörld! x86_64 a ß café naïve 2nd _x_ e\u{301}t\u{E9} İstanbul trad·ing ½x 中文字 ١٢٣"
        XCTAssertEqual(Tokenizer.tokens(in: s, pattern: .words),
                       ["Hello", "wörld", "x86_64", "café", "naïve", "2nd", "_x_", "té", "İstanbul", "trad", "ing",
                        "½x", "中文字", "١٢٣"])
        // Python lower-cases İ to i + U+0307 (a combining mark, not \w), which splits the word.
        XCTAssertEqual(Tokenizer.tokens(in: "İstanbul".lowercased(), pattern: .words), ["stanbul"])
    }

    func testASCIILetterRuns() {
        XCTAssertEqual(Tokenizer.tokens(in: "Don't x86 stop-words ÀB ab_cd é", pattern: .asciiLetters),
                       ["Don", "stop", "words", "ab", "cd"])
        XCTAssertEqual(Tokenizer.tokens(in: "", pattern: .asciiLetters), [])
        XCTAssertEqual(Tokenizer.tokens(in: "zz", pattern: .asciiLetters), ["zz"])
    }

    func testStopWordListIsScikitLearns() {
        XCTAssertEqual(EnglishStopWords.words.count, 318)
        XCTAssertEqual(EnglishStopWords.set.count, 318)
        for w in ["the", "amoungst", "couldnt", "hasnt", "noone", "fifty", "yourselves", "system", "bill"] {
            XCTAssertTrue(EnglishStopWords.contains(w), w)
        }
        for w in ["data", "computer", "fify", "couldn't"] { XCTAssertFalse(EnglishStopWords.contains(w), w) }
    }

    func testTokenSequencerAppliesStripFiltersAndStopWords() {
        var settings = TextVectorizerSettings.snippets
        settings.lemmatizer = .none
        var seq = TokenSequencer(settings: settings, growing: true)
        var ids: [Int32] = []
        // "__init__" strips to "init"; "3rd" starts with a digit; "ab" is too short; "The" is a stop word.
        seq.tokenIDs(of: "The __init__ of 3rd AB x86 Café-Bar", into: &ids)
        XCTAssertEqual(ids.map { seq.words[Int($0)] }, ["init", "x86", "café", "bar"])
    }
}
