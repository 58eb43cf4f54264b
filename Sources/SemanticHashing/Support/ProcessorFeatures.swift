import Foundation

/// What the processor can run beyond the toolchain's baseline target, read once at run time.
///
/// ```
/// supportsX86_64_v3 = every x86-64-v3 feature flag appears in /proc/cpuinfo (Linux, x86-64 only)
/// supportsX86_64_v4 = the same for x86-64-v4 (AVX-512)
/// ```
/// Linux lists `avx` and `avx2` only when the kernel also saves the 256-bit registers, so the
/// flags answer for the operating system too. Elsewhere the answer is `false` (the portable
/// kernel runs), never a guess.
///
/// ```swift
/// if ProcessorFeatures.supportsX86_64_v3 { … }
/// ```
enum ProcessorFeatures {
    /// The /proc/cpuinfo names of what `-march=x86-64-v3` lets the compiler use (abm = LZCNT,
    /// pni = SSE3; v2's CX16, LAHF, POPCNT, SSSE3, SSE4.1/4.2 included).
    static let x86_64_v3Flags: Set<String> = [
        "avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm", "xsave",
        "cx16", "lahf_lm", "popcnt", "pni", "ssse3", "sse4_1", "sse4_2",
    ]

    /// What `-march=x86-64-v4` adds: the AVX-512 foundation and its BW, CD, DQ and VL extensions.
    static let x86_64_v4Flags: Set<String> = x86_64_v3Flags.union(["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"])

    static let supportsX86_64_v3 = cpuinfoLists(x86_64_v3Flags)
    static let supportsX86_64_v4 = cpuinfoLists(x86_64_v4Flags)

    /// Whether a kernel build named after its instruction level can run here: "portable" always,
    /// "avx2" on x86-64-v3, "avx512" on x86-64-v4 (the scan and the element-wise kernels share
    /// these names), nothing else.
    static func canRun(build name: String) -> Bool {
        switch name {
        case "portable": true
        case "avx2": supportsX86_64_v3
        case "avx512": supportsX86_64_v4
        default: false
        }
    }

    /// The level named by the environment variable when it is valid and supported (otherwise a
    /// warning), else the last supported case: levels are declared from narrowest to widest.
    static func chosenLevel<Level: CaseIterable & RawRepresentable>(
        variable: String, isSupported: (Level) -> Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Level where Level.RawValue == String {
        let automatic = Array(Level.allCases).last(where: isSupported) ?? Array(Level.allCases)[0]
        guard let text = environment[variable] else { return automatic }
        guard let chosen = Level(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            let valid = Level.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("warning: ignoring \(variable)='\(text)' (valid: \(valid))\n".utf8))
            return automatic
        }
        guard isSupported(chosen) else {
            FileHandle.standardError.write(Data("warning: \(variable)=\(text) is not supported by this processor; using \(automatic.rawValue)\n".utf8))
            return automatic
        }
        return chosen
    }

    private static func cpuinfoLists(_ flags: Set<String>) -> Bool {
        #if os(Linux) && arch(x86_64)
        guard let data = FileManager.default.contents(atPath: "/proc/cpuinfo") else { return false }
        return hasAll(flags, cpuinfo: String(decoding: data, as: UTF8.self))
        #else
        return false
        #endif
    }

    /// Whether the first `flags` line of a /proc/cpuinfo text lists every one of `required`.
    static func hasAll(_ required: Set<String>, cpuinfo: String) -> Bool {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { return false }
            let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
            return required.isSubset(of: flags)
        }
        return false
    }
}
