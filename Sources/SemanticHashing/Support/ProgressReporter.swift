import Foundation

/// Progress of long work on standard error: a self-rewriting line with ETA on a terminal,
/// and only the lines passed to `log` otherwise (so logs and CI output stay clean).
public final class ProgressReporter: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let interactive: Bool
    private let lock = NSLock()
    private var done = 0

    /// `quiet` silences everything, e.g. for `--json` runs.
    public init(label: String, total: Int, quiet: Bool = false) {
        self.label = label
        self.total = max(total, 1)
        self.interactive = !quiet && isatty(STDERR_FILENO) != 0
        self.quiet = quiet
    }
    private let quiet: Bool

    /// Marks `count` more units done; `detail` is shown after the bar.
    public func advance(by count: Int = 1, detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        done += count
        guard interactive else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) < 0.1 && done < total { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let pct = Int(100 * Double(done) / Double(total))
        let line = "\(label) \(done)/\(total) (\(pct)%) \(detail) elapsed \(Self.format(elapsed)) ETA \(Self.format(eta))"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// A line that is always written (unless quiet), e.g. a per-epoch summary when not on a terminal.
    public func log(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        guard !quiet else { return }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Clears the progress line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    public var isInteractive: Bool { interactive }

    public static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
            : s >= 60 ? String(format: "%dm%02ds", s / 60, s % 60) : String(format: "%.1fs", seconds)
    }
}
