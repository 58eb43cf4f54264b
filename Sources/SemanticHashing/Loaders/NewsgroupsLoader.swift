import Foundation

/// Loads the raw 20 Newsgroups "bydate" distribution and builds the VDSH-style tf-idf the reference
/// fed its models (`datasets/20news-reference/README.txt`).
///
/// Layout: `DIR/20news-bydate-train/<group>/<id>` and `DIR/20news-bydate-test/<group>/<id>`; the
/// groups in sorted folder order are the classes, posts are taken in numeric id order.
///
/// Recipe: each post is read as latin-1 (every byte is one character, so no post is ever rejected
/// for its encoding); the header block, everything up to and including the first blank line, is
/// dropped, where a blank line is empty or holds only white space (Python's `str.isspace`: 11 posts
/// have a header line holding one space, and the reference cut there); a post without a blank line
/// is all header, hence empty; `TextVectorizerSettings.newsgroups` (runs of 2+ ASCII letters,
/// lower-cased, stop words removed, the 10 000 terms of highest document frequency, smoothed tf-idf,
/// l2 rows) is fitted on all training posts; a seeded 10 % of them (`SeededPartition`, option `seed`,
/// default 20) becomes the validation part; all-zero rows of the train part are dropped (design.md, Datasets).
/// The reconstruction target is the tf-idf itself (the loss normalises each row).
///
/// Options: `seed`, `features=N`. Item ids are the paths below DIR
/// ("20news-bydate-train/sci.space/61234").
///
/// ```swift
/// let data = try NewsgroupsLoader.load(directory: "datasets/20news-bydate", options: [:])
/// data.classCount   // 20
/// ```
public enum NewsgroupsLoader {
    public static func load(directory: String, options: [String: String], vectorizer: TextVectorizer? = nil) throws -> Dataset {
        let opts = try TextLoaderOptions(options, allowed: ["seed", "features"], loader: "20news")
        var settings = TextVectorizerSettings.newsgroups
        opts.apply(to: &settings)
        let trainDir = (directory as NSString).appendingPathComponent("20news-bydate-train")
        let testDir = (directory as NSString).appendingPathComponent("20news-bydate-test")
        let groups = try CorpusFolder.subdirectories(of: trainDir)
        guard !groups.isEmpty else {
            throw SemanticHashingError.malformedInput(location: trainDir, reason: "no newsgroup folders")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        for g in try CorpusFolder.subdirectories(of: testDir) where classIndex[g] == nil {
            throw SemanticHashingError.malformedInput(location: (testDir as NSString).appendingPathComponent(g),
                                                      reason: "group '\(g)' has no folder in \(trainDir)")
        }

        var documents = try readPosts(in: trainDir, groups: groups)
        let trainCount = documents.count
        guard trainCount > 0 else {
            throw SemanticHashingError.malformedInput(location: trainDir, reason: "no posts")
        }
        documents += try readPosts(in: testDir, groups: try CorpusFolder.subdirectories(of: testDir).sorted { classIndex[$0]! < classIndex[$1]! },
                                   classIndex: classIndex)
        let partition = SeededPartition(count: trainCount, seed: opts.seed)
        return try TextDatasetBuilder.build(
            name: "20news", source: directory, documents: documents,
            train: partition.train, validation: partition.validation, test: Array(trainCount..<documents.count),
            classNames: groups, settings: settings, fitOnValidation: true, dropEmptyTrainingRows: true,prefitted: vectorizer,
            loaderSettings: [("encoding", "latin-1; header block (up to the first blank line) removed"),
                             ("split", "training posts shuffled with seed \(opts.seed): last 10 % is validation"),
                             ("seed", "\(opts.seed)")])
    }

    private static func readPosts(in dir: String, groups: [String], classIndex: [String: Int]? = nil) throws -> [LabelledDocument] {
        var out: [LabelledDocument] = []
        for (k, g) in groups.enumerated() {
            let groupDir = (dir as NSString).appendingPathComponent(g)
            for name in try CorpusFolder.files(in: groupDir) {
                let path = (groupDir as NSString).appendingPathComponent(name)
                out.append(post(try readFile(path), label: classIndex?[g] ?? k,
                                id: "\((dir as NSString).lastPathComponent)/\(g)/\(name)"))
            }
        }
        return out
    }

    /// The body (after the header block) as latin-1 text, with a display line of subject and body.
    static func post(_ data: Data, label: Int, id: String = "") -> LabelledDocument {
        let bytes = [UInt8](data)
        var bodyStart = bytes.count
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if bytes[lineStart..<end].allSatisfy(isLatin1Whitespace) { bodyStart = min(end + 1, bytes.count); break }
            lineStart = end + 1
        }
        let header = bytes[..<min(bodyStart, bytes.count)]
        let body = latin1(bytes[bodyStart...])
        var subject = ""
        for line in header.split(separator: 0x0A) where line.starts(with: Array("Subject:".utf8)) {
            subject = latin1(line.dropFirst(8))
            break
        }
        let display = TextDatasetBuilder.displayText(subject.isEmpty ? body : subject + " — " + body)
        return LabelledDocument(text: body, label: label, display: display, id: id)
    }

    /// Python's `str.isspace` for a latin-1 character: the reference ends the header at the first line
    /// that `strip()`s to nothing, and 11 posts have a header line holding just a space.
    static func isLatin1Whitespace(_ b: UInt8) -> Bool {
        (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) || b == 0x85 || b == 0xA0
    }

    /// Latin-1 decoding: byte b is code point U+00bb.
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}
