/// Carves a seeded validation split out of a training split, for formats whose files have no
/// validation part (ARFF/TMC, npy, csv, Fashion-MNIST, MAT files without `cv`).
///
/// A seeded permutation picks the validation rows; both parts keep the file's row order, so the
/// result depends only on the seed and the row count.
///
/// ```swift
/// let (train, validation) = SplitCarving.validation(from: all, count: 1000, seed: 20)
/// ```
public enum SplitCarving {
    public static func validation(from split: DataSplit, count: Int, seed: UInt64) -> (train: DataSplit, validation: DataSplit?) {
        guard count > 0, count < split.count else { return (split, nil) }
        var rng = RandomSource(seed: seed)
        let chosen = Set(rng.permutation(split.count).prefix(count))
        let trainRows = (0..<split.count).filter { !chosen.contains($0) }
        return (split.gatherRows(trainRows), split.gatherRows(chosen.sorted()))
    }

    /// The validation size from an option: an integer count, or a fraction in (0, 1) of `total`
    /// ("0.1" → ⌊0.1·total⌋); `defaultFraction` when the option is absent.
    public static func count(option: String?, name: String, total: Int, defaultFraction: Double) throws -> Int {
        guard let text = option else { return Int(defaultFraction * Double(total) + 1e-9) }
        if let n = Int(text), n >= 0 {
            guard n < total else {
                throw SemanticHashingError.invalidArgument(name: name, reason: "\(n) rows requested but only \(total) available")
            }
            return n
        }
        if let f = Double(text), f >= 0, f < 1 { return Int(f * Double(total) + 1e-9) }
        throw SemanticHashingError.invalidArgument(name: name, reason: "'\(text)' is neither a row count nor a fraction in [0, 1)")
    }

    /// The `seed` option (default `defaultSeed`).
    public static func seed(option: String?, defaultSeed: UInt64) throws -> UInt64 {
        guard let text = option else { return defaultSeed }
        guard let s = UInt64(text) else { throw SemanticHashingError.invalidArgument(name: "seed", reason: "'\(text)' is not a non-negative integer") }
        return s
    }
}
