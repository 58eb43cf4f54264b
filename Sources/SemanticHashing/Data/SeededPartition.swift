/// The seeded split every text loader uses (case 3 of `SplitCarving`'s policy): shuffle the items 0..<n with `RandomSource(seed:)`
/// (Fisher–Yates), then cut the shuffled order.
///
/// - train/validation: validation = the last ⌊n/10⌋ shuffled items, train = the rest
///   (10 060 Snippets lines → 9 054 / 1 006; 11 314 posts → 10 183 / 1 131);
/// - train/validation/test (`holdOutTest`): test = the last ⌊n/10⌋, validation = the ⌊n/10⌋
///   before them, train = the rest (80/10/10).
///
/// Each part keeps the shuffled order.
///
/// ```swift
/// let p = SeededPartition(count: 10_060, seed: 20)
/// (p.train.count, p.validation.count)   // (9054, 1006)
/// ```
public struct SeededPartition: Sendable, Equatable {
    public let train: [Int]
    public let validation: [Int]
    public let test: [Int]

    public init(count n: Int, seed: UInt64, holdOutTest: Bool = false) {
        var rng = RandomSource(seed: seed)
        let order = rng.permutation(n)
        let tenth = n / 10
        let trainEnd = n - tenth * (holdOutTest ? 2 : 1)
        train = Array(order[..<trainEnd])
        validation = Array(order[trainEnd..<(trainEnd + tenth)])
        test = holdOutTest ? Array(order[(trainEnd + tenth)...]) : []
    }
}
