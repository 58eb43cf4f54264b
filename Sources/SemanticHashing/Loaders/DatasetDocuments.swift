import Foundation

/// The raw documents of a `text:` dataset — every one, whatever the split — with stable ids, so
/// a trained model can encode them with its own vectoriser (a dataset loaded on its own fits a
/// new vocabulary, whose columns mean nothing to the model):
///
/// ```
/// text:DIR    DIR/<class>/<file>           → id "<class>/<file>",        class <class>
///             DIR/{train,test}/<class>/<f>  → id "train/<class>/<f>", …
/// text:FILE   one document a line, label last → id "NAME:LINE" (NAME = the file's name), class = the label
/// text:TRAIN,TEST or DIR/{train,test}.txt     → the lines of both files, ids "NAME:LINE"
/// ```
/// Files are read and checked as the `text` loader reads them (same order, same decoding). For
/// streaming tools and benchmarks; to encode a dataset with a model, load it with the model's
/// vectoriser instead (`DatasetSpec.load(vectorizer:)`).
///
/// ```swift
/// let docs = try DatasetDocuments.read(try DatasetSpec(parsing: "text:new-posts"))
/// ```
public enum DatasetDocuments {
    /// Whether `read` can list the raw documents of `spec`.
    public static func canRead(_ spec: DatasetSpec) -> Bool { spec.kind == "text" }

    public static func read(_ spec: DatasetSpec) throws -> [StreamedDocument] {
        guard canRead(spec) else {
            throw SemanticHashingError.invalidArgument(name: "dataset spec", reason: "'\(spec)' is not a text dataset, so its raw documents cannot be listed")
        }
        let path = spec.argument
        func lines(_ file: String) throws -> [StreamedDocument] {
            let name = (file as NSString).lastPathComponent
            return try LabelledLineFile(path: file).entries.map { StreamedDocument(id: "\(name):\($0.line)", text: $0.text, classes: [$0.label]) }
        }
        if let pair = try TextCorpusLoader.lineFilePair(path) { return try lines(pair.train) + lines(pair.test) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SemanticHashingError.missingInput(path: path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return try lines(path) }
        func folder(_ p: String) -> Bool {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: p, isDirectory: &d) && d.boolValue
        }
        let train = (path as NSString).appendingPathComponent("train"), test = (path as NSString).appendingPathComponent("test")
        let roots: [(dir: String, prefix: String)] = folder(train) && folder(test) ? [(train, "train/"), (test, "test/")] : [(path, "")]
        var out: [StreamedDocument] = []
        for root in roots {
            let classes = try CorpusFolder.subdirectories(of: root.dir)
            guard !classes.isEmpty else {
                throw SemanticHashingError.malformedInput(location: root.dir, reason: "no class folders (expected <class>/<file> inside)")
            }
            for c in classes {
                let classFolder = (root.dir as NSString).appendingPathComponent(c)
                for name in try CorpusFolder.files(in: classFolder) {
                    let file = (classFolder as NSString).appendingPathComponent(name)
                    var fallbacks = 0
                    let text = try TextCorpusLoader.decode(try readFile(file), path: file, encoding: .auto, fallbacks: &fallbacks)
                    guard text.contains(where: { !$0.isWhitespace }) else {
                        throw SemanticHashingError.malformedInput(location: file, reason: "empty document")
                    }
                    out.append(StreamedDocument(id: "\(root.prefix)\(c)/\(name)", text: text, classes: [c]))
                }
            }
        }
        return out
    }
}
