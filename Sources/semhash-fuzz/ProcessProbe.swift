import Foundation

/// Runs one command under the limits the fuzzer promises (`timeout` seconds of wall time, an
/// address-space limit via `ulimit -v`) and returns its exit status and output.
///
/// ```swift
/// let r = ProcessProbe.run(["/path/semhash", "datasets", "info", "csv:x.csv"], in: dir)
/// if case .exited(65) = r.status { … }
/// ```
struct ProcessProbe {
    enum Status: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    struct Result {
        var status: Status
        var stdout: String
        var stderr: String
        var seconds: Double
    }

    /// Address-space limit in KiB (2 GiB).
    static let memoryLimitKiB = 2 * 1024 * 1024

    /// Starts `arguments` through `/bin/sh -c 'ulimit -v …; exec "$@"'` and returns the running process.
    static func start(_ arguments: [String], in directory: String, stdin: String? = nil,
                      stdoutPath: String, stderrPath: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v \(memoryLimitKiB); exec \"$@\"", "sh"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        p.standardError = FileHandle(forWritingAtPath: stderrPath)
        if let text = stdin {
            let path = stdoutPath + ".in"
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            p.standardInput = FileHandle(forReadingAtPath: path)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SEMHASH_THREADS"] = "1"
        p.environment = environment
        try p.run()
        return p
    }

    /// Runs to completion or kills after `timeout` seconds.
    static func run(_ arguments: [String], in directory: String, timeout: Double = 60, stdin: String? = nil) -> Result {
        let tag = UUID().uuidString
        let out = directory + "/.probe-\(tag).out", err = directory + "/.probe-\(tag).err"
        defer {
            for f in [out, err, out + ".in"] { try? FileManager.default.removeItem(atPath: f) }
        }
        let began = Date()
        let p: Process
        do { p = try start(arguments, in: directory, stdin: stdin, stdoutPath: out, stderrPath: err) } catch {
            return Result(status: .exited(-1), stdout: "", stderr: "cannot start: \(error)", seconds: 0)
        }
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(began) > timeout {
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
            usleep(2000)
        }
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(began)
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = String(decoding: (FileManager.default.contents(atPath: err) ?? Data()).prefix(4000), as: UTF8.self)
        let status: Status
        if timedOut { status = .timedOut }
        else if p.terminationReason == .uncaughtSignal { status = .signalled(p.terminationStatus) }
        else { status = .exited(p.terminationStatus) }
        return Result(status: status, stdout: stdout, stderr: stderr, seconds: seconds)
    }
}
