import Foundation

/// A built-in, seeded, labelled bag-of-words corpus for demos and tests: no files needed, the
/// same seed always gives identical data.
///
/// Each of `vocab` pronounceable pseudo-words ("tavoren", "sepi", …) gets a Zipf-like background
/// probability shared by all classes; each class has a topic: a Zipf-weighted subset of the words.
/// A document of ~`length` words (Poisson-like) draws each word from the background with
/// probability b = 0.7 + 0.2·difficulty, else from its class topic(s); `difficulty` also makes a
/// share min(difficulty, 0.75) of each topic's words come from the next class's topic, so classes
/// overlap. With `multilabel=true` a document has 1–3 classes whose topics share its topical words.
///
/// Spec: `synthetic[:key=value,…]` or `synthetic?key=value&…`, keys `docs` (train items, 4000),
/// `val` (validation items, 10 % of docs), `test` (1000), `vocab` (2000), `classes` (8),
/// `length` (40), `difficulty` (0.5), `multilabel` (false), `seed` (1).
/// Features = log(1 + count) (sparse), reconstruction target = counts, texts = the document's
/// first 12 words, ids "train row N" / "val row N" / "test row N", class names "topic-0"…,
/// feature names = the words. Sizes are bounded (docs, val, test ≤ 10⁷, vocab ≤ 2²⁰,
/// length ≤ 10⁵, 10⁸ words in all).
///
/// ```swift
/// let data = try SyntheticCorpus.load(argument: "classes=4,docs=500,seed=7", options: [:])
/// ```
public enum SyntheticCorpus {
    /// The corpus parameters (the spec's keys).
    public struct Parameters: Sendable, Equatable {
        public var docs = 4000
        public var validation: Int?
        public var test = 1000
        public var vocabulary = 2000
        public var classes = 8
        public var length = 40
        public var difficulty = 0.5
        public var multiLabel = false
        public var seed: UInt64 = 1

        public init() {}
        public var validationCount: Int { validation ?? docs / 10 }
    }

    public static func load(argument: String, options: [String: String]) throws -> Dataset {
        try generate(parameters(argument: argument, options: options))
    }

    /// Reads `key=value` pairs from the part after the colon (comma-separated) and the `?` options.
    public static func parameters(argument: String, options: [String: String]) throws -> Parameters {
        var pairs: [(String, String)] = []
        for item in argument.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty else {
                throw SemanticHashingError.invalidArgument(name: "synthetic", reason: "'\(item)' is not key=value")
            }
            pairs.append((kv[0], kv[1]))
        }
        pairs += options.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // 'docs=10,docs=20' would otherwise keep the last value without a word.
        var keys = Set<String>()
        for (key, value) in pairs where !keys.insert(key).inserted {
            throw SemanticHashingError.invalidArgument(name: "synthetic \(key)", reason: "given twice (again as '\(value)'); give each key once")
        }
        var p = Parameters()
        for (key, value) in pairs {
            func int(_ minimum: Int) throws -> Int {
                guard let v = Int(value), v >= minimum else {
                    throw SemanticHashingError.invalidArgument(name: "synthetic \(key)", reason: "'\(value)' is not an integer ≥ \(minimum)")
                }
                return v
            }
            switch key {
            case "docs": p.docs = try int(1)
            case "val", "validation": p.validation = try int(0)
            case "test": p.test = try int(1)
            case "vocab", "vocabulary": p.vocabulary = try int(10)
            case "classes": p.classes = try int(2)
            case "length": p.length = try int(1)
            case "difficulty":
                guard let d = Double(value), d >= 0, d <= 1 else {
                    throw SemanticHashingError.invalidArgument(name: "synthetic difficulty", reason: "'\(value)' is not a number in [0, 1]")
                }
                p.difficulty = d
            case "multilabel":
                guard let b = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][value.lowercased()] else {
                    throw SemanticHashingError.invalidArgument(name: "synthetic multilabel", reason: "'\(value)' is not true or false")
                }
                p.multiLabel = b
            case "seed":
                guard let s = UInt64(value) else {
                    throw SemanticHashingError.invalidArgument(name: "synthetic seed", reason: "'\(value)' is not a non-negative integer")
                }
                p.seed = s
            default:
                throw SemanticHashingError.invalidArgument(name: "synthetic", reason: "unknown key '\(key)'; valid: docs, val, test, vocab, classes, length, difficulty, multilabel, seed")
            }
        }
        // Bounds, so a typo such as docs=99999999999 is an error rather than an allocation failure:
        // the corpus holds about (docs + val + test) × length word entries.
        let limits: [(String, Int, Int)] = [("docs", p.docs, 10_000_000), ("test", p.test, 10_000_000),
                                            ("val", p.validationCount, 10_000_000), ("vocab", p.vocabulary, LoaderLimits.maximumFeatures / 16),
                                            ("classes", p.classes, LoaderLimits.maximumClasses), ("length", p.length, 100_000)]
        for (key, value, limit) in limits where value > limit {
            throw SemanticHashingError.invalidArgument(name: "synthetic \(key)=\(value)", reason: "more than the limit of \(limit)")
        }
        let items = p.docs + p.validationCount + p.test
        let (entries, overflow) = items.multipliedReportingOverflow(by: p.length)
        guard !overflow, entries <= 100_000_000 else {
            throw SemanticHashingError.invalidArgument(name: "synthetic docs=\(p.docs)",
                                                       reason: "\(items) documents of ~\(p.length) words exceed the limit of 100 000 000 words in all")
        }
        guard p.vocabulary >= 2 * p.classes else {
            throw SemanticHashingError.invalidArgument(name: "synthetic vocab", reason: "\(p.vocabulary) words are too few for \(p.classes) classes (need ≥ \(2 * p.classes))")
        }
        return p
    }

    /// Builds the corpus.
    public static func generate(_ p: Parameters) throws -> Dataset {
        var rng = RandomSource(seed: p.seed)
        let words = pseudoWords(p.vocabulary, rng: &rng)
        let V = p.vocabulary

        // Background: Zipf over a random ranking of the words.
        let backgroundRank = rng.permutation(V)
        var background = [Double](repeating: 0, count: V)
        for (rank, w) in backgroundRank.enumerated() { background[w] = 1 / Double(rank + 2) }
        let backgroundSampler = Sampler(weights: background)

        // Topics: disjoint random blocks of words, then a `difficulty` share swapped in from
        // the next class's topic so neighbouring classes overlap.
        let topicSize = min(V / p.classes, max(20, V / (2 * p.classes)))
        let order = rng.permutation(V)
        var topics: [[Int]] = (0..<p.classes).map { c in Array(order[(c * topicSize)..<((c + 1) * topicSize)]) }
        let borrowed = Int((min(0.75, p.difficulty) * Double(topicSize)).rounded())
        let original = topics
        for c in 0..<p.classes where borrowed > 0 {
            let next = original[(c + 1) % p.classes]
            for k in 0..<borrowed { topics[c][topicSize - 1 - k] = next[k] }
        }
        let topicSamplers = topics.map { topic -> (words: [Int], sampler: Sampler) in
            (topic, Sampler(weights: (0..<topic.count).map { 1 / Double($0 + 3) }))
        }
        // Calibrated so that nearest-centroid classification from 10 % of the labels scores about
        // 0.99 / 0.9 / 0.5 at difficulty 0 / 0.5 / 1: learnable, but not trivially so by default.
        let backgroundShare = 0.7 + 0.2 * p.difficulty

        func makeSplit(_ n: Int, part: String) -> DataSplit {
            var rowStart = [0]
            var columns: [Int32] = []
            var counts: [Float] = []
            var labelSets: [[Int]] = []
            var texts: [String] = []
            rowStart.reserveCapacity(n + 1)
            var doc: [Int] = []
            for _ in 0..<n {
                var classes = [rng.integer(below: p.classes)]
                if p.multiLabel {
                    let extra = rng.integer(below: 3)
                    while classes.count < min(1 + extra, p.classes) {
                        let c = rng.integer(below: p.classes)
                        if !classes.contains(c) { classes.append(c) }
                    }
                }
                let spread = Double(p.length).squareRoot()
                let len = max(3, Int((Double(p.length) + spread * Double(rng.normal())).rounded()))
                doc.removeAll(keepingCapacity: true)
                for _ in 0..<len {
                    if rng.uniformDouble() < backgroundShare {
                        doc.append(backgroundSampler.draw(&rng))
                    } else {
                        let topic = topicSamplers[classes[rng.integer(below: classes.count)]]
                        doc.append(topic.words[topic.sampler.draw(&rng)])
                    }
                }
                texts.append(doc.prefix(12).map { words[$0] }.joined(separator: " "))
                doc.sort()
                var k = 0
                while k < doc.count {
                    var e = k
                    while e < doc.count && doc[e] == doc[k] { e += 1 }
                    columns.append(Int32(doc[k]))
                    counts.append(Float(e - k))
                    k = e
                }
                rowStart.append(columns.count)
                labelSets.append(classes.sorted())
            }
            let target = SparseMatrix(rows: n, columns: V, rowStart: rowStart, columnIndices: columns, values: counts)
            let labels = p.multiLabel ? Labels(multiLabel: labelSets, classCount: p.classes)
                                      : Labels(singleLabel: labelSets.map { $0[0] }, classCount: p.classes)
            return DataSplit(features: .sparse(target.mapValues { Float(Foundation.log1p(Double($0))) }),
                             reconstructionTarget: .sparse(target), labels: labels, texts: texts,
                             ids: (0..<n).map { "\(part) row \($0)" })
        }

        let train = makeSplit(p.docs, part: "train")
        let validation = p.validationCount > 0 ? makeSplit(p.validationCount, part: "val") : nil
        let test = makeSplit(p.test, part: "test")
        let settings: [(key: String, value: String)] = [
            ("generator", "synthetic Zipf background + class topics"), ("docs", "\(p.docs)"),
            ("val", "\(p.validationCount)"), ("test", "\(p.test)"), ("vocab", "\(V)"), ("classes", "\(p.classes)"),
            ("length", "\(p.length)"), ("difficulty", "\(p.difficulty)"), ("background share", String(format: "%.3f", backgroundShare)),
            ("topic size", "\(topicSize) words (\(borrowed) shared with the next topic)"),
            ("multilabel", "\(p.multiLabel)"), ("seed", "\(p.seed)"),
            ("values", "log(1 + count); target = count"),
        ]
        return Dataset(name: "synthetic", train: train, validation: validation, test: test,
                       classNames: (0..<p.classes).map { "topic-\($0)" }, featureNames: words,
                       reconstruction: .distribution, preprocessing: .none, settings: settings)
    }

    /// `count` distinct pronounceable words of 2–3 syllables (onset + vowel, sometimes a coda).
    static func pseudoWords(_ count: Int, rng: inout RandomSource) -> [String] {
        let onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "th", "br", "tr", "st", "pl", "gr"]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
        let codas = ["", "", "", "n", "r", "s", "l", "m"]
        var seen = Set<String>()
        var words: [String] = []
        words.reserveCapacity(count)
        var syllables = 2
        var failures = 0
        while words.count < count {
            var w = ""
            let n = syllables + rng.integer(below: 2)
            for s in 0..<n {
                w += onsets[rng.integer(below: onsets.count)] + vowels[rng.integer(below: vowels.count)]
                if s == n - 1 { w += codas[rng.integer(below: codas.count)] }
            }
            if seen.insert(w).inserted {
                words.append(w)
            } else {
                // Huge vocabularies exhaust short words: lengthen them rather than loop forever.
                failures += 1
                if failures > 1000 { syllables += 1; failures = 0 }
            }
        }
        return words
    }

    /// Draws indices with probability proportional to fixed weights (cumulative sums + binary search).
    struct Sampler {
        let cumulative: [Double]

        init(weights: [Double]) {
            var c: [Double] = []
            c.reserveCapacity(weights.count)
            var s = 0.0
            for w in weights { s += w; c.append(s) }
            cumulative = c.map { $0 / s }
        }

        func draw(_ rng: inout RandomSource) -> Int {
            let u = rng.uniformDouble()
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
    }
}
