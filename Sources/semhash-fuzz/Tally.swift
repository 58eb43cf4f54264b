/// What one probe did, as the fuzzer classifies it.
///
/// ```
/// clean error      exit 64/65/66/74, stderr names the file (or the option) involved
/// error, no file   exit 64/65/66/74, stderr does not name it
/// error exit 1     a reported error with the generic exit code (no sysexits mapping yet)
/// success          exit 0, and the loaded data passed the checks (counts, finite values)
/// crash            killed by a signal (a trap, an abort), not a memory failure
/// memory limit     died allocating beyond the 2 GiB address-space limit
/// timeout          still running after 60 s
/// silent truncation  exit 0 but fewer items than the file holds
/// non-finite accepted  exit 0 but a loaded value is NaN/inf or beyond Float32
/// other exit       any other exit code
/// ```
enum Outcome: String, CaseIterable {
    case cleanError = "clean error (64/65/66/74, names the file)"
    case errorWithoutFile = "error without the file named"
    case errorExit1 = "error with exit 1 (unmapped)"
    case success = "success, checks passed"
    case crash = "crash (signal)"
    case memoryLimit = "memory limit"
    case timeout = "timeout (> 60 s)"
    case silentTruncation = "silent truncation"
    case nonFiniteAccepted = "non-finite value accepted"
    case otherExit = "other exit code"
    case trialPassed = "trial passed"
    case trialFailed = "trial failed"

    var isFailure: Bool {
        switch self {
        case .crash, .memoryLimit, .timeout, .silentTruncation, .nonFiniteAccepted, .otherExit, .trialFailed, .errorWithoutFile, .errorExit1: return true
        default: return false
        }
    }
}

/// Counts outcomes per phase and keeps every failure with enough detail to reproduce it.
final class Tally {
    private(set) var counts: [String: [Outcome: Int]] = [:]
    private(set) var failures: [(phase: String, outcome: Outcome, detail: String)] = []
    private var order: [String] = []
    /// With `--verbose`, every probe is printed as it is recorded, so clean errors can be read too.
    var verbose = false

    func record(_ phase: String, _ outcome: Outcome, _ detail: @autoclosure () -> String) {
        if verbose { print("probe [\(phase)] \(outcome.rawValue): \(detail())") }
        if counts[phase] == nil { order.append(phase); counts[phase] = [:] }
        counts[phase]![outcome, default: 0] += 1
        if outcome.isFailure { failures.append((phase, outcome, detail())) }
    }

    func report() -> String {
        var lines: [String] = []
        var total: [Outcome: Int] = [:]
        for phase in order {
            let c = counts[phase]!
            let n = c.values.reduce(0, +)
            lines.append("\(phase): \(n) probes")
            for o in Outcome.allCases where c[o] != nil {
                lines.append("    \(String(c[o]!).leftPadded(5))  \(o.rawValue)")
                total[o, default: 0] += c[o]!
            }
        }
        lines.append("all phases: \(total.values.reduce(0, +)) probes")
        for o in Outcome.allCases where total[o] != nil { lines.append("    \(String(total[o]!).leftPadded(5))  \(o.rawValue)") }
        lines.append("failures: \(failures.count)")
        for f in failures { lines.append("  [\(f.phase)] \(f.outcome.rawValue): \(f.detail)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// Classifies a finished command that was expected to either succeed or fail cleanly.
func classify(_ r: ProcessProbe.Result, names: [String]) -> Outcome {
    switch r.status {
    case .timedOut: return .timeout
    case .signalled:
        let s = r.stderr.lowercased()
        return s.contains("alloc") || s.contains("out of memory") || s.contains("cannot allocate") ? .memoryLimit : .crash
    case .exited(0): return .success
    case .exited(let code) where [64, 65, 66, 74].contains(code):
        return names.isEmpty || names.contains(where: { r.stderr.contains($0) }) ? .cleanError : .errorWithoutFile
    case .exited(1) where r.stderr.contains("error"):
        return names.isEmpty || names.contains(where: { r.stderr.contains($0) }) ? .errorExit1 : .errorWithoutFile
    case .exited(let code) where code > 128:
        return .crash  // a shell reporting a signal
    default: return .otherExit
    }
}
