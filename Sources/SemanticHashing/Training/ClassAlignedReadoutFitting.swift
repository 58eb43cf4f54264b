import Foundation

/// Fitting a `ClassAlignedReadout` borrows label-ITQ's pieces (the logistic regression, the mean and
/// covariance, the rule for how many class directions, the ITQ rotation), so it lives above the
/// baselines, with training.
extension ClassAlignedReadout {
    /// Fits q on the labelled items of `data` (none when no item is labelled), then μ and P on all
    /// of its items, for a trained `model` with a supervision head.
    public static func fit(_ model: HashingVAE, on data: DataSplit, seed: UInt64, itqIterations: Int = 50,
                           settings: BaselineSettings = BaselineSettings()) -> ClassAlignedReadout {
        let classCount = model.configuration.classCount, bits = model.configuration.bits
        let labelled = BaselineSupport.labelledRows(data.labels)
        let classifier = labelled.isEmpty ? nil : LogisticRegression.fit(
            features: data.features.gatherRows(labelled), labels: data.labels.gatherRows(labelled),
            l2: settings.classifierL2, maximumIterations: settings.classifierIterations, tolerance: settings.classifierTolerance).model
        let inputClassifier = classifier.map { InputClassifier(weights: $0.weights, bias: $0.bias, multiLabel: model.configuration.multiLabel) }
        let (predictions, logits) = inputsInChunks(model, data.features, inputClassifier: inputClassifier)
        let c = predictions.columns
        // [ŷ_T | s·q] = [ŷ_T | q]·D, D = diag(1, …, 1, s, …, s): its covariance is D·Σ·D, and the
        // directions found there act on [ŷ_T | q] as D·E, so q is stored and read unscaled.
        let (predictionMean, unscaledCovariance) = LabelITQBaseline.meanAndCovariance(predictions)
        let s = balancingScale(unscaledCovariance, columns: c, classCount: classCount)
        let d = (0..<c).map { $0 < classCount ? 1 : Double(s) }
        var predictionCovariance = unscaledCovariance
        for j in 0..<c { for k in 0..<c { predictionCovariance[j * c + k] *= d[j] * d[k] } }
        let (logitMean, logitCovariance) = LabelITQBaseline.meanAndCovariance(logits)
        let classEigen = SymmetricEigendecomposition(symmetric: predictionCovariance, size: c)
        let logitEigen = SymmetricEigendecomposition(symmetric: logitCovariance, size: bits)
        let r = LabelITQBaseline.probabilityDirections(classCount: classCount, multiLabel: model.configuration.multiLabel, bits: bits)
        let e = classEigen.leadingVectors(r)
        var g = logitEigen.leadingVectors(bits - r)
        if r > 0 && r < bits {
            let classVariance = classEigen.values.prefix(r).reduce(0, +) / Double(r)
            let logitVariance = logitEigen.values.prefix(bits - r).reduce(0, +) / Double(bits - r)
            if logitVariance > 0 {
                let scale = Float((classVariance / logitVariance).squareRoot())
                for k in g.storage.indices { g.storage[k] *= scale }
            }
        }
        var blocks = Matrix(rows: c + bits, columns: bits)
        for i in 0..<c { for j in 0..<r { blocks[i, j] = e[i, j] * Float(d[i]) } }
        for i in 0..<bits { for j in 0..<(bits - r) { blocks[c + i, r + j] = g[i, j] } }
        let mean = Matrix.hstack([predictionMean, logitMean])
        let v = CenteredFeatures(.dense(Matrix.hstack([predictions, logits])), mean: mean).times(blocks)
        let rotation = IterativeQuantization.rotation(for: v, iterations: itqIterations, seed: seed).rotation
        return ClassAlignedReadout(mean: mean, projection: LinearAlgebra.product(blocks, rotation), inputClassifier: inputClassifier)
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
