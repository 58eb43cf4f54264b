import Foundation

/// Fitting a `ClassAlignedReadout` borrows label-ITQ's pieces (the mean and covariance, the rule for
/// how many class directions, the ITQ rotation), so it lives above the baselines, with training.
extension ClassAlignedReadout {
    /// Fits μ and P on `features` (the training items) of a trained `model` with a supervision head.
    public static func fit(_ model: HashingVAE, on features: FeatureMatrix, seed: UInt64, itqIterations: Int = 50) -> ClassAlignedReadout {
        let c = model.configuration.classCount, bits = model.configuration.bits
        let (predictions, logits) = inputsInChunks(model, features)
        let (predictionMean, predictionCovariance) = LabelITQBaseline.meanAndCovariance(predictions)
        let (logitMean, logitCovariance) = LabelITQBaseline.meanAndCovariance(logits)
        let classEigen = SymmetricEigendecomposition(symmetric: predictionCovariance, size: c)
        let logitEigen = SymmetricEigendecomposition(symmetric: logitCovariance, size: bits)
        let r = LabelITQBaseline.probabilityDirections(classCount: c, multiLabel: model.configuration.multiLabel, bits: bits)
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
        for i in 0..<c { for j in 0..<r { blocks[i, j] = e[i, j] } }
        for i in 0..<bits { for j in 0..<(bits - r) { blocks[c + i, r + j] = g[i, j] } }
        let mean = Matrix.hstack([predictionMean, logitMean])
        let v = CenteredFeatures(.dense(Matrix.hstack([predictions, logits])), mean: mean).times(blocks)
        let rotation = IterativeQuantization.rotation(for: v, iterations: itqIterations, seed: seed).rotation
        return ClassAlignedReadout(mean: mean, projection: LinearAlgebra.product(blocks, rotation))
    }

    /// `inputs` of every row, 2 048 rows at a time, so the trunk's activations never span a whole
    /// collection (only ŷ_T and ℓ do: C + B values a row).
    static func inputsInChunks(_ model: HashingVAE, _ x: FeatureMatrix, chunkSize: Int = 2048) -> (predictions: Matrix, logits: Matrix) {
        var predictions = Matrix(rows: x.rows, columns: model.configuration.classCount)
        var logits = Matrix(rows: x.rows, columns: model.configuration.bits)
        for start in stride(from: 0, to: x.rows, by: chunkSize) {
            let end = min(start + chunkSize, x.rows)
            let part = inputs(model, x.gatherRows(start..<end))
            predictions.storage.replaceSubrange(start * predictions.columns..<end * predictions.columns, with: part.predictions.storage)
            logits.storage.replaceSubrange(start * logits.columns..<end * logits.columns, with: part.logits.storage)
        }
        return (predictions, logits)
    }
}
