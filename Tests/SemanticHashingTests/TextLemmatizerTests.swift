import XCTest
@testable import SemanticHashing

final class TextLemmatizerTests: XCTestCase {
    private func wordNet() throws -> WordNetLemmatizer {
        guard let wn = WordNetLemmatizer.shared else { throw XCTSkip("no WordNet database at \(WordNetLemmatizer.defaultDirectory)") }
        return wn
    }

    /// Expected values are NLTK 3.10's `WordNetLemmatizer().lemmatize(word)` over WordNet 3.0.
    func testWordNetNounLemmasMatchNLTK() throws {
        let wn = try wordNet()
        let expected: [String: String] = [
            "churches": "church", "women": "woman", "geese": "goose", "products": "product", "glass": "glass",
            "axes": "ax", "boxes": "box", "wolves": "wolf", "analyses": "analysis", "mice": "mouse",
            "buses": "bus", "cats": "cat", "data": "data", "species": "specie", "news": "news", "us": "u",
            "dies": "dy", "xes": "x",
            // NLTK ≥ 3.8.2 applies the rules once: no "discus", no "cat" from "catss".
            "discusses": "discusses", "catss": "catss", "running": "running",
        ]
        for (word, lemma) in expected { XCTAssertEqual(wn.lemmatize(word), lemma, word) }
        XCTAssertEqual(wn.morphy("axes"), ["ax", "axis"])
        XCTAssertEqual(wn.morphy("species"), ["species", "specie"])
    }

    func testLemmatizerKindFallsBackWhenWordNetIsMissing() throws {
        XCTAssertThrowsError(try WordNetLemmatizer(directory: "/nonexistent/wordnet")) { error in
            XCTAssertEqual(error as? SemanticHashingError, .missingInput(path: "/nonexistent/wordnet/index.noun", reason: "no such file"))
        }
        XCTAssertEqual(LemmatizerKind.wordnet.resolved, WordNetLemmatizer.shared == nil ? .porter2 : .wordnet)
        XCTAssertEqual(LemmatizerKind.porter2.resolved, .porter2)
        XCTAssertThrowsError(try LemmatizerKind(option: "stem"))
    }

    /// Expected values are the Snowball English stemmer's published outputs.
    func testPorter2StandardExamples() {
        let expected: [String: String] = [
            "running": "run", "generously": "generous", "caresses": "caress", "ponies": "poni", "ties": "tie",
            "cries": "cri", "gas": "gas", "this": "this", "gaps": "gap", "kiwis": "kiwi", "hopping": "hop",
            "hoping": "hope", "agreed": "agre", "feed": "feed", "luxuriating": "luxuri", "happy": "happi",
            "say": "say", "skies": "sky", "dying": "die", "news": "news", "early": "earli", "inning": "inning",
            "consign": "consign", "consigned": "consign", "consignment": "consign", "consistency": "consist",
            "consolation": "consol", "consolatory": "consolatori", "conspiracy": "conspiraci",
            "constable": "constabl", "knackeries": "knackeri", "knaves": "knave", "kneaded": "knead",
            "communication": "communic", "generalization": "general", "arsenal": "arsenal", "by": "by",
            "national": "nation", "happiness": "happi", "controlling": "control", "yelled": "yell",
            "sensational": "sensat", "abilities": "abil", "fluently": "fluentli",
        ]
        for (word, stem) in expected { XCTAssertEqual(Porter2Stemmer.stem(word), stem, word) }
    }
}
