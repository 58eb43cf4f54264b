import Foundation
import SemanticHashing

/// Mutated dataset files for every loader, each loaded by `semhash datasets info DATASET --json`.
/// A success is checked further: the item count must match what the file's text holds (when
/// that can be told), and, loading it again in this process, every feature and target value
/// must be finite in Float32 and every item must have an id.
///
/// ```swift
/// DatasetPhase.run(semhash: binary, work: dir, count: 711, rng: &rng, tally: tally)
/// ```
enum DatasetPhase {
    static func run(semhash: String, work: String, count: Int, rng: inout FuzzRandom, tally: Tally) {
        let fixtures = DatasetFixture.all(rng: &rng)
        // The untouched fixtures must load, with the counts the oracle expects.
        for f in fixtures {
            let dir = work + "/valid-\(f.loader.filter(\.isLetter))"
            try? f.write(f.files, to: dir)
            check(f, files: f.files, dir: dir, semhash: semhash, what: "valid fixture", phase: "datasets: valid fixtures", tally: tally)
            try? FileManager.default.removeItem(atPath: dir)
        }
        var mutator = Mutator(rng: FuzzRandom(seed: rng.next()))
        for i in 0..<count {
            let f = fixtures[i % fixtures.count]
            let target = rng.pick(f.targets)
            var files = f.files
            let (bytes, what) = mutator.mutate(files[target.path]!, kind: target.kind)
            files[target.path] = bytes
            let dir = work + "/ds-\(i)"
            do { try f.write(files, to: dir) } catch { continue }
            check(f, files: files, dir: dir, semhash: semhash, what: "\(target.path): \(what)", phase: "datasets: mutated files", tally: tally)
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func check(_ f: DatasetFixture, files: [String: [UInt8]], dir: String, semhash: String, what: String, phase: String, tally: Tally) {
        let spec = f.spec(root: dir)
        let r = ProcessProbe.run([semhash, "datasets", "info", spec, "--json"], in: dir)
        let detail = "\(f.loader) [\(what)] → \(r.status) \(r.stderr.prefix(300))"
        var outcome = classify(r, names: f.targets.map { ($0.path as NSString).lastPathComponent } + f.files.keys.map { ($0 as NSString).lastPathComponent } + [dir])
        if outcome == .success {
            outcome = verify(f, files: files, spec: spec, json: r.stdout)
        }
        tally.record(phase + " (\(f.loader))", outcome, detail)
    }

    /// Checks a successful load: counts and values.
    static func verify(_ f: DatasetFixture, files: [String: [UInt8]], spec: String, json: String) -> Outcome {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let splits = object["splits"] as? [[String: Any]] else { return .otherExit }
        let items = splits.compactMap { $0["items"] as? Int }.reduce(0, +)
        if let expected = f.expectedItems(files), items != expected { return .silentTruncation }
        guard let data = try? DatasetSpec(parsing: spec).load() else { return .otherExit }
        for split in [data.train, data.test] + (data.validation.map { [$0] } ?? []) {
            for m in [split.features] + (split.reconstructionTarget.map { [$0] } ?? []) {
                let values: [Float]
                switch m {
                case .sparse(let s): values = s.values
                case .dense(let d): values = d.storage
                }
                if values.contains(where: { !$0.isFinite }) { return .nonFiniteAccepted }
            }
            if split.ids?.count != split.count { return .otherExit }
        }
        return .success
    }
}
