import Foundation
import XCTest
@testable import SemanticHashing

/// Small files written into a fresh temporary folder, so the loader tests need nothing from outside.
enum TextFixtures {
    static func folder(_ name: String = #function) throws -> String {
        let path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("semhash-text-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @discardableResult
    static func write(_ text: String, to path: String) throws -> String {
        try write(Data(text.utf8), to: path)
    }

    @discardableResult
    static func write(_ data: Data, to path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The error's location (malformed input) or path (io).
    static func location(of error: Error) -> String? {
        switch error as? SemanticHashingError {
        case .malformedInput(let location, _)?: return location
        case .io(let path, _)?: return path
        case .missingInput(let path, _)?: return path
        default: return nil
        }
    }
}

final class TextVectorizerTests: XCTestCase {
    private var settings: TextVectorizerSettings {
        var s = TextVectorizerSettings.snippets
        s.lemmatizer = .none
        return s
    }

    private let documents = [
        "The quick brown fox",
        "quick brown dogs and quick brown foxes",
        "lazy brown dog 3d models",
        "brown_ -fox- x86 ab",
    ]

    /// Tokens: d0 quick brown fox | d1 quick brown dogs quick brown foxes ("and" is a stop word) |
    /// d2 lazy brown dog models ("3d" starts with a digit) | d3 brown fox x86 ("ab" is too short).
    /// "brown" is in 4 of 4 documents > 0.8 · 4 and is dropped; the n-grams containing it stay.
    func testVocabularyFollowsTheSnippetsRules() {
        var s = settings
        s.maxFeatures = 100
        let v = TextVectorizer.fit(documents, settings: s)
        XCTAssertEqual(v.vocabulary, [
            "brown dog", "brown dog models", "brown dogs", "brown dogs quick", "brown fox", "brown fox x86",
            "brown foxes", "dog", "dog models", "dogs", "dogs quick", "dogs quick brown", "fox", "fox x86", "foxes",
            "lazy", "lazy brown", "lazy brown dog", "models", "quick", "quick brown", "quick brown dogs",
            "quick brown fox", "quick brown foxes", "x86",
        ])
        XCTAssertEqual(v.fittedDocumentCount, 4)
        XCTAssertNil(v.inverseDocumentFrequency)
    }

    /// Totals: quick 3, "quick brown" 3, fox 2, "brown fox" 2, everything else 1; the fifth term is the
    /// alphabetically first of the count-1 tie, "brown dog".
    func testTopTermsByCountWithAlphabeticalTies() {
        var s = settings
        s.maxFeatures = 5
        let (v, features, counts) = TextVectorizer.fitTransform(documents, settings: s)
        XCTAssertEqual(v.vocabulary, ["brown dog", "brown fox", "fox", "quick", "quick brown"])
        let expected = SparseMatrix(rows: 4, columns: 5, entries: [
            (0, 1, 1), (0, 2, 1), (0, 3, 1), (0, 4, 1),
            (1, 3, 2), (1, 4, 2),
            (2, 0, 1),
            (3, 1, 1), (3, 2, 1),
        ])
        XCTAssertEqual(counts, expected)
        XCTAssertEqual(features, expected.mapValues { Float(log1p(Double($0))) })
        XCTAssertEqual(v.transform(documents).counts, counts)
    }

    func testTransformCountsNewTextAndBreaksNGramsAtUnknownTokens() {
        var s = settings
        s.maxFeatures = 5
        let v = TextVectorizer.fit(documents, settings: s)
        let (features, counts) = v.transform(["Quick brown fox and a quick fox", "quick zebra brown fox", ""])
        XCTAssertEqual(counts, SparseMatrix(rows: 3, columns: 5, entries: [
            (0, 1, 1), (0, 2, 2), (0, 3, 2), (0, 4, 1),
            // "zebra" is not in the vocabulary but still separates "quick" from "brown".
            (1, 1, 1), (1, 2, 1), (1, 3, 1),
        ]))
        XCTAssertEqual(features.values[1], Float(log1p(2.0)))
    }

    func testNGramRangeWithoutUnigrams() {
        var s = settings
        s.ngramMin = 2
        s.ngramMax = 2
        s.maxDocumentFrequency = 1
        let v = TextVectorizer.fit(["alpha beta gamma", "beta gamma"], settings: s)
        XCTAssertEqual(v.vocabulary, ["alpha beta", "beta gamma"])
        XCTAssertEqual(v.transform(["beta gamma beta gamma"]).counts.row(0).map(\.value), [2])
    }

    /// n = 3; df: apple 1, banana 2, cherry 2, date 1; idf = ln(4/2) + 1 = 1.693147 or ln(4/3) + 1 = 1.287682.
    /// d0 = (2·1.693147, 1.287682) / 3.622860 = (0.934702, 0.355432); d1 = (1, 1)/√2;
    /// d2 = (2·1.287682, 1.693147) / 3.082085 = (0.835592, 0.549351).
    func testTFIDFHandComputed() {
        let docs = ["apple banana apple", "Banana, cherry!", "cherry cherry date"]
        let (v, features, counts) = TextVectorizer.fitTransform(docs, settings: .newsgroups)
        XCTAssertEqual(v.vocabulary, ["apple", "banana", "cherry", "date"])
        let idf = try! XCTUnwrap(v.inverseDocumentFrequency)
        XCTAssertEqual(idf[0], 1.6931472, accuracy: 1e-6)
        XCTAssertEqual(idf[1], 1.2876821, accuracy: 1e-6)
        XCTAssertEqual(counts.values, [2, 1, 1, 1, 2, 1])
        let expected: [Float] = [0.934702, 0.355432, 0.707107, 0.707107, 0.835592, 0.549351]
        XCTAssertEqual(features.columnIndices, [0, 1, 1, 2, 2, 3])
        for (a, b) in zip(features.values, expected) { XCTAssertEqual(a, b, accuracy: 2e-6) }
        XCTAssertEqual(v.transform(docs).features, features)
    }

    func testDocumentFrequencyRanking() {
        var s = TextVectorizerSettings.newsgroups
        s.maxFeatures = 2
        let v = TextVectorizer.fit(["apple banana apple apple", "banana cherry", "cherry cherry date"], settings: s)
        // df: banana 2, cherry 2, apple 1 (even with the highest count), date 1.
        XCTAssertEqual(v.vocabulary, ["banana", "cherry"])
    }

    /// n = 3; df: alpha 3, beta 2, gamma 1, delta 1 (with the largest count). At min df 2 the terms of
    /// one document go; idf still counts every fitted document: beta ln(4/3) + 1 = 1.287682.
    func testMinimumDocumentFrequencyDropsTermsOfOneDocument() throws {
        var s = TextVectorizerSettings.newsgroups
        let docs = ["alpha beta gamma", "alpha beta", "alpha delta delta delta"]
        XCTAssertEqual(TextVectorizer.fit(docs, settings: s).vocabulary, ["alpha", "beta", "delta", "gamma"])
        s.minDocumentFrequency = 2
        let (v, features, _) = TextVectorizer.fitTransform(docs, settings: s)
        XCTAssertEqual(v.vocabulary, ["alpha", "beta"])
        XCTAssertEqual(try XCTUnwrap(v.inverseDocumentFrequency)[1], 1.2876821, accuracy: 1e-6)
        XCTAssertEqual(features.row(2).map(\.value), [1], "delta's document keeps only alpha")
        XCTAssertEqual(v.transform(["gamma delta"]).features.row(0).map(\.value), [])
    }

    /// The setting is written only when it drops terms, so settings saved before it existed encode,
    /// and so fingerprint, byte for byte as they did; a file without it reads as 1.
    func testMinimumDocumentFrequencyIsWrittenOnlyWhenItDropsTerms() throws {
        let snippets = String(decoding: try JSONEncoder().encode(TextVectorizerSettings.snippets), as: UTF8.self)
        XCTAssertFalse(snippets.contains("minDocumentFrequency"))
        let collection = try JSONEncoder().encode(TextVectorizerSettings.collection)
        XCTAssertTrue(String(decoding: collection, as: UTF8.self).contains("\"minDocumentFrequency\":2"))
        XCTAssertEqual(try JSONDecoder().decode(TextVectorizerSettings.self, from: collection), .collection)
        var older = try XCTUnwrap(JSONSerialization.jsonObject(with: collection) as? [String: Any])
        older["minDocumentFrequency"] = nil
        var expected = TextVectorizerSettings.collection
        expected.minDocumentFrequency = 1
        XCTAssertEqual(try JSONDecoder().decode(TextVectorizerSettings.self, from: JSONSerialization.data(withJSONObject: older)), expected)
    }

    func testCodableRoundTripEncodesIdentically() throws {
        var s = TextVectorizerSettings.snippets
        s.lemmatizer = .porter2
        let v = TextVectorizer.fit(documents, settings: s)
        let data = try JSONEncoder().encode(Preprocessing.text(v))
        guard case .text(let back) = try JSONDecoder().decode(Preprocessing.self, from: data) else {
            return XCTFail("decoded preprocessing is not text")
        }
        XCTAssertEqual(back.settings, v.settings)
        XCTAssertEqual(back.vocabulary, v.vocabulary)
        let texts = documents + ["running foxes jumped over lazy dogs"]
        XCTAssertEqual(back.transform(texts).features, v.transform(texts).features)
        XCTAssertEqual(back.transform(texts).counts, v.transform(texts).counts)
        XCTAssertTrue(back.isReproducible)

        let tfidf = TextVectorizer.fit(["apple banana", "banana cherry"], settings: .newsgroups)
        let tfidfBack = try JSONDecoder().decode(TextVectorizer.self, from: JSONEncoder().encode(tfidf))
        XCTAssertEqual(tfidfBack.inverseDocumentFrequency, tfidf.inverseDocumentFrequency)
        XCTAssertEqual(tfidfBack.transform(["cherry apple"]).features, tfidf.transform(["cherry apple"]).features)
    }

    func testEmptyInputsGiveEmptyMatrices() {
        let v = TextVectorizer.fit([], settings: settings)
        XCTAssertEqual(v.vocabulary, [])
        let (x, tf) = v.transform(["anything"])
        XCTAssertEqual(x.rows, 1)
        XCTAssertEqual(tf.nonZeroCount, 0)
    }

    func testSeededPartitionSizesAndDeterminism() {
        let p = SeededPartition(count: 10_060, seed: 20)
        XCTAssertEqual(p.train.count, 9054)
        XCTAssertEqual(p.validation.count, 1006)
        XCTAssertEqual(Set(p.train + p.validation).count, 10_060)
        XCTAssertEqual(p, SeededPartition(count: 10_060, seed: 20))
        XCTAssertNotEqual(p, SeededPartition(count: 10_060, seed: 21))
        let q = SeededPartition(count: 25, seed: 1, holdOutTest: true)
        XCTAssertEqual([q.train.count, q.validation.count, q.test.count], [21, 2, 2])
    }
}
