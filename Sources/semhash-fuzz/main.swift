import Foundation

// semhash-fuzz: hostile-input fuzzer for the semhash release binary (see README.md beside this
// file). Seeded; prints counts by outcome and every failure.

let usage = """
USAGE: semhash-fuzz [--semhash PATH] [--seed N] [--work DIR] [--datasets N] [--storage N]
                    [--arguments N] [--kills N] [--sweeps N] [--quick] [--keep] [--verbose]
Defaults: --semhash .build/release/semhash --seed 1 --datasets 711 --storage 148 --arguments 127
          --kills 90 --sweeps 3; --quick divides every count by ten; --verbose prints every probe, not only failures.
"""

var settings: [String: String] = ["--semhash": ".build/release/semhash", "--seed": "1", "--datasets": "711", "--storage": "148",
                                  "--arguments": "127", "--kills": "90", "--sweeps": "3"]
var flags = Set<String>()
var argv = Array(CommandLine.arguments.dropFirst())
while let a = argv.first {
    argv.removeFirst()
    if a == "--help" || a == "-h" { print(usage); exit(0) }
    if a == "--quick" || a == "--keep" || a == "--verbose" { flags.insert(a); continue }
    guard settings.keys.contains(a) || a == "--work", let v = argv.first else {
        FileHandle.standardError.write(Data("semhash-fuzz: unknown or incomplete option '\(a)'\n\(usage)\n".utf8))
        exit(64)
    }
    argv.removeFirst()
    settings[a] = v
}
let quick = flags.contains("--quick")
let counts = settings.mapValues { Int($0) ?? 0 }
@MainActor func count(_ key: String) -> Int {
    let n = counts[key] ?? 0
    return quick ? max(1, n / 10) : n
}
let semhash = URL(fileURLWithPath: settings["--semhash"]!).standardizedFileURL.path
guard FileManager.default.isExecutableFile(atPath: semhash) else {
    FileHandle.standardError.write(Data("semhash-fuzz: no executable at \(semhash); build it with 'swift build -c release'\n".utf8))
    exit(66)
}
let work = settings["--work"] ?? (NSTemporaryDirectory() + "semhash-fuzz-\(getpid())")
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
guard let seed = UInt64(settings["--seed"]!) else { FileHandle.standardError.write(Data("semhash-fuzz: bad --seed\n".utf8)); exit(64) }
var rng = FuzzRandom(seed: seed)
let tally = Tally()
tally.verbose = flags.contains("--verbose")
let started = Date()
@MainActor func phase(_ name: String, _ body: () -> Void) {
    let t = Date()
    FileHandle.standardError.write(Data("semhash-fuzz: \(name)…\n".utf8))
    body()
    FileHandle.standardError.write(Data("semhash-fuzz: \(name) took \(String(format: "%.0f", Date().timeIntervalSince(t))) s\n".utf8))
}

print("semhash-fuzz seed \(seed) binary \(semhash) work \(work)")
phase("datasets") { DatasetPhase.run(semhash: semhash, work: work, count: count("--datasets"), rng: &rng, tally: tally) }
phase("model and index files") { StoragePhase.run(semhash: semhash, work: work, count: count("--storage"), rng: &rng, tally: tally) }
phase("arguments") { ArgumentPhase.run(semhash: semhash, work: work, count: count("--arguments"), rng: &rng, tally: tally) }
phase("kill -9 trials") { KillTrials.run(semhash: semhash, work: work, count: count("--kills"), rng: &rng, tally: tally) }
phase("concurrent sweeps") { KillTrials.concurrentSweeps(semhash: semhash, work: work, rounds: count("--sweeps"), tally: tally) }
print(tally.report())
print(String(format: "total time %.0f s", Date().timeIntervalSince(started)))
if !flags.contains("--keep") { try? FileManager.default.removeItem(atPath: work) }
exit(tally.failures.isEmpty ? 0 : 1)
