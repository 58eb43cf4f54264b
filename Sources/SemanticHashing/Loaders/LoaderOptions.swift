import Foundation

/// The `?key=value` options of one dataset spec, checked once against the keys its loader knows
/// and parsed by typed accessors. Errors name the option as written in the spec
/// ("libsvm option labels=2based: not one of 0based, 1based"), never a command-line flag: the
/// library does not know how the spec reached it.
///
/// Also the two argument shapes several loaders share: `TRAIN[,TEST]` (or `test=FILE`) and
/// `labels=0based|1based`.
///
/// ```swift
/// let o = try LoaderOptions(options, loader: "libsvm", known: ["test", "labels"])
/// let (train, test) = try o.trainTestPaths("train.svm,test.svm")
/// ```
struct LoaderOptions {
    let loader: String
    let values: [String: String]

    init(_ options: [String: String], loader: String, known: Set<String>) throws {
        self.loader = loader
        values = options
        if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw SemanticHashingError.invalidArgument(
                name: "\(loader) option \(bad)", reason: "'\(loader)' has no option '\(bad)'; valid: \(known.sorted().joined(separator: ", "))")
        }
    }

    subscript(key: String) -> String? { values[key] }

    /// An error about the value of option `key`.
    func invalid(_ key: String, _ reason: String) -> SemanticHashingError {
        .invalidArgument(name: "\(loader) option \(key)=\(values[key] ?? "")", reason: reason)
    }

    /// One of a fixed set of words; `fallback` when the option is absent.
    func choice<T>(_ key: String, _ table: KeyValuePairs<String, T>, default fallback: T) throws -> T {
        guard let text = values[key] else { return fallback }
        guard let hit = table.first(where: { $0.key == text }) else {
            throw invalid(key, "not one of \(table.map { "'" + $0.key.replacingOccurrences(of: "\t", with: "\\t") + "'" }.joined(separator: ", "))")
        }
        return hit.value
    }

    /// A positive integer at most `maximum`, or nil when absent.
    func positiveInt(_ key: String, maximum: Int = Int.max) throws -> Int? {
        guard let text = values[key] else { return nil }
        guard let v = Int(text), v > 0 else { throw invalid(key, "not a positive integer") }
        guard v <= maximum else { throw invalid(key, "more than the limit of \(maximum)") }
        return v
    }

    /// A non-negative integer, or nil when absent.
    func nonNegativeInt(_ key: String) throws -> Int? {
        guard let text = values[key] else { return nil }
        guard let v = Int(text), v >= 0 else { throw invalid(key, "not a non-negative integer") }
        return v
    }

    /// true|yes|1 or false|no|0.
    func flag(_ key: String, default fallback: Bool) throws -> Bool {
        guard let text = values[key] else { return fallback }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw invalid(key, "not true or false")
        }
    }

    /// The `seed` option.
    func seed(default fallback: UInt64) throws -> UInt64 {
        guard let text = values["seed"] else { return fallback }
        guard let s = UInt64(text) else { throw invalid("seed", "not a non-negative integer") }
        return s
    }

    /// A row count: an integer N < `total`, or a fraction in [0, 1) of `total` (⌊f·total⌋);
    /// `⌊defaultFraction·total⌋` when absent. `source` names where the rows come from, for messages.
    func rowCount(_ key: String, total: Int, defaultFraction: Double, source: String = "the data") throws -> Int {
        guard let text = values[key] else { return Int(defaultFraction * Double(total) + 1e-9) }
        if let n = Int(text), n >= 0 {
            guard n < total else { throw invalid(key, "\(n) rows requested but \(source) has only \(total) available") }
            return n
        }
        if let f = Double(text), f >= 0, f < 1 { return Int(f * Double(total) + 1e-9) }
        throw invalid(key, "neither a row count nor a fraction in [0, 1)")
    }

    /// How a file counts its classes: `labels=0based|1based`; nil when absent (the loader decides).
    func classBase(_ key: String = "labels") throws -> Int? {
        guard values[key] != nil else { return nil }
        return try choice(key, ["0based": 0, "1based": 1], default: 0)
    }

    /// `TRAIN[,TEST]`, the test file alternatively from the option `test=FILE`.
    func trainTestPaths(_ argument: String) throws -> (train: String, test: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let train = parts.first, !train.isEmpty, parts.count <= 2 else {
            throw SemanticHashingError.invalidArgument(name: "\(loader) spec", reason: "expected '\(loader):TRAIN[,TEST]', got '\(argument)'")
        }
        guard let test = parts.count == 2 ? parts[1] : values["test"], !test.isEmpty else {
            throw SemanticHashingError.invalidArgument(name: "\(loader) spec", reason: "no test file: give '\(loader):TRAIN,TEST' or the option test=FILE")
        }
        return (train, test)
    }
}
