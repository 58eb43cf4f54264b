import Foundation

/// Listing of corpus folders, shared by the loaders that read one document per file: visible
/// (not dot-prefixed) entries only, in a deterministic order, with failures as errors naming the path.
///
/// ```swift
/// let classes = try CorpusFolder.subdirectories(of: "corpus/train")   // ["ham", "spam"]
/// let posts = try CorpusFolder.files(in: "corpus/train/ham")          // "2", "10", "a.txt"
/// ```
enum CorpusFolder {
    /// Names in `path` not starting with "." that are directories (or, with `directories` false, not).
    private static func visibleEntries(of path: String, directories: Bool) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw SemanticHashingError.io(path: path, reason: "cannot list directory (\(error.localizedDescription))")
        }
        return names.filter { name in
            var dir: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name), isDirectory: &dir)
                && dir.boolValue == directories
        }
    }

    /// Sorted names of the visible sub-folders of `path`.
    static func subdirectories(of path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SemanticHashingError.missingInput(path: path, reason: "no such directory")
        }
        return try visibleEntries(of: path, directories: true).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Visible regular files of `path`, numeric names in numeric order (then the others by name).
    static func files(in path: String) throws -> [String] {
        return try visibleEntries(of: path, directories: false).sorted { a, b in
            switch (Int(a), Int(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }
    }
}
