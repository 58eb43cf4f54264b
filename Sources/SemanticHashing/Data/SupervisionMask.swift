import Foundation

/// Hides labels to simulate a supervision level (design.md, Experimental protocol): the model trains on training +
/// validation items, of which only some keep their labels.
///
/// With a level p, a seeded shuffle of the n training items keeps the labels of its first ⌊p·n⌋;
/// the m validation items get their own shuffle (drawn next from the same generator) and keep
/// ⌊p·m⌋; the validation items are then appended after the training items. `labeledRows` are the
/// 0-based rows of that combined split that kept their labels, ascending.
///
/// ```swift
/// let (train, labeled) = SupervisionMask.apply(to: data, level: 0.1, seed: 20)
/// let rows = try SupervisionMask.readLabeledRows(path: "labeled_rows_p0.1.txt", rowCount: train.count)
/// let sameAsReference = SupervisionMask.apply(to: data, labeledRows: rows)
/// ```
public enum SupervisionMask {
    /// Masks by supervision level `p` in [0, 1], reproducibly for a given seed.
    public static func apply(to dataset: Dataset, level p: Double, seed: UInt64) -> (train: DataSplit, labeledRows: [Int]) {
        precondition(p >= 0 && p <= 1, "SupervisionMask: level \(p) outside [0, 1]")
        var rng = RandomSource(seed: seed)
        let n = dataset.train.count
        var keep = Array(rng.permutation(n).prefix(keptCount(p, n)))
        if let validation = dataset.validation {
            let m = validation.count
            keep += rng.permutation(m).prefix(keptCount(p, m)).map { n + $0 }
        }
        return apply(to: dataset, labeledRows: keep)
    }

    /// Keeps the labels of exactly `labeledRows` (0-based rows of training followed by
    /// validation items); every other item becomes unlabelled. Rows must be in range.
    public static func apply(to dataset: Dataset, labeledRows: [Int]) -> (train: DataSplit, labeledRows: [Int]) {
        var combined = dataset.database
        let rows = Array(Set(labeledRows)).sorted()
        precondition(rows.allSatisfy { $0 >= 0 && $0 < combined.count }, "SupervisionMask: labelled row outside 0..<\(combined.count)")
        combined.labels = combined.labels.keepingOnly(Set(rows))
        return (combined, rows)
    }

    /// ⌊p·n⌋, guarded against p·n landing a hair below an integer (0.29 · 100 = 28.999…).
    static func keptCount(_ p: Double, _ n: Int) -> Int {
        min(n, Int((p * Double(n) + 1e-9).rounded(.down)))
    }

    /// Reads a labelled-rows file (`--labeled-rows FILE`): one 0-based row number per line,
    /// blank lines and `#` comments ignored. Rows outside 0..<rowCount and repeated rows are
    /// rejected with the file and line.
    public static func readLabeledRows(path: String, rowCount: Int) throws -> [Int] {
        var seen = Set<Int>()
        var rows: [Int] = []
        for (number, raw) in try ByteText(path: path).lines() {
            let text = (raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw).trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let row = Int(text) else {
                throw SemanticHashingError.malformedInput(location: "\(path):\(number)", reason: "'\(text)' is not a row number")
            }
            guard row >= 0 && row < rowCount else {
                throw SemanticHashingError.malformedInput(location: "\(path):\(number)", reason: "row \(row) is outside 0..<\(rowCount) (training + validation items)")
            }
            guard seen.insert(row).inserted else {
                throw SemanticHashingError.malformedInput(location: "\(path):\(number)", reason: "row \(row) is listed twice")
            }
            rows.append(row)
        }
        return rows.sorted()
    }
}
