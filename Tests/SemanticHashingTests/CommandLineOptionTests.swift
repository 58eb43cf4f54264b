import XCTest

/// Every option value is checked before any work starts: an out-of-range, malformed or
/// conflicting value ends the command with exit 64 and a message naming the option and value.
final class CommandLineOptionTests: XCTestCase {
    /// (arguments, text the message must contain). None of them may read data or train.
    static let invalid: [([String], String)] = [
        (["train", "--data", "synthetic", "--bits", "0"], "--bits: must be an integer between 1 and 1024, got '0'"),
        (["train", "--data", "synthetic", "--bits", "x"], "--bits: must be an integer between 1 and 1024, got 'x'"),
        (["train", "--data", "synthetic", "--epochs", "-1"], "--epochs: must be an integer between 1 and 100000, got '-1'"),
        (["train", "--data", "synthetic", "--batch-size", "1"], "--batch-size: must be an integer between 2"),
        (["train", "--data", "synthetic", "--batch-size", "0"], "--batch-size: must be an integer between 2"),
        (["train", "--data", "synthetic", "--learning-rate", "0"], "--learning-rate: must be a number > 0"),
        (["train", "--data", "synthetic", "--learning-rate", "nan"], "--learning-rate: must be a number > 0"),
        (["train", "--data", "synthetic", "--supervision", "1.5"], "--supervision: must be a number ≥ 0 and ≤ 1, got '1.5'"),
        (["train", "--data", "synthetic", "--alpha", "-1"], "--alpha: must be a number ≥ 0, got '-1'"),
        (["train", "--data", "synthetic", "--model", "bert"], "--model: must be one of"),
        (["train", "--data", "synthetic", "--variant", "odd"], "--variant: must be one of reference, principled, got 'odd'"),
        (["train", "--data", "synthetic", "--seed", "-3"], "--seed: must be an integer ≥ 0, got '-3'"),
        (["train", "--data", "synthetic", "--supervision", "0.5", "--labeled-rows", "rows.txt"], "--supervision and --labeled-rows exclude each other"),
        (["train", "--bits", "8"], "missing required option --data"),
        (["train", "--data", "synthetic", "--tune", "auto", "--model", "itq"], "--tune auto: itq is fitted in closed form and has no loss weights to tune"),
        (["train", "--data", "synthetic", "--budget", "5m"], "--budget applies to --tune auto"),
        (["train", "--data", "synthetic", "--tune", "auto", "--supervision", "0"], "--tune auto scores candidates on labelled items, and --supervision 0 leaves none"),
        (["train", "--data", "synthetic", "--tune", "auto", "--budget", "0s"], "--budget: must be a duration above 0 such as 90s, 5m or 1h, got '0s'"),
        (["train", "--data", "synthetic", "--tune", "auto", "--budget", "5 min"], "--budget: must be a duration above 0 such as 90s, 5m or 1h, got '5 min'"),
        (["train", "--data", "synthetic", "--tune", "yes"], "--tune: must be one of off, auto, got 'yes'"),
        (["train", "--data", "synthetic", "--bits", "8", "--bits", "16"], "option '--bits' is given twice"),
        (["train", "--data", "synthetic", "--out", "/nonexistent-folder/m.semhash"], "/nonexistent-folder/m.semhash"),
        (["experiment", "--data", "synthetic", "--runs", "0"], "--runs: must be an integer between 1 and 1000, got '0'"),
        (["experiment", "--data", "synthetic", "--runs", "11"], "--runs 11 needs 11 seeds"),
        (["experiment", "--data", "synthetic", "--supervision", "0.1:1.0:0.0000001", "--dry-run"], "--supervision: '0.1:1.0:0.0000001' makes"),
        (["experiment", "--data", "synthetic", "--bits", "16,0"], "--bits: expects comma-separated integers between 1 and 1024, got '0'"),
        (["experiment", "--data", "synthetic", "--models", "ssb-vae,nope"], "--models: unknown model 'nope'"),
        (["experiment", "--data", "synthetic", "--jobs", "0"], "--jobs: must be an integer between 1 and 64, got '0'"),
        (["experiment", "--data", "synthetic", "--resume", "--restart"], "--resume and --restart exclude each other"),
        (["tune", "--data", "synthetic", "--validation", "1"], "--validation: must be a number > 0 and ≤ 0.9, got '1'"),
        (["tune", "--data", "synthetic", "--grid", "alpha=1e-300:1e300:1.0001"], "--grid: alpha=1e-300:1e300:1.0001 has"),
        (["tune", "--data", "synthetic", "--random", "0"], "--random: must be an integer between 1 and 100000, got '0'"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--threads", "0"], "--threads: must be an integer between 1 and 1024, got '0'"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--threads", "-2"], "--threads: must be an integer between 1 and 1024, got '-2'"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--k", "0"], "--k: must be an integer between 1"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--query", "text", "--model", "m"], "--query-code and --query exclude each other"),
        (["search", "--index", "i.smhi", "--query", "text"], "--query needs --model M"),
        (["search", "--index", "i.smhi", "--kind", "tree", "--query-code", "ab"], "--kind: must be one of flat, mih, got 'tree'"),
        (["index", "--codes", "c.txt", "--model", "m", "--out", "i"], "--codes and --model exclude each other"),
        (["encode", "--model", "m", "--data", "synthetic", "--split", "every"], "--split: must be one of train, val, database, test, all, got 'every'"),
        (["index", "--merge", "--out", "x.smhi"], "--merge needs the index files to merge"),
        (["index", "--index", "i.smhi"], "--index needs --add DATASET|- or --remove ID"),
        (["index", "--index", "i.smhi", "--add", "text:d"], "--add needs --model M"),
        (["index", "--codes", "c.txt", "--out", "x.smhi", "--split", "test"], "--split chooses items of --data or --add DATASET"),
        (["index", "--codes", "c.txt", "--out", "x.smhi", "--kind", "flat", "--substrings", "3"], "--substrings goes with --kind mih"),
        (["index", "--model", "m", "--data", "text:d"], "missing required option --out"),
        (["index", "--codes", "c.txt", "--out", "x.smhi", "extra"], "unexpected argument 'extra'"),
        (["encode", "--model", "m", "--stdin", "--format", "npy"], "--format npy writes a file"),
        (["encode", "--model", "m", "--data", "synthetic", "--input", "jsonl"], "--input goes with --stdin"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--input", "jsonl"], "--input gives the form of text queries"),
        (["search", "--index", "i.smhi", "--query-code", "ab", "--model", "m"], "--query-code and --model exclude each other"),
        (["report", "r.csv", "--digits", "11"], "--digits: must be an integer between 0 and 10, got '11'"),
        (["demo", "--bits", "2000"], "--bits: must be an integer between 1 and 1024, got '2000'"),
        (["bench", "step", "--batch-size", "1"], "--batch-size: must be an integer between 2"),
        // Empty paths (semhash-fuzz --seed 2: 'train --out ""' trained, then failed with "error: : cannot rename …").
        (["train", "--data", "synthetic", "--out", ""], "--out: needs a non-empty <FILE>, got ''"),
        (["experiment", "--data", "synthetic", "--out", "", "--dry-run"], "--out: needs a non-empty <FILE>, got ''"),
        (["index", "--codes", "c.txt", "--bits", "8", "--out", ""], "--out: needs a non-empty <INDEX>, got ''"),
        (["encode", "--model", "", "--data", "synthetic"], "--model: needs a non-empty <FILE>, got ''"),
        (["search", "--index", "", "--query-code", "ab"], "--index: needs a non-empty <INDEX[,INDEX…]>, got ''"),
        (["train", "--data", "", "--bits", "8"], "--data: needs a non-empty <DATASET>, got ''"),
        (["report", ""], "argument <results> is empty"),
    ]

    func testInvalidOptionValuesExitWith64BeforeAnyWork() throws {
        let semhash = try SemhashProcess()
        for (arguments, expected) in Self.invalid {
            let outcome = try semhash.run(arguments)
            XCTAssertEqual(outcome.status, arguments.contains("/nonexistent-folder/m.semhash") ? 74 : 64, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(expected), "\(arguments): expected '\(expected)' in: \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("loaded"), "\(arguments): data was loaded before the check")
        }
    }

    func testHelpMarksRequiredOptionsAndGroupsHaveHelp() throws {
        let semhash = try SemhashProcess()
        let train = try semhash.run(["train", "--help"])
        XCTAssertEqual(train.status, 0)
        XCTAssertTrue(train.stdout.contains("USAGE: semhash train --data <DATASET> [options]"), train.stdout)
        XCTAssertTrue(train.stdout.contains("(required)"), train.stdout)
        XCTAssertTrue(train.stdout.contains("--dense-adam"), "train and tune share the optimisation options")
        let tune = try semhash.run(["tune", "--help"])
        XCTAssertTrue(tune.stdout.contains("--dense-adam"), tune.stdout)
        let datasets = try semhash.run(["datasets", "--help"])
        XCTAssertEqual(datasets.status, 0, datasets.stderr)
        XCTAssertTrue(datasets.stdout.contains("datasets info"), datasets.stdout)
        let renamed = try semhash.run(["experiment", "--data", "synthetic", "--levels", "2", "--dry-run"])
        XCTAssertEqual(renamed.status, 64)
        XCTAssertTrue(renamed.stderr.contains("--levels is now called --supervision"), renamed.stderr)
    }
}
