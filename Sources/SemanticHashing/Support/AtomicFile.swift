import Foundation

/// Writes files so that a reader never sees half of one: write a temporary file beside the
/// target, then rename it over the target (rename is atomic within a file system).
///
/// ```
/// write(data, "dir/NAME"):  remove dir/.NAME.tmp-PID-N of processes that no longer run
///                           write dir/.NAME.tmp-<our pid>-<random>;  rename it to dir/NAME
/// ```
///
/// A process killed between the two steps leaves its temporary file behind (up to the size of
/// the target, e.g. a 42 MB model); the next write to the same path removes it, so they never
/// pile up. Temporary files of processes that still run are left alone.
///
/// ```swift
/// try AtomicFile.write(data, to: "model.semhash")
/// ```
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        removeStaleTemporaries(of: path)
        let temp = dir.appendingPathComponent("\(temporaryPrefix(of: url.lastPathComponent))\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: temp)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw SemanticHashingError.io(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw SemanticHashingError.io(path: path, reason: "cannot rename temporary file into place (\(reason))")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// ".NAME.tmp-": what every temporary file of NAME starts with, before "PID-N".
    static func temporaryPrefix(of name: String) -> String { ".\(name).tmp-" }

    /// Removes `.NAME.tmp-PID-N` files beside `path` whose process PID no longer exists; returns
    /// how many were removed. Failures are ignored: a leftover is untidy, not an error.
    @discardableResult
    public static func removeStaleTemporaries(of path: String) -> Int {
        let url = URL(fileURLWithPath: path)
        let dirPath = url.deletingLastPathComponent().path
        let prefix = temporaryPrefix(of: url.lastPathComponent)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dirPath) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0,
                  UInt32(rest[rest.index(after: dash)...]) != nil else { continue }
            // kill(pid, 0) probes without signalling: ESRCH means no such process.
            if kill(pid, 0) != 0 && errno == ESRCH {
                if (try? FileManager.default.removeItem(atPath: (dirPath as NSString).appendingPathComponent(name))) != nil { removed += 1 }
            }
        }
        return removed
    }
}

/// Reads a whole file, turning failures into an error that names the file.
public func readFile(_ path: String) throws -> Data {
    guard FileManager.default.fileExists(atPath: path) else {
        throw SemanticHashingError.missingInput(path: path, reason: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw SemanticHashingError.io(path: path, reason: "cannot read")
    }
    return data
}

/// The folder part of a path, as `NSString.deletingLastPathComponent` gives it ("dir/f" → "dir",
/// "/f" → "/", "f" → ""). That property traps in swift-corelibs-foundation on a one-character
/// path ("semhash index --out 1" died with SIGILL), so paths from the user go through this instead.
///
/// ```swift
/// folder(of: "runs/m.semhash")   // "runs"
/// folder(of: "m")                // ""
/// ```
public func folder(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    var folder = p[..<slash]
    while folder.hasSuffix("/") { folder = folder.dropLast() }
    return folder.isEmpty ? "/" : String(folder)
}
