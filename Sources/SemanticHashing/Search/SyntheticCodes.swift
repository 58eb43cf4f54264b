/// Seeded synthetic codes for benchmarks (docs/benchmarks):
///
/// ```
/// random:    every bit uniform
/// clustered: 20 uniform centres; a code = a uniformly chosen centre with each bit flipped
///            with probability 6554 / 65536 ≈ 0.1
/// ```
/// Database and queries drawn with the same seed share the centres, so queries fall in clusters.
///
/// ```swift
/// let (db, queries) = SyntheticCodes.generate(.clustered, bits: 32, count: 1_000_000, queries: 1000, seed: 1)
/// ```
public enum SyntheticCodes {
    public enum Distribution: String, CaseIterable, Sendable {
        case random, clustered
    }

    public static let clusterCount = 20
    /// Flip probability 0.1 as a 16-bit threshold, so one 64-bit draw decides four bits.
    static let flipThreshold: UInt64 = 6554

    public static func generate(_ distribution: Distribution, bits: Int, count: Int, queries: Int,
                                seed: UInt64) -> (database: BinaryCodes, queries: BinaryCodes) {
        var rng = RandomSource(seed: seed)
        let perCode = (bits + 63) / 64
        let centres = (0..<clusterCount * perCode).map { _ in rng.next() }
        func draw(_ n: Int) -> BinaryCodes {
            var words = [UInt64](repeating: 0, count: n * perCode)
            for i in 0..<n {
                let centre = distribution == .clustered ? rng.integer(below: clusterCount) : 0
                for w in 0..<perCode {
                    switch distribution {
                    case .random:
                        words[i * perCode + w] = rng.next()
                    case .clustered:
                        var flips: UInt64 = 0
                        let used = min(64, bits - 64 * w)
                        var bit = 0
                        while bit < used {
                            var r = rng.next()
                            for _ in 0..<4 where bit < used {
                                if r & 0xFFFF < flipThreshold { flips |= 1 << UInt64(63 - bit) }
                                r >>= 16
                                bit += 1
                            }
                        }
                        words[i * perCode + w] = centres[centre * perCode + w] ^ flips
                    }
                }
            }
            return BinaryCodes(words: words, count: n, bits: bits)
        }
        let database = draw(count)
        return (database, draw(queries))
    }
}
