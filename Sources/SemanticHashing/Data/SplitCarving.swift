/// Where a dataset's validation split comes from: the one policy every loader follows.
///
/// ```
/// 1. the files name a validation part        → use it as the files say
///      libsvm: split.txt / validation=N        → the LAST N rows of TRAIN (`lastRows`)
///      mat:    a `cv` variable                 → that variable
/// 2. otherwise, labelled files (arff, tmc, npy, csv, fashion-mnist, mat without cv)
///                                             → N seeded rows of TRAIN (`validation`), both parts
///                                               in file order
/// 3. raw-text corpora (snippets, 20news, text) → `SeededPartition`: shuffle, the last ⌊n/10⌋
///                                               shuffled items, parts in shuffled order
/// ```
///
/// Why three cases and not one: (1) files that carry their own validation part were written by a
/// reference pipeline whose results we compare against, so the rows must be exactly those; the
/// libsvm exports append the validation rows after the training rows, hence "last N". (2) When a
/// format has no such part, the choice is ours: a seeded sample that keeps the file's order,
/// so the result depends only on the seed and the row count. (3) The text corpora reproduce the
/// reference's shuffled 90/10 cut of `train.txt` (10 060 Snippets lines → 9 054 / 1 006), and the
/// shuffled order is part of what the vectoriser is fitted on; changing it would change every
/// recorded text result.
///
/// ```swift
/// let (train, validation) = SplitCarving.validation(from: all, count: 1000, seed: 20)
/// let (head, tail) = SplitCarving.lastRows(of: all, count: 1006)
/// ```
public enum SplitCarving {
    /// Case 2: `count` rows picked by a seeded permutation; both parts keep the file's row order.
    public static func validation(from split: DataSplit, count: Int, seed: UInt64) -> (train: DataSplit, validation: DataSplit?) {
        guard count > 0, count < split.count else { return (split, nil) }
        var rng = RandomSource(seed: seed)
        let chosen = Set(rng.permutation(split.count).prefix(count))
        let trainRows = (0..<split.count).filter { !chosen.contains($0) }
        return (split.gatherRows(trainRows), split.gatherRows(chosen.sorted()))
    }

    /// Case 1 for libsvm: the last `count` rows are the validation part (none when `count` is 0).
    public static func lastRows(of split: DataSplit, count: Int) -> (train: DataSplit, validation: DataSplit?) {
        guard count > 0, count < split.count else { return (split, nil) }
        let cut = split.count - count
        return (split.gatherRows(Array(0..<cut)), split.gatherRows(Array(cut..<split.count)))
    }
}
