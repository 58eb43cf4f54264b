import Foundation

/// Fitting a `ClassAlignedReadout` borrows label-ITQ's pieces (the logistic regression, the mean and
/// covariance, the rule for how many class directions, the ITQ rotation), so it lives above the
/// baselines, with training.
extension ClassAlignedReadout {
    /// Fits q on the labelled items of `data` (none when no item is labelled; on single-label data
    /// refitted with the pseudo-labels `PseudoLabels` chooses among the others), then μ and P on all
    /// of its items, for a trained `model` with a supervision head. When one code would hold more
    /// than `CodeUsage.largestShareWarning` of `data`'s items, P is refitted split
    /// (`ReadoutDirections`), with more bits kept for the latent each time, until none does.
    /// `inputWeight` multiplies q's balancing scale s (`--tune auto` chooses it on held-out items).
    public static func fit(_ model: HashingVAE, on data: DataSplit, seed: UInt64, itqIterations: Int = 50,
                           settings: BaselineSettings = BaselineSettings(), inputWeight: Double = 1) -> ClassAlignedReadout {
        fit(Inputs(model, on: data, settings: settings), seed: seed, itqIterations: itqIterations, inputWeight: inputWeight)
    }

    /// What every fit for one trained model and one set of items shares, whatever `inputWeight`:
    /// q, and [ŷ_T | q] and ℓ of every item (`--tune auto` fits several weights from one of these).
    struct Inputs {
        let inputClassifier: InputClassifier?
        let predictions: Matrix, logits: Matrix
        let classCount: Int, multiLabel: Bool
        /// label-ITQ's `paddingScale`, which the latent block's scale follows (`ReadoutDirections`).
        let latentScale: Double
        /// How many unlabelled items q was refitted with.
        let pseudoLabelledItems: Int

        init(_ model: HashingVAE, on data: DataSplit, settings: BaselineSettings = BaselineSettings()) {
            classCount = model.configuration.classCount
            multiLabel = model.configuration.multiLabel
            latentScale = settings.paddingScale
            let labelled = BaselineSupport.labelledRows(data.labels)
            func classifier(rows: [Int], labels: Labels) -> InputClassifier {
                let fitted = LogisticRegression.fit(features: data.features.gatherRows(rows), labels: labels, l2: settings.classifierL2,
                                                    maximumIterations: settings.classifierIterations, tolerance: settings.classifierTolerance).model
                return InputClassifier(weights: fitted.weights, bias: fitted.bias, multiLabel: model.configuration.multiLabel)
            }
            var inputClassifier = labelled.isEmpty ? nil : classifier(rows: labelled, labels: data.labels.gatherRows(labelled))
            var pseudoLabelledItems = 0
            let first = ClassAlignedReadout.inputsInChunks(model, data.features, inputClassifier: inputClassifier)
            var predictions = first.predictions
            // Single-label data: q refitted with the pseudo-labels the mean of the head and q is surest of (`PseudoLabels`).
            let c = classCount
            if inputClassifier != nil && !multiLabel,
               let set = PseudoLabels.trainingSet(labels: data.labels,
                                                  head: PseudoLabels.unsoften(predictions.columns(0..<c), temperature: ClassAlignedReadout.temperature),
                                                  input: predictions.columns(c..<2 * c)) {
                let refitted = classifier(rows: set.rows, labels: Labels(singleLabel: set.classes, classCount: c))
                predictions.replaceColumns(c..<2 * c, with: data.features.mapRowBlocks(outputColumns: c) { refitted.probabilities($0) })
                inputClassifier = refitted
                pseudoLabelledItems = set.pseudoLabelled
            }
            self.inputClassifier = inputClassifier
            self.predictions = predictions
            self.pseudoLabelledItems = pseudoLabelledItems
            logits = first.logits
        }
    }

    /// μ and P from `inputs`, with q's balancing scale multiplied by `inputWeight`.
    static func fit(_ inputs: Inputs, seed: UInt64, itqIterations: Int = 50, inputWeight: Double = 1) -> ClassAlignedReadout {
        let bits = inputs.logits.columns
        let directions = ReadoutDirections(predictions: inputs.predictions, logits: inputs.logits, classCount: inputs.classCount,
                                           inputWeight: inputWeight, latentScale: inputs.latentScale)
        let classDirections = Self.classDirections(classCount: inputs.classCount, multiLabel: inputs.multiLabel, bits: bits,
                                                   withInputClassifier: inputs.inputClassifier != nil)
        let (projection, attempts) = directions.leastCrowdedProjection(classDirections: classDirections, seed: seed, itqIterations: itqIterations)
        var readout = ClassAlignedReadout(mean: directions.mean, projection: projection, inputClassifier: inputs.inputClassifier)
        readout.fitAttempts = attempts
        readout.inputWeight = inputWeight
        readout.pseudoLabelledItems = inputs.pseudoLabelledItems
        return readout
    }

    /// r, how many of the B bits are class directions: as many as the class block has degrees of
    /// freedom, C − 1 for each classifier of single-label data, so 2(C − 1) with q beside ŷ_T.
    /// Why: the two classifiers disagree on many items, and label-ITQ's rule for one classifier
    /// (r = C − 1) kept only the strongest directions, where they agree. Validation P@100, SSB-VAE,
    /// 10 % labels: TREC 0.607 → 0.625 at 16 bits and 0.591 → 0.627 at 32, 20 Newsgroups at 32
    /// bits 0.674 → 0.684, Snippets at 16 bits 0.851 → 0.843 (docs/results/defaults.md, section
    /// 15). Multi-label data keeps one classifier's C (2C was not measured).
    static func classDirections(classCount: Int, multiLabel: Bool, bits: Int, withInputClassifier: Bool) -> Int {
        let perClassifier = LabelITQBaseline.probabilityDirections(classCount: classCount, multiLabel: multiLabel, bits: Int.max)
        return min(bits, withInputClassifier && !multiLabel ? 2 * perClassifier : perClassifier)
    }

    /// s = √(trace cov ŷ_T / trace cov q) from the covariance of [ŷ_T | q] (columns × columns); 1
    /// without q or when either block is constant.
    static func balancingScale(_ covariance: [Double], columns c: Int, classCount: Int) -> Float {
        var head = 0.0, input = 0.0
        for j in 0..<c { if j < classCount { head += covariance[j * c + j] } else { input += covariance[j * c + j] } }
        return head > 0 && input > 0 ? Float((head / input).squareRoot()) : 1
    }

    /// `inputs` of every row, 2 048 rows at a time, so the trunk's activations never span a whole
    /// collection (only [ŷ_T | q] and ℓ do: 2C + B values a row).
    static func inputsInChunks(_ model: HashingVAE, _ x: FeatureMatrix, inputClassifier: InputClassifier?,
                               chunkSize: Int = 2048) -> (predictions: Matrix, logits: Matrix) {
        let c = model.configuration.classCount * (inputClassifier == nil ? 1 : 2)
        var predictions = Matrix(rows: x.rows, columns: c)
        var logits = Matrix(rows: x.rows, columns: model.configuration.bits)
        for start in stride(from: 0, to: x.rows, by: chunkSize) {
            let end = min(start + chunkSize, x.rows)
            let part = inputs(model, x.gatherRows(start..<end), inputClassifier: inputClassifier)
            predictions.storage.replaceSubrange(start * predictions.columns..<end * predictions.columns, with: part.predictions.storage)
            logits.storage.replaceSubrange(start * logits.columns..<end * logits.columns, with: part.logits.storage)
        }
        return (predictions, logits)
    }
}

/// The statistics of f = [u | ℓ], u = [ŷ_T | q], on the fitted items, and the projections built
/// from them.
///
/// Kept (k = 0): E, the r leading directions of D·Σ_uu·D; G, the B − r leading directions of Σ_ℓℓ;
/// one ITQ rotation of both blocks together.
///
/// Split (k > 0 bits, when a code is crowded): the kept recipe on B − k bits, w = (f − μ)·P₁, and
/// k bits from what w does not predict of ℓ, with their own rotation:
///
/// ```
/// ℓ_⊥ = (ℓ − μ_ℓ) − w·M,   M = Σ_ww⁻¹·Σ_wℓ                 (ℓ with the part w predicts removed)
/// G_⊥ = the k leading directions of Σ_ℓℓ − Σ_wℓᵀ·M         (the covariance of ℓ_⊥)
/// P   = [P₁·R₁ | (J_ℓ − P₁·M)·G_⊥·R_⊥]                     (J_ℓ: ℓ's rows of f; R: ITQ of each block)
/// ```
/// Why: the kept G follows ℓ's largest variance, which after training is mostly the class again,
/// and the rotation spreads the class over every bit, so the confident items of a large class
/// agree on all of them (Ohsumed, 16 bits, 10 % labels: 15.3 % of the items on one code). ℓ_⊥ varies
/// within a class, and rotating it on its own keeps it there: each of the k bits cuts the crowded
/// codes, while the other B − k bits read as before.
struct ReadoutDirections {
    let mean: Matrix
    let features: Matrix
    /// Columns of u (C, or 2C with an input classifier) and of ℓ (B).
    let predictionColumns: Int, bits: Int
    /// diag(D), the covariance of [u | ℓ] (row-major, unscaled) and its Σ_ℓℓ block (B × B).
    let scales: [Double]
    let covariance: [Double]
    let latentCovariance: [Double]
    /// The principal directions of D·Σ_uu·D and of Σ_ℓℓ, which every fit draws from.
    let classEigen: SymmetricEigendecomposition
    let latentEigen: SymmetricEigendecomposition
    /// a: G's mean variance is a² × E's (`keptBlocks`).
    let latentScale: Double

    init(predictions: Matrix, logits: Matrix, classCount: Int, inputWeight: Double = 1,
         latentScale: Double = BaselineSettings().paddingScale) {
        self.latentScale = latentScale
        features = Matrix.hstack([predictions, logits])
        predictionColumns = predictions.columns
        bits = logits.columns
        let (mean, covariance) = LabelITQBaseline.meanAndCovariance(features)
        self.mean = mean
        self.covariance = covariance
        let c = predictionColumns, w = c + bits, b = bits
        let predictionBlock = (0..<c).flatMap { j in (0..<c).map { k in covariance[j * w + k] } }
        let s = ClassAlignedReadout.balancingScale(predictionBlock, columns: c, classCount: classCount)
        let scales = (0..<c).map { $0 < classCount ? 1 : Double(s) * inputWeight }
        self.scales = scales
        let scaledPredictions = (0..<c).flatMap { j in (0..<c).map { k in predictionBlock[j * c + k] * scales[j] * scales[k] } }
        classEigen = SymmetricEigendecomposition(symmetric: scaledPredictions, size: c)
        latentCovariance = (0..<b).flatMap { j in (0..<b).map { k in covariance[(c + j) * w + c + k] } }
        latentEigen = SymmetricEigendecomposition(symmetric: latentCovariance, size: b)
    }

    /// The numbers of split bits to try, in order: 0 (kept), then 1, 2, 4, … up to half the bits, as
    /// few as will do, since each one is a class direction given up (20 Newsgroups, 16 bits, a
    /// validation carve crowded just over 5 %: P@100 0.658 kept, 0.647 with 1 bit split off, 0.623
    /// with 2); only 0 without class directions (then nothing crowds by class).
    static func attempts(classDirections: Int, bits: Int) -> [Int] {
        guard classDirections > 0 else { return [0] }
        return [0] + sequence(first: 1) { $0 * 2 }.prefix { $0 <= bits / 2 }
    }

    /// The kept P, or, while one code holds more than `CodeUsage.largestShareWarning` of the fitted
    /// items (and they are enough for that to mean anything), the next of `attempts`; the first
    /// within the limit, else the least crowded. `tried`: the attempts made, then the kept one
    /// again if it was not the last.
    func leastCrowdedProjection(classDirections: Int, seed: UInt64, itqIterations: Int)
        -> (projection: Matrix, tried: [ClassAlignedReadout.FitAttempt]) {
        var best: (projection: Matrix, attempt: ClassAlignedReadout.FitAttempt)?
        var tried: [ClassAlignedReadout.FitAttempt] = []
        for k in Self.attempts(classDirections: classDirections, bits: bits) {
            let fitted = projection(classDirections: classDirections, splitBits: k, seed: seed, itqIterations: itqIterations)
            let made = ClassAlignedReadout.FitAttempt(splitBits: k, largestShare: CodeUsage(BinaryCodes(thresholding: fitted.codeValues)).largestShare)
            tried.append(made)
            if best.map({ made.largestShare < $0.attempt.largestShare }) ?? true { best = (fitted.projection, made) }
            if made.largestShare <= CodeUsage.largestShareWarning || features.rows < CodeUsage.warningMinimumCount { break }
        }
        if let kept = best?.attempt, kept != tried.last { tried.append(kept) }
        return (best!.projection, tried)
    }

    /// P and the code values (f − μ)·P of the fitted items, with k = `splitBits` split bits and at
    /// most `classDirections` class directions.
    func projection(classDirections: Int, splitBits k: Int, seed: UInt64, itqIterations: Int) -> (projection: Matrix, codeValues: Matrix) {
        let m = bits - k
        let first = keptBlocks(bits: m, classDirections: min(classDirections, m))
        let centred = CenteredFeatures(.dense(features), mean: mean)
        guard k > 0 else {
            let v = centred.times(first)
            let rotation = IterativeQuantization.rotation(for: v, iterations: itqIterations, seed: seed).rotation
            return (LinearAlgebra.product(first, rotation), LinearAlgebra.product(v, rotation))
        }
        let blocks = Matrix.hstack([first, residualBlock(after: first, bits: k)])
        let v = centred.times(blocks)
        let splitSeed = BaselineSupport.stageSeeds(seed, count: 1)[0]
        let rotation = Matrix.blockDiagonal(
            IterativeQuantization.rotation(for: v.columns(0..<m), iterations: itqIterations, seed: seed).rotation,
            IterativeQuantization.rotation(for: v.columns(m..<bits), iterations: itqIterations, seed: splitSeed).rotation)
        return (LinearAlgebra.product(blocks, rotation), LinearAlgebra.product(v, rotation))
    }

    /// diag(D·E, G) for `m` bits, r = `classDirections` of them class directions ((c + B) × m);
    /// G scaled so that its mean variance is a² times E's, as label-ITQ scales the input's
    /// directions beside its class directions (a = ½: the classes weigh more than the rest of the
    /// code). Why: at a = 1 the B − r latent bits outvoted the few class directions of data with
    /// few classes. Validation P@100, SSB-VAE, 10 % labels, a = 1 → ½: two newsgroup hierarchies
    /// (2 classes) 0.853 → 0.903 at 32 bits, TREC 0.639 → 0.676 at 32 bits; no validation cell lost
    /// more than 0.002 (docs/results/defaults.md, section 20).
    func keptBlocks(bits m: Int, classDirections r: Int) -> Matrix {
        let c = predictionColumns, w = c + bits
        let e = classEigen.leadingVectors(r)
        var g = latentEigen.leadingVectors(m - r)
        if r > 0 && r < m {
            let classVariance = classEigen.values.prefix(r).reduce(0, +) / Double(r)
            let latentVariance = latentEigen.values.prefix(m - r).reduce(0, +) / Double(m - r)
            if latentVariance > 0 {
                let scale = Float(latentScale * (classVariance / latentVariance).squareRoot())
                for k in g.storage.indices { g.storage[k] *= scale }
            }
        }
        var blocks = Matrix(rows: w, columns: m)
        for i in 0..<c { for j in 0..<r { blocks[i, j] = e[i, j] * Float(scales[i]) } }
        for i in 0..<bits { for j in 0..<(m - r) { blocks[c + i, r + j] = g[i, j] } }
        return blocks
    }

    /// (J_ℓ − P₁·M)·G_⊥ ((c + B) × k): the k leading directions of ℓ's part that w = (f − μ)·P₁
    /// does not predict, as a map of f. Directions of w with no variance are left out of Σ_ww⁻¹.
    func residualBlock(after p1: Matrix, bits k: Int) -> Matrix {
        let c = predictionColumns, w = c + bits, m = p1.columns
        // Σ_f·P₁ (w × m), then Σ_ww = P₁ᵀ·Σ_f·P₁ and Σ_wℓ = (Σ_f·P₁)ᵀ restricted to ℓ's rows.
        var sp = [Double](repeating: 0, count: w * m)
        for i in 0..<w { for j in 0..<m { var t = 0.0; for a in 0..<w { t += covariance[i * w + a] * Double(p1[a, j]) }; sp[i * m + j] = t } }
        var sww = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0..<m { var t = 0.0; for a in 0..<w { t += Double(p1[a, i]) * sp[a * m + j] }; sww[i * m + j] = t } }
        let eigen = SymmetricEigendecomposition(symmetric: sww, size: m)
        let floor = (eigen.values.first ?? 0) * 1e-9
        // M = Σ_ww⁺·Σ_wℓ (m × B), Σ_wℓ[i, l] = sp[(c + l), i].
        var inverse = [Double](repeating: 0, count: m * m)
        for (a, lambda) in eigen.values.enumerated() where lambda > floor {
            for i in 0..<m { for j in 0..<m { inverse[i * m + j] += eigen.vectors[i * m + a] * eigen.vectors[j * m + a] / lambda } }
        }
        var mm = [Double](repeating: 0, count: m * bits)
        for i in 0..<m { for l in 0..<bits { var t = 0.0; for j in 0..<m { t += inverse[i * m + j] * sp[(c + l) * m + j] }; mm[i * bits + l] = t } }
        var residual = latentCovariance
        for l in 0..<bits { for q in 0..<bits { var t = 0.0; for i in 0..<m { t += sp[(c + l) * m + i] * mm[i * bits + q] }; residual[l * bits + q] -= t } }
        let g = SymmetricEigendecomposition(symmetric: residual, size: bits).leadingVectors(k)
        // (J_ℓ − P₁·M)·G_⊥.
        var mg = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { var t = 0.0; for l in 0..<bits { t += mm[i * bits + l] * Double(g[l, j]) }; mg[i * k + j] = t } }
        var out = Matrix(rows: w, columns: k)
        for a in 0..<w {
            for j in 0..<k {
                var t = a >= c ? Double(g[a - c, j]) : 0
                for i in 0..<m { t -= Double(p1[a, i]) * mg[i * k + j] }
                out[a, j] = Float(t)
            }
        }
        return out
    }
}

private extension Matrix {
    /// The columns `range` of every row.
    func columns(_ range: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (o, j) in range.enumerated() { out[i, o] = self[i, j] } }
        return out
    }

    /// Overwrites the columns `range` of every row with `values`' columns.
    mutating func replaceColumns(_ range: Range<Int>, with values: Matrix) {
        precondition(values.rows == rows && values.columns == range.count, "Matrix.replaceColumns: shape")
        for i in 0..<rows { for (o, j) in range.enumerated() { self[i, j] = values[i, o] } }
    }

    /// diag(A, B).
    static func blockDiagonal(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = Matrix(rows: a.rows + b.rows, columns: a.columns + b.columns)
        for i in 0..<a.rows { for j in 0..<a.columns { out[i, j] = a[i, j] } }
        for i in 0..<b.rows { for j in 0..<b.columns { out[a.rows + i, a.columns + j] = b[i, j] } }
        return out
    }
}
