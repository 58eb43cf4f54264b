import Foundation
import XCTest
@testable import SemanticHashing

final class TextCorpusLoaderTests: XCTestCase {
    private let options = ["lemmatizer": "none"]

    /// 20 documents in two class folders.
    private func folderFixture() throws -> String {
        let dir = try TextFixtures.folder()
        for i in 0..<10 {
            try TextFixtures.write("Rockets orbit the moon; launch number \(i).\n", to: "\(dir)/space/doc\(i).txt")
            try TextFixtures.write("Recipes with garlic and basil, dish \(i).\n", to: "\(dir)/cooking/\(i)")
        }
        try TextFixtures.write("ignored", to: dir + "/.hidden/x")
        return dir
    }

    func testFolderPerClassWithSeededSplit() throws {
        let dir = try folderFixture()
        let data = try TextCorpusLoader.load(path: dir, options: options)
        XCTAssertEqual(data.name, "text")
        XCTAssertEqual(data.classNames, ["cooking", "space"])
        XCTAssertEqual([data.train.count, data.validation?.count, data.test.count], [16, 2, 2])
        XCTAssertTrue(Set(data.featureNames ?? []).isSuperset(of: ["rockets orbit", "garlic and basil", "dish"]), "stop words are kept")
        let p = SeededPartition(count: 20, seed: 20, holdOutTest: true)
        // Documents are read class by class: cooking 0…9, then space doc0…doc9.
        let expectedFirst = p.train[0] < 10 ? "Recipes with garlic and basil, dish \(p.train[0])." : "Rockets orbit the moon; launch number \(p.train[0] - 10)."
        XCTAssertEqual(data.train.texts?.first, expectedFirst)
        XCTAssertEqual(data.train.labels.classesOf(0).first, p.train[0] < 10 ? 0 : 1)
        // Sublinear tf-idf values are the input and, as a distribution, the reconstruction target.
        XCTAssertNil(data.train.reconstructionTarget)
    }

    func testExplicitTrainAndTestFolders() throws {
        let dir = try TextFixtures.folder()
        for i in 0..<10 { try TextFixtures.write("alpha beta gamma \(i)", to: "\(dir)/train/greek/\(i)") }
        for i in 0..<10 { try TextFixtures.write("uno dos tres \(i)", to: "\(dir)/train/spanish/\(i)") }
        try TextFixtures.write("alpha beta", to: dir + "/test/greek/1")
        let data = try TextCorpusLoader.load(path: dir, options: options.merging(["ngrams": "1..2"]) { $1 })
        XCTAssertEqual([data.train.count, data.validation?.count, data.test.count], [18, 2, 1])
        XCTAssertEqual(data.test.texts, ["alpha beta"])
        XCTAssertFalse((data.featureNames ?? []).contains { $0.split(separator: " ").count > 2 })

        try TextFixtures.write("hola", to: dir + "/test/catalan/1")
        XCTAssertThrowsError(try TextCorpusLoader.load(path: dir, options: options)) { error in
            XCTAssertEqual(TextFixtures.location(of: error), dir + "/test/catalan")
        }
    }

    func testLabelledLinesFile() throws {
        let dir = try TextFixtures.folder()
        let lines = (0..<30).map { "word\($0 % 7) topic text sample \($0 % 2 == 0 ? "even" : "odd")" }
        let file = try TextFixtures.write(lines.joined(separator: "\n"), to: dir + "/corpus.txt")
        let data = try TextCorpusLoader.load(path: file, options: options.merging(["seed": "3", "features": "6"]) { $1 })
        XCTAssertEqual(data.classNames, ["even", "odd"])
        XCTAssertEqual([data.train.count, data.validation?.count, data.test.count], [24, 3, 3])
        XCTAssertEqual(data.featureCount, 6)
    }

    /// Every document has a word no other has. The collection recipe drops them (min df 2), so no
    /// term of the vocabulary holds one; `?min-df=1` keeps the training documents' ones.
    func testTermsOfOneDocumentAreDroppedUnlessAsked() throws {
        let dir = try TextFixtures.folder()
        let rare = ["anchor", "bishop", "cactus", "dragon", "eagle", "falcon", "garnet", "harbor", "island", "jasper"]
        for (i, word) in rare.enumerated() {
            try TextFixtures.write("rockets orbit the moon \(word)", to: "\(dir)/space/\(i)")
            try TextFixtures.write("recipes with garlic \(word)z", to: "\(dir)/cooking/\(i)")
        }
        func rareTerms(_ extra: [String: String]) throws -> Int {
            let names = try TextCorpusLoader.load(path: dir, options: options.merging(extra) { $1 }).featureNames ?? []
            return names.filter { name in rare.contains { name.contains($0) } }.count
        }
        XCTAssertEqual(try rareTerms([:]), 0)
        XCTAssertEqual(try rareTerms(["min-df": "1"]), 16 * 3, "16 training documents, each with its word in a unigram, bigram and trigram")
        XCTAssertThrowsError(try TextCorpusLoader.load(path: dir, options: ["min-df": "0"])) { error in
            XCTAssertEqual("\(error)", "text option min-df=0: not a positive integer")
        }
        XCTAssertThrowsError(try TextCorpusLoader.load(path: dir, options: ["min-df": "30"])) { error in
            XCTAssertEqual(TextFixtures.location(of: error), dir)
            XCTAssertTrue("\(error)".contains("a term must occur in 30 of them; ?min-df=1 keeps every term"), "\(error)")
        }
    }

    /// A training document whose one word is in no other has no term left, and a note says so.
    func testDocumentsWithoutATermAreNamedInANote() throws {
        let dir = try TextFixtures.folder()
        for i in 0..<10 {
            try TextFixtures.write("rockets orbit the moon", to: "\(dir)/train/space/\(i)")
            try TextFixtures.write("garlic basil pasta", to: "\(dir)/train/cooking/\(i)")
        }
        try TextFixtures.write("zebra", to: "\(dir)/train/space/lonely")
        try TextFixtures.write("orbit of the moon", to: "\(dir)/test/space/1")
        let data = try TextCorpusLoader.load(path: dir, options: options)
        XCTAssertEqual(data.train.ids?.contains("train/space/lonely"), true, "the lonely document is fitted")
        XCTAssertEqual(data.notes, ["1 of 22 documents has no term of the vocabulary: the vectoriser's rules dropped every word of it "
                                    + "(here a term must occur in 2 training documents; ?min-df=1 keeps the terms of one), "
                                    + "so it gets the code of an empty document"])
        XCTAssertEqual(try TextCorpusLoader.load(path: dir, options: options.merging(["min-df": "1"]) { $1 }).notes, [])
    }

    func testBadInputNamesThePath() throws {
        let dir = try folderFixture()
        func location(_ path: String) -> String? {
            do { _ = try TextCorpusLoader.load(path: path, options: options); return nil } catch { return TextFixtures.location(of: error) }
        }
        XCTAssertEqual(location(dir + "/absent"), dir + "/absent")

        try TextFixtures.write(Data("fine line\nbad ".utf8) + Data([0xC3, 0x28]) + Data(" line\n".utf8), to: dir + "/space/doc3.txt")
        do {
            _ = try TextCorpusLoader.load(path: dir, options: options.merging(["encoding": "utf8"]) { $1 })
            XCTFail("encoding=utf8 must reject the file")
        } catch { XCTAssertEqual(TextFixtures.location(of: error), dir + "/space/doc3.txt:2") }
        // The default reads it as Windows-1252 and says so once.
        let fallback = try TextCorpusLoader.load(path: dir, options: options)
        XCTAssertEqual(fallback.notes.first, "1 of 20 files were not valid UTF-8 and were read as Windows-1252")
        XCTAssertEqual(fallback.notes.count, 2, "and its words, in no other file, leave it without a term: \(fallback.notes)")

        try TextFixtures.write("  \n", to: dir + "/space/doc3.txt")
        XCTAssertEqual(location(dir), dir + "/space/doc3.txt")

        let empty = try TextFixtures.folder()
        try FileManager.default.createDirectory(atPath: empty + "/nothing", withIntermediateDirectories: true)
        XCTAssertEqual(location(empty), empty + "/nothing")

        let lines = try TextFixtures.write("a b c label\nonlylabel\n", to: empty + "/lines.txt")
        XCTAssertEqual(location(lines), lines + ":2")
    }
}

final class TextCorpusTraceabilityTests: XCTestCase {
    func testIDsAreRelativePathsAndSnippetsSkipMailHeaders() throws {
        let dir = try TextFixtures.folder()
        for i in 0..<5 {
            try TextFixtures.write("From: someone@example.org\nSubject: launch \(i)\nX-Long: folded\n  continued\n\nRockets orbit the moon \(i).\n",
                                   to: "\(dir)/train/space/\(i)")
            try TextFixtures.write("Garlic: basil is not a header block here\nbecause this line has no colon\n\nrecipe \(i)\n",
                                   to: "\(dir)/train/cooking/\(i)")
        }
        try TextFixtures.write("Rockets again.\n", to: "\(dir)/test/space/9")
        try TextFixtures.write("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nGarlic soup.\n", to: "\(dir)/test/cooking/9")
        let data = try TextCorpusLoader.load(path: dir, options: ["lemmatizer": "none"])
        XCTAssertEqual(data.test.ids ?? [], ["test/cooking/9", "test/space/9"])
        XCTAssertEqual(data.test.texts ?? [], ["Garlic soup.", "Rockets again."])
        let all = DataSplit.vstack([data.train] + (data.validation.map { [$0] } ?? []))
        let byID = Dictionary(uniqueKeysWithValues: zip(all.ids ?? [], all.texts ?? []))
        XCTAssertEqual(byID["train/space/3"], "Rockets orbit the moon 3.")
        XCTAssertEqual(byID["train/cooking/2"], "Garlic: basil is not a header block here because this line has no colon recipe 2")
        XCTAssertEqual(Set(byID.keys).count, 10)
        // Ids survive masking (gatherRows/vstack): the database keeps them in order.
        XCTAssertEqual(SupervisionMask.apply(to: data, level: 0.5, seed: 1).train.ids, data.database.ids)
    }

    func testHeaderBlockRules() {
        XCTAssertEqual(TextDatasetBuilder.bodyAfterHeaderBlock("Subject: x\n\nbody"), "body")
        XCTAssertEqual(TextDatasetBuilder.bodyAfterHeaderBlock("Subject: x\nno blank line"), "Subject: x\nno blank line")
        XCTAssertEqual(TextDatasetBuilder.bodyAfterHeaderBlock("Subject: only a header\n\n  \n"), "Subject: only a header\n\n  \n")
        XCTAssertEqual(TextDatasetBuilder.bodyAfterHeaderBlock("plain text: with a colon\n\nmore"), "plain text: with a colon\n\nmore")
        XCTAssertEqual(TextDatasetBuilder.bodyAfterHeaderBlock("\nleading blank"), "\nleading blank")
    }

    func testEncodingOptionAndWindows1252() throws {
        XCTAssertEqual(TextEncoding.windows1252Text([0x93, 0x61, 0x94, 0x80, 0xE9]), "\u{201C}a\u{201D}€é")
        XCTAssertEqual(try TextEncoding.latin1.decode([0x93, 0xE9], location: "x").text, "\u{93}é")
        let dir = try TextFixtures.folder()
        for i in 0..<5 {
            try TextFixtures.write(Data("caf".utf8) + Data([0xE9]) + Data(" au lait \(i)\n".utf8), to: "\(dir)/drinks/\(i)")
            try TextFixtures.write("tea and biscuits \(i)\n", to: "\(dir)/snacks/\(i)")
        }
        let auto = try TextCorpusLoader.load(path: dir, options: ["lemmatizer": "none"])
        XCTAssertEqual(auto.notes, ["5 of 10 files were not valid UTF-8 and were read as Windows-1252"])
        XCTAssertTrue((auto.featureNames ?? []).contains("café"))
        let latin = try TextCorpusLoader.load(path: dir, options: ["lemmatizer": "none", "encoding": "latin1"])
        XCTAssertEqual(latin.notes, [])
        XCTAssertThrowsError(try TextCorpusLoader.load(path: dir, options: ["encoding": "ebcdic"])) { error in
            XCTAssertTrue("\(error)".contains("text option encoding=ebcdic"), "\(error)")
        }
    }
}
