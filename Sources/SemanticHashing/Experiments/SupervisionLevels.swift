/// Parses a list of supervision levels: a range `start:stop:step` (inclusive) or a comma list.
///
/// ```
/// "0.1:1.0:0.1"  →  [0.1, 0.2, …, 1.0]      levelᵢ = round₉(start + i·step),  i = 0 … ⌊(stop − start)/step + ε⌋
/// "0.1,0.5,1"    →  [0.1, 0.5, 1.0]
/// ```
///
/// Each level is rounded to 9 decimals, so `0.1 + 2·0.1` is written and matched as `0.3`,
/// never as `0.30000000000000004`.
///
/// ```swift
/// let levels = try SupervisionLevels.parse("0.1:1.0:0.1")   // 10 levels
/// ```
public enum SupervisionLevels {
    /// More levels than this is a typo in STEP, not a sweep anyone can run.
    public static let maximumCount = 1000

    public static func parse(_ text: String, name: String = "supervision levels") throws -> [Double] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var levels: [Double] = []
        if trimmed.contains(":") {
            let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let start = parts[0], let stop = parts[1], let step = parts[2], step > 0, stop >= start else {
                throw SemanticHashingError.invalidArgument(name: name, reason: "'\(text)' is not START:STOP:STEP with STEP > 0 and STOP ≥ START")
            }
            guard start >= 0, stop <= 1 else {
                throw SemanticHashingError.invalidArgument(name: name, reason: "'\(text)' leaves [0, 1]: levels are fractions of the training items")
            }
            // The small slack keeps STOP itself when (stop − start)/step lands a hair below an integer.
            let steps = ((stop - start) / step + 1e-6).rounded(.down)
            guard steps < Double(maximumCount) else {
                throw SemanticHashingError.invalidArgument(name: name, reason: "'\(text)' makes \(CSVField.number(steps + 1)) levels; at most \(maximumCount) (a larger STEP)")
            }
            let count = Int(steps) + 1
            levels = (0..<count).map { rounded(start + Double($0) * step) }
        } else {
            for item in trimmed.split(separator: ",") {
                guard let value = Double(item.trimmingCharacters(in: .whitespaces)) else {
                    throw SemanticHashingError.invalidArgument(name: name, reason: "'\(item)' in '\(text)' is not a number")
                }
                levels.append(rounded(value))
            }
        }
        guard levels.count <= maximumCount else {
            throw SemanticHashingError.invalidArgument(name: name, reason: "\(levels.count) levels; at most \(maximumCount)")
        }
        guard !levels.isEmpty else { throw SemanticHashingError.invalidArgument(name: name, reason: "no levels in '\(text)'") }
        if let bad = levels.first(where: { !(0...1).contains($0) }) {
            throw SemanticHashingError.invalidArgument(name: name, reason: "level \(bad) is outside [0, 1]")
        }
        var seen = Set<Double>()
        return levels.filter { seen.insert($0).inserted }
    }

    /// The level rounded to 9 decimals: the canonical value written to and matched in CSV files.
    public static func rounded(_ level: Double) -> Double {
        (level * 1e9).rounded() / 1e9
    }

    /// Whether two levels name the same supervision fraction (after canonical rounding).
    public static func same(_ a: Double, _ b: Double) -> Bool {
        abs(rounded(a) - rounded(b)) < 1e-9
    }
}
