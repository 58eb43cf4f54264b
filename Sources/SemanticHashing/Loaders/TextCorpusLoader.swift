import Foundation

/// Loads a user's own labelled documents and vectorises them with the collection recipe
/// (`TextVectorizerSettings.collection`: WordNet lemmas, stop words kept, 1–3-grams, max df 0.8,
/// min df 2, 10 000 terms, sublinear tf-idf values, reconstructed as a distribution over the terms).
///
/// Sources:
/// - `text:DIR` — one document per file, its class the name of the sub-folder it is in
///   (`DIR/<class>/<file>`). If `DIR/train` and `DIR/test` both exist, they hold the class folders of
///   the two splits and a seeded ⌊n/10⌋ of the training documents is the validation part; otherwise
///   all documents are split 80/10/10 into train/validation/test (`SeededPartition`). Hidden files
///   and folders are skipped; files are taken in `CorpusFolder.files` order (numeric names first).
/// - `text:FILE` — one document per line with the label as the last token (`LabelledLineFile`
///   rules), split 80/10/10.
/// - `text:TRAIN,TEST` or `text:DIR` holding `train.txt` and `test.txt` — two such line files: the
///   test file is the test split, and a seeded ⌊n/10⌋ of the training lines the validation part.
///
/// Classes are sorted alphabetically. Text is decoded by `encoding` (`TextEncoding`; default
/// `auto`: UTF-8, and a file or line that is not valid UTF-8 is read as Windows-1252, with one
/// note in `Dataset.notes` counting them). An empty document file, a class folder without
/// documents, or a test class unknown to training is an error naming the path.
///
/// Item ids: the path below DIR ("train/sci.space/61234", "sci.space/61234"), or "FILE:LINE".
/// The item's display text skips a leading mail/HTTP-style header block, so a hit shows its body.
///
/// Options: `seed` (default 20), `lemmatizer=wordnet|porter2|none`, `features=N`, `ngrams=1..3`,
/// `stopwords=english|none`, `values=…`, `min-df=N`, `encoding=auto|utf8|latin1|windows-1252`
/// (`TextLoaderOptions`).
///
/// ```swift
/// let data = try TextCorpusLoader.load(path: "my-corpus", options: ["ngrams": "1..2"])
/// ```
public enum TextCorpusLoader {
    public static func load(path: String, options: [String: String], vectorizer: TextVectorizer? = nil) throws -> Dataset {
        let opts = try TextLoaderOptions(options, loader: "text")
        var settings = TextVectorizerSettings.collection
        opts.apply(to: &settings)
        if let pair = try lineFilePair(path) {
            return try loadLineFiles(train: pair.train, test: pair.test, source: path, opts: opts, settings: settings, vectorizer: vectorizer)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SemanticHashingError.missingInput(path: path, reason: "no such file or directory")
        }
        let loaderSettings: [(key: String, value: String)]
        var documents: [LabelledDocument] = []
        let classNames: [String]
        let partition: (train: [Int], validation: [Int], test: [Int])
        var notes: [String] = []
        var fallbacks = 0

        if isDirectory.boolValue {
            let trainDir = (path as NSString).appendingPathComponent("train")
            let testDir = (path as NSString).appendingPathComponent("test")
            if isFolder(trainDir) && isFolder(testDir) {
                classNames = try CorpusFolder.subdirectories(of: trainDir)
                let index = try classIndex(classNames, in: trainDir)
                documents = try readClassFolders(trainDir, root: path, classNames: classNames, index: index,
                                                 encoding: opts.encoding, fallbacks: &fallbacks)
                let trainCount = documents.count
                for c in try CorpusFolder.subdirectories(of: testDir) where index[c] == nil {
                    throw SemanticHashingError.malformedInput(location: (testDir as NSString).appendingPathComponent(c),
                                                              reason: "class '\(c)' has no folder in \(trainDir)")
                }
                documents += try readClassFolders(testDir, root: path, classNames: try CorpusFolder.subdirectories(of: testDir), index: index,
                                                  encoding: opts.encoding, fallbacks: &fallbacks)
                let p = SeededPartition(count: trainCount, seed: opts.seed)
                partition = (p.train, p.validation, Array(trainCount..<documents.count))
                loaderSettings = [("layout", "DIR/train/<class>/<file>, DIR/test/<class>/<file>"),
                                  ("split", "train shuffled with seed \(opts.seed): last 10 % is validation")]
            } else {
                classNames = try CorpusFolder.subdirectories(of: path)
                documents = try readClassFolders(path, root: path, classNames: classNames, index: try classIndex(classNames, in: path),
                                                 encoding: opts.encoding, fallbacks: &fallbacks)
                let p = SeededPartition(count: documents.count, seed: opts.seed, holdOutTest: true)
                partition = (p.train, p.validation, p.test)
                loaderSettings = [("layout", "DIR/<class>/<file>"),
                                  ("split", "shuffled with seed \(opts.seed): 80 % train, 10 % validation, 10 % test")]
            }
        } else {
            let file = try LabelledLineFile(path: path, encoding: opts.encoding)
            classNames = Set(file.entries.map(\.label)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
            let name = (path as NSString).lastPathComponent
            documents = file.entries.map {
                LabelledDocument(text: $0.text, label: index[$0.label]!, display: TextDatasetBuilder.displayText($0.text),
                                 id: "\(name):\($0.line)")
            }
            if file.fallbackLines > 0 {
                notes.append("\(file.fallbackLines) of \(file.entries.count) lines of \(path) were not valid UTF-8 and were read as Windows-1252")
            }
            let p = SeededPartition(count: documents.count, seed: opts.seed, holdOutTest: true)
            partition = (p.train, p.validation, p.test)
            loaderSettings = [("layout", "one document a line, label last"),
                              ("split", "shuffled with seed \(opts.seed): 80 % train, 10 % validation, 10 % test")]
        }
        if isDirectory.boolValue && fallbacks > 0 {
            notes.append("\(fallbacks) of \(documents.count) files were not valid UTF-8 and were read as Windows-1252")
        }
        return try TextDatasetBuilder.build(
            name: "text", source: path, documents: documents, train: partition.train, validation: partition.validation,
            test: partition.test, classNames: classNames, settings: settings,prefitted: vectorizer,
            loaderSettings: loaderSettings + [("seed", "\(opts.seed)"), ("encoding", opts.encoding.rawValue)], notes: notes)
    }

    /// `TRAIN,TEST`, or a folder with `train.txt` and `test.txt` (and no class folders of those
    /// names), as two line files; nil for the other layouts.
    static func lineFilePair(_ path: String) throws -> (train: String, test: String)? {
        let parts = path.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            for p in parts where !FileManager.default.fileExists(atPath: p) {
                throw SemanticHashingError.missingInput(path: p, reason: "no such file")
            }
            return (parts[0], parts[1])
        }
        let train = (path as NSString).appendingPathComponent("train.txt"), test = (path as NSString).appendingPathComponent("test.txt")
        var isDirectory: ObjCBool = false
        let both = [train, test].allSatisfy { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
        return both ? (train, test) : nil
    }

    private static func loadLineFiles(train: String, test: String, source: String, opts: TextLoaderOptions,
                                      settings: TextVectorizerSettings, vectorizer: TextVectorizer?) throws -> Dataset {
        let trainFile = try LabelledLineFile(path: train, encoding: opts.encoding)
        let testFile = try LabelledLineFile(path: test, encoding: opts.encoding)
        let classNames = Set(trainFile.entries.map(\.label)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var documents: [LabelledDocument] = []
        for (file, path) in [(trainFile, train), (testFile, test)] {
            let name = (path as NSString).lastPathComponent
            for e in file.entries {
                guard let label = index[e.label] else {
                    throw SemanticHashingError.malformedInput(location: "\(path):\(e.line)", reason: "label '\(e.label)' does not occur in \(train)")
                }
                documents.append(LabelledDocument(text: e.text, label: label, display: TextDatasetBuilder.displayText(e.text),
                                                  id: "\(name):\(e.line)"))
            }
        }
        var notes: [String] = []
        for (file, path) in [(trainFile, train), (testFile, test)] where file.fallbackLines > 0 {
            notes.append("\(file.fallbackLines) of \(file.entries.count) lines of \(path) were not valid UTF-8 and were read as Windows-1252")
        }
        let p = SeededPartition(count: trainFile.entries.count, seed: opts.seed)
        return try TextDatasetBuilder.build(
            name: "text", source: source, documents: documents, train: p.train, validation: p.validation,
            test: Array(trainFile.entries.count..<documents.count), classNames: classNames, settings: settings,prefitted: vectorizer,
            loaderSettings: [("layout", "two line files, label last: \(train), \(test)"),
                             ("split", "train lines shuffled with seed \(opts.seed): last 10 % is validation"),
                             ("seed", "\(opts.seed)"), ("encoding", opts.encoding.rawValue)], notes: notes)
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func classIndex(_ classNames: [String], in dir: String) throws -> [String: Int] {
        guard !classNames.isEmpty else {
            throw SemanticHashingError.malformedInput(location: dir, reason: "no class folders (expected <class>/<file> inside)")
        }
        return Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
    }

    /// Reads `dir/<class>/<file>`; ids are the paths relative to `root`.
    private static func readClassFolders(_ dir: String, root: String, classNames: [String], index: [String: Int],
                                         encoding: TextEncoding, fallbacks: inout Int) throws -> [LabelledDocument] {
        var out: [LabelledDocument] = []
        let prefix = dir == root ? "" : (dir as NSString).lastPathComponent + "/"
        for c in classNames {
            let folder = (dir as NSString).appendingPathComponent(c)
            let names = try CorpusFolder.files(in: folder)
            guard !names.isEmpty else {
                throw SemanticHashingError.malformedInput(location: folder, reason: "class folder holds no documents")
            }
            for name in names {
                let file = (folder as NSString).appendingPathComponent(name)
                let text = try decode(try readFile(file), path: file, encoding: encoding, fallbacks: &fallbacks)
                guard text.contains(where: { !$0.isWhitespace }) else {
                    throw SemanticHashingError.malformedInput(location: file, reason: "empty document")
                }
                out.append(LabelledDocument(text: text, label: index[c]!,
                                            display: TextDatasetBuilder.displayText(TextDatasetBuilder.bodyAfterHeaderBlock(text)),
                                            id: prefix + c + "/" + name))
            }
        }
        return out
    }

    /// Decodes a document file; with `utf8`, an invalid byte sequence is an error naming its line.
    static func decode(_ data: Data, path: String, encoding: TextEncoding, fallbacks: inout Int) throws -> String {
        if encoding == .utf8, String(validating: data, as: UTF8.self) == nil {
            let bytes = [UInt8](data)
            var line = 1, start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                if String(validating: bytes[start..<i], as: UTF8.self) == nil { break }
                line += 1
                start = i + 1
            }
            throw SemanticHashingError.malformedInput(location: "\(path):\(line)", reason: "not valid UTF-8 (encoding=utf8; use encoding=auto or windows-1252 to read it)")
        }
        let (text, fellBack) = try encoding.decode(data, location: path)
        if fellBack { fallbacks += 1 }
        return text
    }
}
