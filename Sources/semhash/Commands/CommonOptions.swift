import Foundation
import SemanticHashing

/// Options and steps that several commands share (data, supervision, model settings).
enum CommonOptions {
    static let dataHelp = "Dataset spec: snippets:DIR, 20news:DIR, tmc:DIR, text:DIR|FILE, libsvm:TRAIN[,TEST][?values=log1p], arff:…, mat:FILE, npy:X,Y, csv:FILE, fashion-mnist:DIR, synthetic[:k=v,…]. See 'semhash datasets info --help'."

    static let data = OptionSpec.value("--data", "SPEC", dataHelp)
    static let supervision = OptionSpec.value("--supervision", "P", "Fraction of training items that keep their labels (SPEC §6)", default: "1.0")
    static let labeledRows = OptionSpec.value("--labeled-rows", "FILE", "File of 0-based rows of train+val that keep their labels (overrides --supervision)")
    static let maskSeed = OptionSpec.value("--mask-seed", "N", "Seed of the label mask (default: --seed)")
    static let json = OptionSpec.flag("--json", "Print one JSON object on stdout instead of a table.")

    /// Loads --data. `ranks`: the caller will rank the database (evaluation), so warn when its
    /// order can sway the metrics.
    static func loadDataset(_ args: ParsedArguments, quiet: Bool = false, ranks: Bool = true) throws -> (Dataset, Double) {
        let spec = try DatasetSpec(parsing: try args.required("--data"))
        let start = Date()
        let dataset = try spec.load()
        let seconds = Date().timeIntervalSince(start)
        if !quiet { printError("loaded \(spec) in \(String(format: "%.2f", seconds)) s: \(dataset.train.count) train, \(dataset.validation?.count ?? 0) val, \(dataset.test.count) test, \(dataset.featureCount) features, \(dataset.classCount) classes") }
        if ranks && dataset.database.labels.isGroupedByClass {
            printError("note: the database (train + val) is sorted by class; ties in Hamming distance are broken by database index, so P@K and MAP@K depend on that order. Compare the tie-aware P@100, which does not.")
        }
        return (dataset, seconds)
    }

    /// The training items (train + val) with labels masked per --labeled-rows or --supervision.
    static func maskedTraining(_ dataset: Dataset, _ args: ParsedArguments, seed: UInt64) throws -> (split: DataSplit, level: Double?, labelled: Int) {
        if let path = args.string("--labeled-rows") {
            let rows = try SupervisionMask.readLabeledRows(path: path, rowCount: dataset.train.count + (dataset.validation?.count ?? 0))
            let masked = SupervisionMask.apply(to: dataset, labeledRows: rows)
            return (masked.train, nil, masked.labeledRows.count)
        }
        let level = try args.double("--supervision") ?? 1
        guard (0...1).contains(level) else {
            throw UsageError(description: "--supervision must be between 0 and 1, got \(level)")
        }
        let maskSeed = try args.int("--mask-seed").map(UInt64.init) ?? seed
        let masked = SupervisionMask.apply(to: dataset, level: level, seed: maskSeed)
        return (masked.train, level, masked.labeledRows.count)
    }

    static func seed(_ args: ParsedArguments, default value: UInt64 = 20) throws -> UInt64 {
        guard let s = try args.int("--seed") else { return value }
        guard s >= 0 else { throw UsageError(description: "--seed must be ≥ 0, got \(s)") }
        return UInt64(s)
    }

    static func preset(_ args: ParsedArguments) throws -> ModelPreset {
        let name = args.string("--model") ?? "ssb-vae"
        guard let preset = ModelPreset(name: name) else {
            throw UsageError(description: "unknown --model '\(name)'; valid: \(ModelPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return preset
    }

    static func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
