import Foundation

/// An append-only CSV of experiment rows that a crash can never leave with half a row.
///
/// ```
/// open:    lock; if empty → write header; if the last byte is not "\n" → truncate after the last "\n"; unlock
/// append:  lock; write(2) the whole "row\n" at once (O_APPEND); fsync; unlock
/// ```
///
/// A row reaches the file in a single `write(2)` on a descriptor opened with `O_APPEND`, so
/// concurrent writers (threads or processes) never interleave inside a line, and a process killed
/// at any moment leaves either the whole line or nothing. Only a failure below the process (a
/// full disk, a power cut) can leave a partial last line; opening the file again cuts it off,
/// so the cell is simply run again. The `flock` makes header creation and that repair safe when
/// several processes open the same file. (Rewriting the whole file through temp + rename would be
/// equally crash-safe, but would drop rows when two processes append at once.)
///
/// A sweep opens the file `exclusive`: it holds the lock from opening until the file is closed,
/// so a second sweep on the same file is refused at once with a clear message instead of running
/// every cell a second time; an exclusive open also drops rows whose config_hash repeats an
/// earlier row (left by older versions that let two sweeps run together), so a resume never keeps
/// duplicates.
///
/// ```swift
/// let results = try ResultsFile(path: "results.csv", exclusive: true)
/// let done = Set(try results.rows().map(\.configHash))
/// try results.append(row)
/// ```
public final class ResultsFile: @unchecked Sendable {
    // `descriptor` is set once in init; `lock` serialises appends from threads of this process.
    public let path: String
    private var descriptor: Int32
    private let lock = NSLock()
    /// Whether this object holds the file's lock for its whole life (a sweep).
    public let exclusive: Bool
    /// Bytes of a partial last line cut off when the file was opened (0 normally).
    public private(set) var recoveredBytes = 0
    /// Rows dropped on an exclusive open because their config_hash repeated an earlier row.
    public private(set) var droppedDuplicates = 0

    /// Opens (creating if needed) the results file at `path`, writing the header to a new file,
    /// repairing a partial last line, and checking an existing header. `exclusive`: take the lock
    /// for as long as this object lives, failing at once if another process holds it.
    public init(path: String, exclusive: Bool = false) throws {
        self.path = path
        self.exclusive = exclusive
        descriptor = try Self.openForAppending(path, exclusive: exclusive)
        do {
            if exclusive {
                droppedDuplicates = try Self.removeDuplicateRows(path: path)
                if droppedDuplicates > 0 {
                    // The rewrite replaced the file: lock the new one (refusing if another sweep got there first).
                    close(descriptor)
                    descriptor = -1
                    descriptor = try Self.openForAppending(path, exclusive: true)
                }
            }
            let fd = descriptor
            try withFileLock {
                recoveredBytes = try Self.truncatePartialLastLine(path: path, descriptor: fd)
                if try Self.fileSize(fd, path: path) == 0 {
                    try Self.writeAll(Data((ExperimentResultRow.header + "\n").utf8), to: fd, path: path)
                } else {
                    let first = try Self.readText(path).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                    guard first.trimmingCharacters(in: .whitespacesAndNewlines) == ExperimentResultRow.header else {
                        throw SemanticHashingError.malformedInput(
                            location: "\(path):1", reason: "not a semhash results file; the header should be '\(ExperimentResultRow.header)'")
                    }
                }
            }
        } catch {
            if descriptor >= 0 { close(descriptor) }
            throw error
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    private static func openForAppending(_ path: String, exclusive: Bool) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SemanticHashingError.io(path: path, reason: "cannot open for appending (\(String(cString: strerror(errno))))") }
        if exclusive && flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SemanticHashingError.io(path: path, reason: busy
                ? "another semhash sweep is appending to this results file; wait for it to finish or write to another file"
                : "cannot lock (\(reason))")
        }
        return fd
    }

    /// Empties the file down to its header (for a sweep that restarts), under the lock.
    public func removeAllRows() throws {
        lock.lock(); defer { lock.unlock() }
        try withFileLock {
            guard ftruncate(descriptor, 0) == 0 else {
                throw SemanticHashingError.io(path: path, reason: "cannot empty (\(String(cString: strerror(errno))))")
            }
            try Self.writeAll(Data((ExperimentResultRow.header + "\n").utf8), to: descriptor, path: path)
        }
    }

    /// Rewrites the file without rows whose config_hash repeats an earlier row (atomically:
    /// temporary file + rename); returns how many were dropped. Lines that do not parse are kept
    /// as they are, for the reader to report.
    private static func removeDuplicateRows(path: String) throws -> Int {
        let text = try readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 2 else { return 0 }
        let hashColumn = ExperimentResultRow.header.split(separator: ",").firstIndex(of: "config_hash")
        guard let column = hashColumn else { return 0 }
        guard lines[0].trimmingCharacters(in: .whitespaces) == ExperimentResultRow.header else { return 0 }
        var seen = Set<Substring>()
        var kept: [Substring] = [lines.removeFirst()]
        var dropped = 0
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count > column {
                let hash = fields[column]
                if !hash.isEmpty && !seen.insert(hash).inserted { dropped += 1; continue }
            }
            kept.append(line)
        }
        guard dropped > 0 else { return 0 }
        try AtomicFile.write(kept.joined(separator: "\n"), to: path)
        return dropped
    }

    /// Appends one row as a single write, then forces it to disk.
    public func append(_ row: ExperimentResultRow) throws {
        let line = Data((row.csvLine + "\n").utf8)
        lock.lock(); defer { lock.unlock() }
        try withFileLock {
            try Self.writeAll(line, to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw SemanticHashingError.io(path: path, reason: "fsync failed (\(String(cString: strerror(errno))))") }
        }
    }

    /// The rows in the file now.
    public func rows() throws -> [ExperimentResultRow] { try Self.readRows(path: path) }

    /// Reads the rows of a results file. A trailing line without its newline (left by a crash
    /// that this reader cannot repair) is ignored, since it may be incomplete.
    public static func readRows(path: String) throws -> [ExperimentResultRow] {
        let text = try readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last.map({ !$0.isEmpty }) == true {
            lines.removeLast()
        } else if !lines.isEmpty {
            lines.removeLast()  // the empty piece after the final newline
        }
        guard let head = lines.first else { return [] }
        guard head.trimmingCharacters(in: .whitespaces) == ExperimentResultRow.header else {
            throw SemanticHashingError.malformedInput(location: "\(path):1", reason: "not a semhash results file; the header should be '\(ExperimentResultRow.header)'")
        }
        var rows: [ExperimentResultRow] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            rows.append(try ExperimentResultRow(fields: fields, location: "\(path):\(offset + 1)"))
        }
        return rows
    }

    /// Cuts the file back to just after its last newline; returns how many bytes were removed.
    @discardableResult
    public static func truncatePartialLastLine(path: String) throws -> Int {
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SemanticHashingError.io(path: path, reason: "cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        return try truncatePartialLastLine(path: path, descriptor: fd)
    }

    private static func truncatePartialLastLine(path: String, descriptor: Int32) throws -> Int {
        let bytes = try readFile(path)
        guard let last = bytes.last, last != UInt8(ascii: "\n") else { return 0 }
        let keep = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 - bytes.startIndex + 1 } ?? 0
        guard ftruncate(descriptor, off_t(keep)) == 0 else {
            throw SemanticHashingError.io(path: path, reason: "cannot cut off the partial last line (\(String(cString: strerror(errno))))")
        }
        return bytes.count - keep
    }

    private func withFileLock<T>(_ body: () throws -> T) throws -> T {
        if exclusive { return try body() }  // held since opening
        guard flock(descriptor, LOCK_EX) == 0 else { throw SemanticHashingError.io(path: path, reason: "cannot lock (\(String(cString: strerror(errno))))") }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private static func fileSize(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SemanticHashingError.io(path: path, reason: "cannot stat (\(String(cString: strerror(errno))))") }
        return Int(info.st_size)
    }

    /// One `write(2)` for the whole buffer; the loop only matters when the kernel accepts part of
    /// it (a nearly full disk), and a line cut that way is repaired on the next open.
    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SemanticHashingError.io(path: path, reason: "write failed (\(String(cString: strerror(errno))))")
                }
                offset += n
            }
        }
    }

    private static func readText(_ path: String) throws -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }
}
