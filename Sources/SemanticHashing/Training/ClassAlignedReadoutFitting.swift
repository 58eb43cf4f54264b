import Foundation

/// Fitting a `ClassAlignedReadout` borrows label-ITQ's pieces (the logistic regression, the mean and
/// covariance, the rule for how many class directions, the ITQ rotation), so it lives above the
/// baselines, with training.
extension ClassAlignedReadout {
    /// Fits q on the labelled items of `data` (none when no item is labelled), then μ and P on all
    /// of its items, for a trained `model` with a supervision head. When one code would hold more
    /// than `CodeUsage.largestShareWarning` of `data`'s items, P is refitted split
    /// (`ReadoutDirections`), with more bits kept for the latent each time, until none does.
    public static func fit(_ model: HashingVAE, on data: DataSplit, seed: UInt64, itqIterations: Int = 50,
                           settings: BaselineSettings = BaselineSettings()) -> ClassAlignedReadout {
        let classCount = model.configuration.classCount, bits = model.configuration.bits
        let labelled = BaselineSupport.labelledRows(data.labels)
        let classifier = labelled.isEmpty ? nil : LogisticRegression.fit(
            features: data.features.gatherRows(labelled), labels: data.labels.gatherRows(labelled),
            l2: settings.classifierL2, maximumIterations: settings.classifierIterations, tolerance: settings.classifierTolerance).model
        let inputClassifier = classifier.map { InputClassifier(weights: $0.weights, bias: $0.bias, multiLabel: model.configuration.multiLabel) }
        let (predictions, logits) = inputsInChunks(model, data.features, inputClassifier: inputClassifier)
        let directions = ReadoutDirections(predictions: predictions, logits: logits, classCount: classCount)
        let classDirections = LabelITQBaseline.probabilityDirections(classCount: classCount, multiLabel: model.configuration.multiLabel, bits: bits)
        let (projection, attempts) = directions.leastCrowdedProjection(classDirections: classDirections, seed: seed, itqIterations: itqIterations)
        var readout = ClassAlignedReadout(mean: directions.mean, projection: projection, inputClassifier: inputClassifier)
        readout.fitAttempts = attempts
        return readout
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

/// The statistics of u = [ŷ_T | q] and ℓ on the fitted items, and the projections built from them.
///
/// Kept (the first fit): E, the r leading directions of D·Σ_uu·D; G, the B − r leading directions
/// of Σ_ℓℓ; one ITQ rotation of both blocks together.
///
/// Split (when a code is crowded): z = (u − μ_u)·D·E has covariance Λ = diag(λ₁ … λ_r), and
///
/// ```
/// ℓ_⊥ = (ℓ − μ_ℓ) − z·Λ⁻¹·Σ_zℓ,   Σ_zℓ = Eᵀ·D·Σ_uℓ    (ℓ with the part z predicts removed)
/// G   = the B − r leading directions of Σ_ℓℓ − Σ_zℓᵀ·Λ⁻¹·Σ_zℓ   (the covariance of ℓ_⊥)
/// P   = [[D·E, −D·E·Λ⁻¹·Σ_zℓ·G], [0, G]] · diag(R_class, R_latent)
/// ```
/// with r = min(class directions, B − k) for k reserved latent bits and a separate ITQ rotation for
/// each block. Why: the kept G follows ℓ's largest variance, which is mostly the class again, and
/// one rotation mixes both blocks, so the items of a confident class agree on every bit (Ohsumed,
/// 16 bits, 10 % labels: 15.3 % of the items on one code). ℓ_⊥ varies within a class, and rotating
/// it on its own keeps it there, so those bits spread each class over many codes.
struct ReadoutDirections {
    let mean: Matrix
    let features: Matrix
    let classCount: Int
    /// Columns of u (C, or 2C with an input classifier) and of ℓ (B).
    let predictionColumns: Int, bits: Int
    /// diag(D) and the covariance of [u | ℓ] (row-major, unscaled).
    let scales: [Double]
    let covariance: [Double]

    init(predictions: Matrix, logits: Matrix, classCount: Int) {
        features = Matrix.hstack([predictions, logits])
        predictionColumns = predictions.columns
        bits = logits.columns
        self.classCount = classCount
        let (mean, covariance) = LabelITQBaseline.meanAndCovariance(features)
        self.mean = mean
        self.covariance = covariance
        let c = predictionColumns, w = c + bits
        let predictionBlock = (0..<c).flatMap { j in (0..<c).map { k in covariance[j * w + k] } }
        let s = ClassAlignedReadout.balancingScale(predictionBlock, columns: c, classCount: classCount)
        scales = (0..<c).map { $0 < classCount ? 1 : Double(s) }
    }

    /// The fits to try in order: kept, then split with 2, 4, 8, … latent bits reserved (up to half
    /// the bits), each only when it changes the number of class directions or the recipe.
    static func attempts(classDirections: Int, bits: Int) -> [(classDirections: Int, split: Bool)] {
        var out = [(classDirections: classDirections, split: false)]
        guard classDirections > 0 else { return out }
        var reserved = 2
        while reserved <= bits / 2 {
            let r = min(classDirections, bits - reserved)
            let last = out[out.count - 1]
            if !last.split || r != last.classDirections { out.append((r, true)) }
            reserved *= 2
        }
        return out
    }

    /// The kept P, or, while one code holds more than `CodeUsage.largestShareWarning` of the fitted
    /// items, the next of `attempts`; the first within the limit, else the least crowded. `tried`:
    /// the attempts made, the kept one last.
    func leastCrowdedProjection(classDirections: Int, seed: UInt64, itqIterations: Int)
        -> (projection: Matrix, tried: [ClassAlignedReadout.FitAttempt]) {
        var best: (projection: Matrix, attempt: ClassAlignedReadout.FitAttempt)?
        var tried: [ClassAlignedReadout.FitAttempt] = []
        for attempt in Self.attempts(classDirections: classDirections, bits: bits) {
            let fitted = projection(classDirections: attempt.classDirections, split: attempt.split, seed: seed, itqIterations: itqIterations)
            let made = ClassAlignedReadout.FitAttempt(classDirections: attempt.classDirections, split: attempt.split,
                                                      largestShare: CodeUsage(BinaryCodes(thresholding: fitted.codeValues)).largestShare)
            tried.append(made)
            if best.map({ made.largestShare < $0.attempt.largestShare }) ?? true { best = (fitted.projection, made) }
            if made.largestShare <= CodeUsage.largestShareWarning { break }
        }
        if let kept = best?.attempt, kept != tried.last { tried.append(kept) }
        return (best!.projection, tried)
    }

    /// P and the code values (f − μ)·P of the fitted items, for r class directions.
    func projection(classDirections r: Int, split: Bool, seed: UInt64, itqIterations: Int) -> (projection: Matrix, codeValues: Matrix) {
        let c = predictionColumns, w = c + bits
        func entry(_ j: Int, _ k: Int) -> Double { covariance[j * w + k] }
        var scaledPredictions = [Double](repeating: 0, count: c * c)
        for j in 0..<c { for k in 0..<c { scaledPredictions[j * c + k] = entry(j, k) * scales[j] * scales[k] } }
        let classEigen = SymmetricEigendecomposition(symmetric: scaledPredictions, size: c)
        let e = classEigen.leadingVectors(r)

        // The latent covariance, minus what the class directions predict when split.
        var latent = [Double](repeating: 0, count: bits * bits)
        for j in 0..<bits { for k in 0..<bits { latent[j * bits + k] = entry(c + j, c + k) } }
        var classToLatent = [Double](repeating: 0, count: r * bits)   // Λ⁻¹·Σ_zℓ
        if split {
            for a in 0..<r {
                let lambda = classEigen.values[a]
                guard lambda > 1e-12 else { continue }
                for k in 0..<bits {
                    var v = 0.0
                    for j in 0..<c { v += Double(e[j, a]) * scales[j] * entry(j, c + k) }
                    classToLatent[a * bits + k] = v / lambda
                }
            }
            for a in 0..<r {
                let lambda = classEigen.values[a]
                for j in 0..<bits { for k in 0..<bits { latent[j * bits + k] -= lambda * classToLatent[a * bits + j] * classToLatent[a * bits + k] } }
            }
        }
        let latentEigen = SymmetricEigendecomposition(symmetric: latent, size: bits)
        var g = latentEigen.leadingVectors(bits - r)
        if r > 0 && r < bits {
            let classVariance = classEigen.values.prefix(r).reduce(0, +) / Double(r)
            let latentVariance = latentEigen.values.prefix(bits - r).reduce(0, +) / Double(bits - r)
            if latentVariance > 0 {
                let scale = Float((classVariance / latentVariance).squareRoot())
                for k in g.storage.indices { g.storage[k] *= scale }
            }
        }
        var blocks = Matrix(rows: w, columns: bits)
        for i in 0..<c { for j in 0..<r { blocks[i, j] = e[i, j] * Float(scales[i]) } }
        for i in 0..<bits { for j in 0..<(bits - r) { blocks[c + i, r + j] = g[i, j] } }
        if split {
            // Rows of u in the latent block: −D·E·Λ⁻¹·Σ_zℓ·G.
            for i in 0..<c {
                for j in 0..<(bits - r) {
                    var v = 0.0
                    for a in 0..<r {
                        var t = 0.0
                        for k in 0..<bits { t += classToLatent[a * bits + k] * Double(g[k, j]) }
                        v += Double(e[i, a]) * t
                    }
                    blocks[i, r + j] = Float(-scales[i] * v)
                }
            }
        }
        let v = CenteredFeatures(.dense(features), mean: mean).times(blocks)
        let rotation: Matrix
        if split {
            let seeds = BaselineSupport.stageSeeds(seed, count: 2)
            let classRotation = IterativeQuantization.rotation(for: v.columns(0..<r), iterations: itqIterations, seed: seeds[0]).rotation
            let latentRotation = IterativeQuantization.rotation(for: v.columns(r..<bits), iterations: itqIterations, seed: seeds[1]).rotation
            rotation = .blockDiagonal(classRotation, latentRotation)
        } else {
            rotation = IterativeQuantization.rotation(for: v, iterations: itqIterations, seed: seed).rotation
        }
        return (LinearAlgebra.product(blocks, rotation), LinearAlgebra.product(v, rotation))
    }
}

private extension Matrix {
    /// The columns `range` of every row.
    func columns(_ range: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (o, j) in range.enumerated() { out[i, o] = self[i, j] } }
        return out
    }

    /// diag(A, B).
    static func blockDiagonal(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = Matrix(rows: a.rows + b.rows, columns: a.columns + b.columns)
        for i in 0..<a.rows { for j in 0..<a.columns { out[i, j] = a[i, j] } }
        for i in 0..<b.rows { for j in 0..<b.columns { out[a.rows + i, a.columns + j] = b[i, j] } }
        return out
    }
}
