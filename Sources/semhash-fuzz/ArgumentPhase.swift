import Foundation

/// Command lines with one option given a hostile value (empty, negative, huge, non-finite,
/// overflowing, malformed lists and ranges, odd spellings), for every command that a quick run
/// can exercise, plus dataset specs with hostile keys and values. Each must end in success or a
/// clean usage/data error naming the option; a crash or a hang is a failure.
///
/// ```swift
/// ArgumentPhase.run(semhash: binary, work: dir, count: 127, rng: &rng, tally: tally)
/// ```
enum ArgumentPhase {
    static let data = "synthetic:docs=80,test=20,vocab=40,classes=3,length=10"
    static let values = ["", "-1", "0", "1", "nan", "inf", "-inf", "1e400", "1e-400", "99999999999999999999", "2147483648",
                         "9223372036854775807", "-9223372036854775808", "abc", "0.5", "1,2,,3", ":", "0:1:0", "1:0:0.1", "1e9",
                         String(repeating: "9", count: 300), "ünïcødé", "-0", "0x10", " 3", "3 ", "1.0.0"]

    struct Template {
        var words: [String]
        var base: [String: String]
        var positionals: [String] = []
    }

    static func templates() -> [Template] {
        [
            Template(words: ["train"], base: ["--data": data, "--model": "vdsh", "--bits": "8", "--epochs": "1", "--out": "p.semhash",
                                                "--batch-size": "50", "--learning-rate": "0.001", "--supervision": "0.5", "--seed": "3",
                                                "--mask-seed": "4", "--alpha": "1", "--beta": "1", "--gamma": "1", "--variant": "reference"]),
            Template(words: ["encode"], base: ["--model": "base.semhash", "--data": data, "--split": "test", "--format": "hex"]),
            Template(words: ["evaluate"], base: ["--model": "base.semhash", "--data": data]),
            Template(words: ["index"], base: ["--codes": "codes.txt", "--bits": "8", "--out": "p.smhi"]),
            Template(words: ["search"], base: ["--index": "base.smhi", "--query-code": "a5", "--k": "5", "--kind": "flat", "--threads": "1"]),
            Template(words: ["experiment"], base: ["--data": data, "--models": "vdsh", "--bits": "8", "--supervision": "0.5", "--runs": "1",
                                                     "--epochs": "1", "--out": "e.csv", "--jobs": "1", "--batch-size": "50", "--seeds": "5"]),
            Template(words: ["tune"], base: ["--data": data, "--model": "vdsh", "--bits": "8", "--supervision": "0.5", "--grid": "beta=1",
                                               "--epochs": "1", "--validation": "0.2", "--out": "t.csv", "--seed": "2"]),
            Template(words: ["report"], base: ["--metric": "p@100", "--format": "markdown", "--digits": "3", "--bits": "8"], positionals: ["r.csv"]),
            Template(words: ["demo"], base: ["--data": data, "--bits": "8", "--epochs": "1", "--supervision": "0.5", "--seed": "1"]),
            Template(words: ["datasets", "info"], base: [:]),
        ]
    }

    static func run(semhash: String, work: String, count: Int, rng: inout FuzzRandom, tally: Tally) {
        let dir = work + "/args"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = ProcessProbe.run([semhash, "train", "--data", data, "--model", "vdsh", "--bits", "8", "--epochs", "1", "--out", "base.semhash"], in: dir)
        _ = ProcessProbe.run([semhash, "index", "--model", "base.semhash", "--data", data, "--out", "base.smhi"], in: dir)
        _ = ProcessProbe.run([semhash, "experiment", "--data", data, "--models", "vdsh", "--bits", "8", "--supervision", "0.5", "--runs", "2",
                              "--epochs", "1", "--out", "r.csv"], in: dir)
        _ = FileManager.default.createFile(atPath: dir + "/codes.txt", contents: Data("a5 one\n0f two\nff three\n".utf8))
        let list = templates()
        for i in 0..<count {
            let t = list[i % list.count]
            var args = t.base
            let option: String
            let value: String
            if t.words == ["datasets", "info"] {
                option = "DATASET"
                let key = rng.pick(["docs", "val", "test", "vocab", "classes", "length", "difficulty", "multilabel", "seed", "bogus"])
                value = rng.chance(0.8) ? "synthetic:\(key)=\(rng.pick(values))"
                                        : rng.pick(["libsvm:", "csv:/nonexistent.csv", "npy:a", "synthetic?docs=", "nokind:x", "text:/nonexistent",
                                                    "csv:/etc/hostname?sep=|", "arff:a,b,c", "synthetic:docs=10,docs=20", "mat:/dev/null"])
            } else {
                // The option is checked only if the command can use it; `--report`'s results file need not exist.
                let options = Array(args.keys).sorted()
                option = rng.pick(options)
                value = rng.pick(values)
                args[option] = value
            }
            var argv = [semhash] + t.words + t.positionals
            if t.words == ["datasets", "info"] { argv.append(value) } else { for (k, v) in args.sorted(by: { $0.key < $1.key }) { argv += [k, v] } }
            let r = ProcessProbe.run(argv, in: dir)
            // A message that names the option or quotes the bad value is clear enough.
            var names: [String]
            if option == "DATASET" {
                let afterColon = String(value.split(separator: ":", maxSplits: 1).last ?? "")
                let specOptions: [String] = value.split(separator: "?").dropFirst().flatMap { $0.split(separator: "&").map(String.init) }
                names = [String(value.split(separator: "=").first ?? ""), "synthetic", value, afterColon] + specOptions
            } else {
                names = [option, String(option.dropFirst(2))]
                if !value.isEmpty { names.append(value) }
            }
            tally.record("arguments: \(t.words.joined(separator: " "))", classify(r, names: names),
                         "\(t.words.joined(separator: " ")) \(option) '\(value.prefix(40))' → \(r.status) \(r.stderr.prefix(200))")
        }
    }
}
