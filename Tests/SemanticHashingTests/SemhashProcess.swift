import Foundation
import XCTest

/// Runs the built `semhash` executable and captures what it prints, for tests of the command line.
struct SemhashProcess {
    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    let binary: String

    /// The executable next to the tests, or a skip when it has not been built.
    init() throws {
        guard let binary = ExperimentResumeTests.semhashBinary() else {
            throw XCTSkip("the semhash executable was not found next to the tests; build it with 'swift build' or set SEMHASH_BINARY")
        }
        self.binary = binary
    }

    func run(_ arguments: [String], input: String? = nil, environment: [String: String]? = nil, in directory: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, b in b } }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty stderr cannot block the process.
        nonisolated(unsafe) var stderr = Data()
        let reader = Thread { stderr = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }
}
