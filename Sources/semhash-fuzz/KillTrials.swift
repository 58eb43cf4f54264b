import Foundation
import SemanticHashing

/// `kill -9` at a random moment of `train --out`, `index --out` and `experiment` (whose rows are
/// appended), then checks what is left: the output is either absent or whole (it decodes), the
/// results file parses and holds no repeated cell, and once the next write to the same path has
/// happened no `.NAME.tmp-PID-N` of a dead process is left. Then two sweeps on one results file
/// at once: one must be refused, and the file must end with every cell exactly once.
///
/// ```swift
/// KillTrials.run(semhash: binary, work: dir, count: 90, rng: &rng, tally: tally)
/// ```
enum KillTrials {
    // A 5 000-word vocabulary makes a ~20 MB model, so writing it takes long enough to be caught.
    static let data = "synthetic:docs=600,test=100,vocab=5000,classes=4,length=30"

    static func temporaries(_ dir: String, of name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".\(name).tmp-") }
    }

    /// Starts `argv`, kills it with SIGKILL after `delay` seconds (if still running), waits.
    static func killed(_ argv: [String], in dir: String, after delay: Double) -> Bool {
        guard let p = try? ProcessProbe.start(argv, in: dir, stdoutPath: dir + "/.kill.out", stderrPath: dir + "/.kill.err") else { return false }
        let start = Date()
        while p.isRunning && Date().timeIntervalSince(start) < delay { usleep(1000) }
        let wasRunning = p.isRunning
        if wasRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return wasRunning
    }

    /// Starts `argv` and kills it the moment a temporary file of `name` appears in `dir` (mid-write).
    static func killedMidWrite(_ argv: [String], in dir: String, name: String, timeout: Double) -> Bool {
        guard let p = try? ProcessProbe.start(argv, in: dir, stdoutPath: dir + "/.kill.out", stderrPath: dir + "/.kill.err") else { return false }
        let start = Date()
        let before = Set(temporaries(dir, of: name))
        var caught = false
        while p.isRunning && Date().timeIntervalSince(start) < timeout {
            if !Set(temporaries(dir, of: name)).subtracting(before).isEmpty { kill(p.processIdentifier, SIGKILL); caught = true; break }
            usleep(200)
        }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return caught
    }

    static func run(semhash: String, work: String, count: Int, rng: inout FuzzRandom, tally: Tally) {
        let dir = work + "/kill"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let trainArgs = [semhash, "train", "--data", data, "--model", "vdsh", "--bits", "8", "--epochs", "2", "--out", "k.semhash"]
        let full = ProcessProbe.run(trainArgs, in: dir)
        guard full.status == .exited(0) else { tally.record("kill -9: setup", .trialFailed, "train failed: \(full.stderr)"); return }
        let trainSeconds = full.seconds
        let indexArgs = [semhash, "index", "--model", "k.semhash", "--data", data, "--out", "k.smhi"]
        let indexSeconds = ProcessProbe.run(indexArgs, in: dir).seconds
        let sweepArgs = [semhash, "experiment", "--data", "synthetic:docs=300,test=60,vocab=100,classes=3,length=20", "--models", "vdsh",
                         "--bits", "8", "--supervision", "0.2,0.6", "--runs", "3", "--epochs", "1", "--out", "k.csv"]
        let cells = 6
        let sweepSeconds = ProcessProbe.run(sweepArgs, in: dir).seconds
        try? FileManager.default.removeItem(atPath: dir + "/k.csv")

        var seenTemporaries = Set<String>()
        for i in 0..<count {
            defer { seenTemporaries.formUnion(temporaries(dir, of: "k.semhash") + temporaries(dir, of: "k.smhi")) }
            switch i % 3 {
            case 0:
                // Late in the run is where the file is written: weight the delays towards the end.
                // Every other trial is killed the moment its temporary file appears, i.e. mid-write.
                let delay = trainSeconds * (0.5 + 0.6 * Double(rng.below(1000)) / 1000)
                let wasKilled = (i / 3) % 2 == 0 ? killedMidWrite(trainArgs, in: dir, name: "k.semhash", timeout: trainSeconds * 3)
                                                 : killed(trainArgs, in: dir, after: delay)
                var ok = true
                var why = ""
                if FileManager.default.fileExists(atPath: dir + "/k.semhash") {
                    do { _ = try ModelFile.read(from: dir + "/k.semhash") } catch { ok = false; why = "torn model file: \(error)" }
                }
                tally.record("kill -9: train --out", ok ? .trialPassed : .trialFailed,
                             "delay \(String(format: "%.2f", delay)) s (killed: \(wasKilled)): \(why)")
            case 1:
                let delay = indexSeconds * 1.1 * Double(rng.below(1000)) / 1000
                let wasKilled = killed(indexArgs, in: dir, after: delay)
                var ok = true
                var why = ""
                if FileManager.default.fileExists(atPath: dir + "/k.smhi") {
                    do { _ = try IndexFile.read(dir + "/k.smhi") } catch { ok = false; why = "torn index file: \(error)" }
                }
                tally.record("kill -9: index --out", ok ? .trialPassed : .trialFailed,
                             "delay \(String(format: "%.2f", delay)) s (killed: \(wasKilled)): \(why)")
            default:
                let delay = sweepSeconds * Double(rng.below(1000)) / 1000
                let wasKilled = killed(sweepArgs, in: dir, after: delay)
                var ok = true
                var why = ""
                if FileManager.default.fileExists(atPath: dir + "/k.csv") {
                    do {
                        let rows = try ResultsFile.readRows(path: dir + "/k.csv")
                        if Set(rows.map(\.configHash)).count != rows.count { ok = false; why = "repeated cells" }
                    } catch { ok = false; why = "unreadable results: \(error)" }
                }
                tally.record("kill -9: experiment appends", ok ? .trialPassed : .trialFailed,
                             "delay \(String(format: "%.2f", delay)) s (killed: \(wasKilled)): \(why)")
            }
        }
        // The next complete writes must leave no temporary file of a dead process behind, and the
        // resumed sweep must hold every cell once.
        let leftBefore = temporaries(dir, of: "k.semhash").count + temporaries(dir, of: "k.smhi").count
        _ = ProcessProbe.run(trainArgs, in: dir)
        _ = ProcessProbe.run(indexArgs, in: dir)
        let resumed = ProcessProbe.run(sweepArgs, in: dir)
        let left = temporaries(dir, of: "k.semhash") + temporaries(dir, of: "k.smhi")
        print("kill -9: \(seenTemporaries.count) temporary file(s) left by killed writes over the trials, \(leftBefore) still there at the end of them, \(left.count) after the next complete writes")
        tally.record("kill -9: temporaries after the next write", left.isEmpty ? .trialPassed : .trialFailed,
                     "\(leftBefore) left by the kills, \(left.count) after the next writes: \(left)")
        let rows = (try? ResultsFile.readRows(path: dir + "/k.csv")) ?? []
        let complete = resumed.status == .exited(0) && rows.count == cells && Set(rows.map(\.configHash)).count == cells
        tally.record("kill -9: resumed sweep", complete ? .trialPassed : .trialFailed,
                     "\(rows.count) rows, \(Set(rows.map(\.configHash)).count) distinct, expected \(cells); \(resumed.stderr.suffix(200))")
    }

    /// Two sweeps started together on one results file, `rounds` times.
    static func concurrentSweeps(semhash: String, work: String, rounds: Int, tally: Tally) {
        let dir = work + "/sweeps"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let argv = [semhash, "experiment", "--data", "synthetic:docs=300,test=60,vocab=100,classes=3,length=20", "--models", "vdsh",
                    "--bits", "8", "--supervision", "0.2,0.5,0.8", "--runs", "3", "--epochs", "1", "--out", "shared.csv"]
        for round in 0..<rounds {
            try? FileManager.default.removeItem(atPath: dir + "/shared.csv")
            let a = try? ProcessProbe.start(argv, in: dir, stdoutPath: dir + "/a.out", stderrPath: dir + "/a.err")
            let b = try? ProcessProbe.start(argv, in: dir, stdoutPath: dir + "/b.out", stderrPath: dir + "/b.err")
            a?.waitUntilExit()
            b?.waitUntilExit()
            let statuses = [a?.terminationStatus ?? -1, b?.terminationStatus ?? -1]
            let errors = [dir + "/a.err", dir + "/b.err"].map { String(decoding: FileManager.default.contents(atPath: $0) ?? Data(), as: UTF8.self) }
            let rows = (try? ResultsFile.readRows(path: dir + "/shared.csv")) ?? []
            let distinct = Set(rows.map(\.configHash)).count
            let refused = zip(statuses, errors).contains { $0 != 0 && $1.contains("another semhash sweep") }
            let ok = rows.count == 9 && distinct == 9 && statuses.contains(0) && (refused || statuses == [0, 0])
            tally.record("concurrent sweeps on one results file", ok ? .trialPassed : .trialFailed,
                         "round \(round): exits \(statuses), \(rows.count) rows (\(distinct) distinct), refused: \(refused); \(errors.map { $0.suffix(160) })")
        }
    }
}
