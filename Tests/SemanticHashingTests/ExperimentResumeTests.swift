import XCTest
@testable import SemanticHashing

/// Kills a real `semhash experiment` process with SIGKILL mid-sweep, resumes it, and checks the
/// rows equal those of an uninterrupted sweep: none missing, none twice, none partial.
final class ExperimentResumeTests: XCTestCase {
    /// The `semhash` executable built next to the test bundle (or `SEMHASH_BINARY`).
    static func semhashBinary() -> String? {
        var candidates: [String] = []
        if let given = ProcessInfo.processInfo.environment["SEMHASH_BINARY"] { candidates.append(given) }
        // The test bundle lives in the build directory, beside the products.
        let bundleDirectory = Bundle.main.bundleURL.path
        candidates.append(bundleDirectory + "/semhash")
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/semhash")
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.path + "/.build/debug/semhash")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let arguments = ["experiment", "--data", "synthetic:docs=200,test=100,vocab=100,classes=4", "--models", "ssb-vae,vdsh-s",
                            "--bits", "4", "--supervision", "0.5,1", "--runs", "2", "--epochs", "1"]
    static let cellCount = 8

    func launch(_ binary: String, out: String, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = Self.arguments + ["--out", out] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Every row without its timing column, as the line it was written as.
    func comparableRows(_ path: String) throws -> [String] {
        let timing = ExperimentResultRow.columns.indices.filter { ExperimentResultRow.timingColumns.contains(ExperimentResultRow.columns[$0]) }
        return try ResultsFile.readRows(path: path).map { row in
            row.fields.enumerated().filter { !timing.contains($0.offset) }.map(\.element).joined(separator: ",")
        }
    }

    func rowCount(_ path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return max(0, text.filter { $0 == "\n" }.count - 1)
    }

    func testKilledSweepResumesToTheUninterruptedRows() throws {
        guard let binary = Self.semhashBinary() else {
            throw XCTSkip("the semhash executable was not found next to the tests; build it with 'swift build' or set SEMHASH_BINARY")
        }
        let dir = try TempDirectory()
        let reference = dir.path + "/uninterrupted.csv"
        let start = Date()
        let whole = try launch(binary, out: reference)
        whole.waitUntilExit()
        XCTAssertEqual(whole.terminationStatus, 0)
        let perCell = Date().timeIntervalSince(start) / Double(Self.cellCount)
        let expected = try comparableRows(reference)
        XCTAssertEqual(expected.count, Self.cellCount)

        // Kill once some rows are in, at a random moment inside a later cell.
        let resumed = dir.path + "/resumed.csv"
        let target = Int.random(in: 1...Self.cellCount - 2)
        let extra = Double.random(in: 0..<0.9) * perCell
        let killed = try launch(binary, out: resumed)
        while rowCount(resumed) < target && killed.isRunning { usleep(20_000) }
        usleep(useconds_t(extra * 1e6))
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertEqual(killed.terminationReason, .uncaughtSignal, "the sweep finished before the kill (target \(target) rows + \(extra) s)")
        let beforeResume = try comparableRows(resumed)
        XCTAssertLessThan(beforeResume.count, Self.cellCount)
        XCTAssertTrue(Set(beforeResume).isSubset(of: Set(expected)), "rows written before the kill differ from the uninterrupted sweep's")

        // Resume on two threads, which also exercises concurrent appends.
        let resume = try launch(binary, out: resumed, extra: ["--jobs", "2"])
        resume.waitUntilExit()
        XCTAssertEqual(resume.terminationStatus, 0)
        let after = try comparableRows(resumed)
        XCTAssertEqual(after.count, Self.cellCount, "duplicate or missing rows")
        XCTAssertEqual(Set(after), Set(expected))
        let text = try String(contentsOfFile: resumed, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "partial last row")
        XCTAssertEqual(text.split(separator: "\n").count, Self.cellCount + 1)

        // Resuming a finished sweep adds nothing.
        let again = try launch(binary, out: resumed)
        again.waitUntilExit()
        XCTAssertEqual(try String(contentsOfFile: resumed, encoding: .utf8), text)
    }
}
