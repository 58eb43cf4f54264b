import Foundation

/// Chooses α, β, γ for one (dataset, model, bits, level) by training on part of the training
/// items and measuring P@100 on the rest; the test split is never touched.
///
/// ```
/// pool = train + validation items            (true labels)
/// queries = a seeded fraction f of pool      database = pool − queries
/// score(α, β, γ) = P@100 of the codes, model trained on the database with level p of its labels
/// grid:   every combination of αᵢ = lo·kⁱ ≤ hi (likewise β, γ)     random: N draws, log-uniform in [lo, hi]
/// winner = argmax score
/// ```
///
/// ```swift
/// let search = HyperparameterSearch(dataset: data, model: .ssbVAE, bits: 16, level: 0.1,
///                                   training: TrainingOptions(epochs: 10), validationFraction: 0.1)
/// let ranges = try HyperparameterSearch.parseRanges("alpha=1e-4:1e4:100,gamma=1:1e4:100")
/// let ranked = search.run(HyperparameterSearch.grid(ranges, base: ModelPreset.ssbVAE.defaultWeights))
/// ```
public struct HyperparameterSearch: Sendable {
    /// The values one weight takes: a log grid `low, low·factor, … ≤ high`, or one fixed value.
    public struct Range: Sendable, Equatable {
        public var name: String
        public var low: Double
        public var high: Double
        public var factor: Double

        public var gridValues: [Double] {
            guard high > low else { return [low] }
            var values: [Double] = []
            var v = low
            // The slack keeps `high` itself despite rounding in repeated multiplication.
            while v <= high * (1 + 1e-9) { values.append(Self.tidy(v)); v *= factor }
            return values
        }

        /// Removes the float noise of repeated multiplication (1e-4·10³ = 0.10000000000000002 → 0.1).
        static func tidy(_ v: Double) -> Double {
            guard v > 0 else { return v }
            let scale = pow(10, 12 - (log10(v)).rounded(.down))
            return (v * scale).rounded() / scale
        }
    }

    /// One evaluated setting; `score` is nil when training diverged.
    public struct Candidate: Sendable {
        public var weights: LossWeights
        public var score: Double?
        public var metrics: [String: Double]
        public var seconds: Double
        public var failure: String?
        /// Each validation query's score, for paired comparisons (`BudgetedTuning`); empty otherwise.
        public var queryScores: [Double] = []
        /// The multiplier of the input classifier's scale in the class-aligned readout (`BudgetedTuning`).
        public var readoutInputWeight = 1.0
        /// How an unsupervised model chose to read its codes (`LatentInputReadout`); nil otherwise.
        public var inputReadoutChoice: LatentInputReadout.Choice?

        /// Whether `other` tried the same setting: the same weights and readout.
        public func hasSameSetting(as other: Candidate) -> Bool {
            weights == other.weights && readoutInputWeight == other.readoutInputWeight
        }
    }

    public let dataset: Dataset
    public let model: ModelPreset
    public let bits: Int
    public let level: Double
    public let training: TrainingOptions
    public let variant: ModelVariant
    /// The model's other settings (terms beyond the three weights), copied into every candidate.
    public let pairSimilarity: PairSimilarity
    public let bitBalance: Double
    /// Training items and queries of the search (never the test split).
    public let split: Dataset

    public init(dataset: Dataset, model: ModelPreset, bits: Int, level: Double, training: TrainingOptions,
                validationFraction: Double = 0.1, variant: ModelVariant = .reference,
                pairSimilarity: PairSimilarity = .dot, bitBalance: Double = 0) throws {
        guard validationFraction > 0 && validationFraction < 1 else {
            throw SemanticHashingError.invalidArgument(name: "validation fraction", reason: "must be a fraction in (0, 1), got \(validationFraction)")
        }
        self.dataset = dataset
        self.model = model
        self.bits = bits
        self.level = level
        self.training = training
        self.variant = variant
        self.pairSimilarity = pairSimilarity
        self.bitBalance = bitBalance
        split = try Self.validationSplit(of: dataset, fraction: validationFraction, seed: training.seed)
    }

    /// How many of `pool` train + validation items become validation queries.
    public static func queryCount(pool: Int, fraction: Double) -> Int { Int(fraction * Double(pool) + 1e-9) }

    /// Train + validation items split into a database (returned as `train`) and queries (as `test`).
    public static func validationSplit(of dataset: Dataset, fraction: Double, seed: UInt64) throws -> Dataset {
        let pool = dataset.database
        let count = queryCount(pool: pool.count, fraction: fraction)
        guard count >= 1 && pool.count - count >= 2 else {
            throw SemanticHashingError.invalidArgument(name: "validation fraction", reason: "\(fraction) of \(pool.count) training items leaves no queries or no database")
        }
        let (database, queries) = SplitCarving.validation(from: pool, count: count, seed: seed)
        return Dataset(name: dataset.name, train: database, validation: nil, test: queries!, classNames: dataset.classNames,
                       featureNames: dataset.featureNames, reconstruction: dataset.reconstruction, preprocessing: dataset.preprocessing)
    }

    /// Parses `alpha=1e-4:1e4[:factor],gamma=0,…` (factor 10 by default; a single value fixes the weight).
    public static func parseRanges(_ text: String) throws -> [Range] {
        var ranges: [Range] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, ["alpha", "beta", "gamma"].contains(kv[0]) else {
                throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "'\(item)' is not alpha|beta|gamma=LOW:HIGH[:FACTOR] or =VALUE")
            }
            guard !ranges.contains(where: { $0.name == kv[0] }) else {
                throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "\(kv[0]) is given twice")
            }
            let numbers = kv[1].split(separator: ":").map { Double($0) }
            guard (1...3).contains(numbers.count), numbers.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else {
                throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "'\(kv[1])' for \(kv[0]) is not LOW:HIGH[:FACTOR] or one number ≥ 0")
            }
            let values = numbers.map { $0! }
            if values.count == 1 {
                ranges.append(Range(name: kv[0], low: values[0], high: values[0], factor: 10))
                continue
            }
            let factor = values.count == 3 ? values[2] : 10
            guard values[0] > 0, values[1] >= values[0], factor > 1 else {
                throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "\(kv[0])=\(kv[1]): a log range needs 0 < LOW ≤ HIGH and FACTOR > 1")
            }
            let steps = log(values[1] / values[0]) / log(factor)
            guard steps < 1000 else {
                throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "\(kv[0])=\(kv[1]) has \(Int(min(steps, 1e15)) + 1) values; at most 1000 (a larger FACTOR)")
            }
            ranges.append(Range(name: kv[0], low: values[0], high: values[1], factor: factor))
        }
        let combinations = ranges.reduce(1.0) { $0 * Double($1.gridValues.count) }
        guard combinations <= 100_000 else {
            throw SemanticHashingError.invalidArgument(name: "weight grid", reason: "'\(text)' makes \(Int(combinations)) combinations; at most 100000")
        }
        return ranges
    }

    /// The default search space: α over 1e-4…1e4 (×100), and for the pairwise models γ over 1…1e4 (×100).
    public static func defaultRanges(for model: ModelPreset) -> [Range] {
        var ranges = [Range(name: "alpha", low: 1e-4, high: 1e4, factor: 100)]
        if model.supervision == .pairwiseTrueLabels || model.supervision == .pairwisePredicted {
            ranges.append(Range(name: "gamma", low: 1, high: 1e4, factor: 100))
        }
        return ranges
    }

    /// Every combination of the ranges' grid values; weights without a range keep `base`'s.
    public static func grid(_ ranges: [Range], base: LossWeights) -> [LossWeights] {
        var candidates = [base]
        for r in ranges {
            candidates = candidates.flatMap { w in r.gridValues.map { set(r.name, $0, in: w) } }
        }
        return candidates
    }

    /// `count` draws, each weight log-uniform in its range (fixed ranges stay fixed), seeded.
    public static func random(_ ranges: [Range], base: LossWeights, count: Int, seed: UInt64) -> [LossWeights] {
        var rng = RandomSource(seed: seed &+ 0x5455_4E45)  // "TUNE"
        return (0..<count).map { _ in
            ranges.reduce(base) { w, r in
                let u = rng.uniformDouble()
                let v = r.high > r.low ? Range.tidy(exp(log(r.low) + u * (log(r.high) - log(r.low)))) : r.low
                return set(r.name, v, in: w)
            }
        }
    }

    static func set(_ name: String, _ value: Double, in w: LossWeights) -> LossWeights {
        var w = w
        switch name { case "alpha": w.alpha = value; case "beta": w.beta = value; default: w.gamma = value }
        return w
    }

    /// Trains and scores each candidate, best first (diverged ones last). `onCandidate` reports
    /// each as it finishes.
    public func run(_ candidates: [LossWeights], onCandidate: (Int, Candidate) -> Void = { _, _ in }) -> [Candidate] {
        var scored: [Candidate] = []
        for (i, weights) in candidates.enumerated() {
            let config = ModelConfiguration(preset: model, bits: bits, inputDimensions: split.featureCount, classCount: split.classCount,
                                            multiLabel: split.isMultiLabel, reconstruction: split.reconstruction, weights: weights, variant: variant,
                                            pairSimilarity: pairSimilarity, bitBalance: bitBalance)
            let start = Date()
            var candidate: Candidate
            do {
                let result = try HashingRun.trainAndEvaluate(split, configuration: config, options: training,
                                                             supervision: .level(level, seed: training.seed))
                candidate = Candidate(weights: weights, score: result.metrics["p@100"], metrics: result.metrics,
                                      seconds: Date().timeIntervalSince(start), failure: nil)
                candidate.inputReadoutChoice = (result.model as? HashingVAE)?.inputReadoutChoice
            } catch {
                candidate = Candidate(weights: weights, score: nil, metrics: [:], seconds: Date().timeIntervalSince(start), failure: "\(error)")
            }
            onCandidate(i, candidate)
            scored.append(candidate)
        }
        // A stable sort keeps the grid order among equal scores, so ties resolve reproducibly.
        return scored.enumerated().sorted { a, b in
            let sa = a.element.score ?? -.infinity, sb = b.element.score ?? -.infinity
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
    }
}
