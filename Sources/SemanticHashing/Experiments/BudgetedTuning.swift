import Foundation

/// Chooses α, β, γ for `train --tune auto` within a time budget, from the labels training may use
/// and nothing else (unlike `HyperparameterSearch`, which scores with every training item's true
/// label, as the paper's protocol allows).
///
/// ```
/// labelled = the training items that keep their labels
/// hidden   = a seeded 30 % of labelled (at least 10, at most 2 000), split in halves: queries, references
/// each candidate trains on every training item, with the labels of hidden taken away
/// score(w) = tie-aware P@K of the queries against the references, K = the share of references
///            that P@100 is of the whole training set, at least 5
/// candidates: the model's weights first, then log-uniform draws around them
///     α ∈ α₀·[10⁻², 10²] (models with labels)   β ∈ β₀·[10⁻¹, 10]   γ ∈ γ₀·[10⁻², 10²] (pairwise models)
///     weights the caller fixes stay fixed
///     each trained candidate also scored with the input classifier's weight in the readout × ½, 2, 4
///     (models that read one into their codes: a readout fit each, no training)
/// stop before a candidate that would end past the budget, keeping time for the final training
/// d(q) = score of a candidate on query q − score of the first candidate (the current weights) on q
/// chosen = the best-scoring candidate whose mean d(q) exceeds 3 standard errors of it, else the first
/// ```
///
/// The hidden items play the part of the collection at search time, most of which trained without
/// labels. A first version scored held-out queries against the labelled items the candidates had
/// trained with; it rewarded codes that fit the labelled items and picked weights that lost on the
/// test queries (TMC 10 %: +0.050 held out, −0.003 on test; Ohsumed: +0.023, −0.021).
/// Tie-aware precision because a labelled collection is often stored class by class, where ties
/// broken by position would reward codes that tie. The paired test guards against the noise of few
/// queries when labels are few; three standard errors rather than two because the best of up to
/// 50 candidates is compared. Every candidate carries the labelled share of the whole training set,
/// so its pairwise weight is the final model's.
///
/// ```swift
/// let tuning = try BudgetedTuning(configuration: config, training: maskedTrain, options: options)
/// let outcome = tuning.run(budget: 300) { i, c in print(i, c.score ?? .nan) }
/// config.weights = outcome.chosen.weights   // and ModelTraining.fit(…, readoutInputWeight: outcome.chosen.readoutInputWeight)
/// ```
public struct BudgetedTuning: Sendable {
    public typealias Candidate = HyperparameterSearch.Candidate

    public let configuration: ModelConfiguration
    public let options: TrainingOptions
    /// What each candidate trains on: the training items, the hidden ones without their labels.
    public let training: DataSplit
    /// Hidden items scored against `references`, with their labels.
    public let queries: DataSplit
    public let references: DataSplit
    /// The depth K of the score.
    public let cutoff: Int
    /// The weights that are searched (the rest stay at `configuration.weights`).
    public let searched: Set<String>

    /// Fewest hidden items (queries + references), and fewest labelled items left to train with.
    public static let minimumHidden = 10
    public static let minimumLabelledLeft = 5
    public static let maximumHidden = 2000

    public init(configuration: ModelConfiguration, training: DataSplit, options: TrainingOptions,
                hiddenFraction: Double = 0.3, fixed: Set<String> = []) throws {
        guard configuration.preset.family == .vae else {
            throw SemanticHashingError.invalidArgument(name: "--tune", reason: "\(configuration.preset.paperName) is fitted in closed form; it has no loss weights to tune")
        }
        guard hiddenFraction > 0 && hiddenFraction < 1 else {
            throw SemanticHashingError.invalidArgument(name: "hidden fraction", reason: "must be in (0, 1), got \(hiddenFraction)")
        }
        let labelled = training.labels.labelledItems
        let count = min(Self.maximumHidden, max(Self.minimumHidden, Int(hiddenFraction * Double(labelled.count))))
        guard labelled.count - count >= Self.minimumLabelledLeft else {
            throw SemanticHashingError.invalidArgument(
                name: "--tune", reason: "validation needs at least \(Self.minimumHidden + Self.minimumLabelledLeft) labelled training items, and \(labelled.count) keep their labels; give more labels or leave --tune off")
        }
        var rng = RandomSource(seed: options.seed &+ 0x4155_544F)  // "AUTO"
        let hidden = rng.permutation(labelled.count).prefix(count).map { labelled[$0] }
        queries = training.gatherRows(hidden.prefix(count / 2).sorted())
        references = training.gatherRows(hidden.dropFirst(count / 2).sorted())
        var masked = training
        masked.labels = training.labels.keepingOnly(Set(labelled).subtracting(hidden))
        self.training = masked
        cutoff = max(Self.minimumHidden / 2, Int((100 * Double(references.count) / Double(training.count)).rounded()))
        // The share of the training set as given, not of the masked one: the final model's.
        self.configuration = ModelTraining.recordingLabelledShare(configuration, of: training)
        self.options = options
        searched = Set(Self.tunableWeights(of: configuration.preset)).subtracting(fixed)
    }

    /// The weights a model's loss reads: β always, α with a label term, γ with a pairwise one.
    public static func tunableWeights(of model: ModelPreset) -> [String] {
        var names = ["beta"]
        if model.usesLabels { names.insert("alpha", at: 0) }
        if model.supervision == .pairwiseTrueLabels || model.supervision == .pairwisePredicted { names.append("gamma") }
        return names
    }

    /// The search ranges around `base`: ×10^±2 for α and γ, ×10^±1 for β; a weight at 0 stays 0.
    public func ranges(around base: LossWeights) -> [HyperparameterSearch.Range] {
        let spans = ["alpha": 100.0, "beta": 10, "gamma": 100]
        return Self.tunableWeights(of: configuration.preset).filter(searched.contains).compactMap { name in
            let value = name == "alpha" ? base.alpha : name == "beta" ? base.beta : base.gamma
            guard value > 0 else { return nil }
            return HyperparameterSearch.Range(name: name, low: value / spans[name]!, high: value * spans[name]!, factor: 10)
        }
    }

    /// The base weights, then `count − 1` seeded draws around them.
    public func candidates(count: Int) -> [LossWeights] {
        let base = configuration.weights
        let ranges = ranges(around: base)
        guard count > 1, !ranges.isEmpty else { return [base] }
        return [base] + HyperparameterSearch.random(ranges, base: base, count: count - 1, seed: options.seed)
    }

    /// Multipliers of the input classifier's weight in the readout that each trained candidate is
    /// also scored with, after 1. On the validation carves of five corpora the best one ranged from
    /// ½ (Snippets) to 4 (TREC, where the classifier on the input is the more accurate of the two);
    /// trying them costs a readout fit each, not a training.
    public static let readoutInputWeights = [0.5, 2, 4]

    /// Trains with `weights` and scores the queries against the references: first with the readout
    /// as trained, then, for a model that reads an input classifier into its codes, with each of
    /// `readoutInputWeights`. `seconds` of each is the time since the previous one was scored: the
    /// training for the first, the shared readout inputs and a fit for the second.
    public func score(_ weights: LossWeights) -> [Candidate] {
        var config = configuration
        config.weights = weights
        var start = Date()
        func scored(_ model: any HashingModel, inputWeight: Double) -> Candidate {
            let metrics = RetrievalMetrics.evaluate(queryCodes: model.codes(queries.features), queryLabels: queries.labels,
                                                    databaseCodes: model.codes(references.features), databaseLabels: references.labels,
                                                    cutoffs: [cutoff], perQuery: true)
            let p = metrics.at(cutoff)!.expectedPrecision
            return Candidate(weights: weights, score: p, metrics: ["tie-aware p@\(cutoff)": p], seconds: Date().timeIntervalSince(start),
                             failure: nil, queryScores: metrics.perQueryExpectedPrecision!, readoutInputWeight: inputWeight)
        }
        do {
            let (model, _) = try ModelTraining.fit(config, on: training, options: options)
            var candidates = [scored(model, inputWeight: 1)]
            if let vae = model as? HashingVAE, vae.readout?.inputClassifier != nil {
                start = Date()
                let inputs = ClassAlignedReadout.Inputs(vae, on: training)   // once: q and the forward pass do not depend on m
                for m in Self.readoutInputWeights {
                    vae.readout = ClassAlignedReadout.fit(inputs, seed: options.seed, inputWeight: m)
                    candidates.append(scored(vae, inputWeight: m))
                    start = Date()
                }
            }
            return candidates
        } catch {
            return [Candidate(weights: weights, score: nil, metrics: [:], seconds: Date().timeIntervalSince(start), failure: "\(error)")]
        }
    }

    /// The scored candidates, best first, and the one to train with.
    public struct Outcome: Sendable {
        public var ranked: [Candidate]
        public var chosen: Candidate
        /// The first candidate: the weights before tuning.
        public var current: Candidate
    }

    /// How many standard errors of the paired per-query difference a candidate must gain over the
    /// current weights to replace them.
    public static let requiredStandardErrors = 3.0

    /// Scores candidates until the next one, plus the final training on every item, would end past
    /// `budget` seconds (the first, the current weights, always runs). `maxCandidates` bounds the
    /// search when the budget is generous.
    public func run(budget: TimeInterval, maxCandidates: Int = 50, onCandidate: (Int, Candidate) -> Void = { _, _ in }) -> Outcome {
        let start = Date()
        var scored: [Candidate] = [], trainings: [Double] = []
        for (i, weights) in candidates(count: maxCandidates).enumerated() {
            if i > 0 {
                let mean = trainings.reduce(0, +) / Double(trainings.count)
                guard Date().timeIntervalSince(start) + 2 * mean <= budget else { break }  // the next one and the final training
            }
            let made = score(weights)
            trainings.append(made.map(\.seconds).reduce(0, +))
            for candidate in made {
                onCandidate(scored.count, candidate)
                scored.append(candidate)
            }
        }
        let ranked = scored.enumerated().sorted { a, b in
            let sa = a.element.score ?? -.infinity, sb = b.element.score ?? -.infinity
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
        let current = scored[0]
        let chosen = ranked.first { Self.clearlyBetter($0, than: current) } ?? current
        return Outcome(ranked: ranked, chosen: chosen, current: current)
    }

    /// Whether `candidate`'s mean per-query gain over `reference` exceeds `requiredStandardErrors`
    /// standard errors (a candidate that diverged never is; a diverged reference loses to any score).
    public static func clearlyBetter(_ candidate: Candidate, than reference: Candidate) -> Bool {
        guard candidate.score != nil else { return false }
        guard reference.score != nil else { return true }
        let a = candidate.queryScores, b = reference.queryScores
        guard a.count == b.count, a.count >= 2 else { return false }
        let d = zip(a, b).map { $0 - $1 }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return mean > 0 && mean > requiredStandardErrors * (variance / n).squareRoot()
    }
}
