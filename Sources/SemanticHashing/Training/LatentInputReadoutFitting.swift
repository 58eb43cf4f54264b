import Foundation

/// Choosing a `LatentInputReadout` borrows the `itq` baseline's pieces (principal components, the
/// ITQ rotation), so it lives above the baselines, with training.
extension LatentInputReadout {
    /// The agreement of each candidate readout with the input's neighbourhoods on the training items,
    /// the one chosen, and its readout (nil for the latent alone).
    public struct Choice: Sendable {
        /// Empty when only the latent was possible (too few items, or more bits than features).
        public var scores: [Score]
        public var chosen: Source
        public var readout: LatentInputReadout?
        /// Whether the input held counts, so that its neighbours were taken by tf-idf cosine.
        public var neighboursByTFIDF = false

        public struct Score: Sendable, Equatable {
            public var source: Source
            public var agreement: Double
        }
    }

    /// Fewer training items than this keep the latent alone: a hundred neighbours of a few dozen
    /// items say little about a collection.
    public static let minimumItems = 200

    /// Scores the four readouts (`Source`) of a trained unsupervised `model` on `data`'s items with
    /// `NeighbourhoodAgreement` and keeps the best; on a tie the earlier of latent, rotated latent,
    /// both, input, so the latent takes part unless the input's components alone do better.
    /// `.input` is the `itq` baseline fitted with the same seed, bit for bit. No scores when only
    /// the latent was possible.
    public static func choose(_ model: HashingVAE, on data: DataSplit, seed: UInt64,
                              settings: BaselineSettings = BaselineSettings()) -> Choice {
        let (candidates, byTFIDF) = candidates(model, on: data, seed: seed, settings: settings)
        guard candidates.count > 1 else { return Choice(scores: [], chosen: .latent, readout: nil) }
        var best = 0
        for i in candidates.indices where candidates[i].score.agreement > candidates[best].score.agreement { best = i }
        return Choice(scores: candidates.map(\.score), chosen: candidates[best].score.source, readout: candidates[best].readout,
                      neighboursByTFIDF: byTFIDF)
    }

    /// Every readout that `choose` weighs, scored, in the order of `Source`: the latent
    /// alone when there are too few items or more bits than principal directions.
    static func candidates(_ model: HashingVAE, on data: DataSplit, seed: UInt64,
                           settings: BaselineSettings) -> (candidates: [(score: Choice.Score, readout: LatentInputReadout?)], neighboursByTFIDF: Bool) {
        let bits = model.configuration.bits
        guard data.count >= minimumItems, bits <= min(data.features.columns, data.count) else {
            return ([(Choice.Score(source: .latent, agreement: 0), nil)], false)
        }
        let latent = model.latentCodeValues(data.features)
        let reference = NeighbourhoodAgreement(features: data.features)
        func scored(_ source: Source, _ values: Matrix, _ readout: LatentInputReadout?) -> (score: Choice.Score, readout: LatentInputReadout?) {
            (Choice.Score(source: source, agreement: reference.score(BinaryCodes(thresholding: values))), readout)
        }
        var candidates = [scored(.latent, latent, nil)]
        // The first two stages are ITQBaseline.fit's, so `.input` is its code.
        let seeds = BaselineSupport.stageSeeds(seed, count: 4)
        if let rotated = rotatedLatentReadout(latent: latent, seed: seeds[3], iterations: settings.itqIterations,
                                              inputDimensions: data.features.columns) {
            candidates.append(scored(.rotatedLatent, rotated.values, rotated.readout))
        }
        let centred = CenteredFeatures(data.features)
        let pca = PrincipalComponents.fit(centred, count: bits, seed: seeds[0])
        let components = centred.times(pca.directions)
        if let both = bothReadout(latent: latent, components: components, pca: pca, seed: seeds[2], iterations: settings.itqIterations) {
            candidates.append(scored(.both, both.values, both.readout))
        }
        let rotation = IterativeQuantization.rotation(for: components, iterations: settings.itqIterations, seed: seeds[1]).rotation
        let input = AffineHashFunction(projection: LinearAlgebra.product(pca.directions, rotation), mean: centred.mean)
        candidates.append(scored(.input, LinearAlgebra.product(components, rotation),
                                 LatentInputReadout(latentWeights: Matrix(rows: bits, columns: bits), inputWeights: input.weights, bias: input.bias)))
        return (candidates, reference.weightsCountsByIDF)
    }

    /// (ℓ − μ_ℓ)·R as ℓ·A + b (W = 0), with the code values of the fitted items; nil when ℓ is
    /// constant.
    static func rotatedLatentReadout(latent: Matrix, seed: UInt64, iterations: Int,
                                     inputDimensions: Int) -> (readout: LatentInputReadout, values: Matrix)? {
        let bits = latent.columns
        let (mean, covariance) = LabelITQBaseline.meanAndCovariance(latent)
        guard (0..<bits).contains(where: { covariance[$0 * bits + $0] > 0 }) else { return nil }
        var centred = latent
        for i in 0..<latent.rows { for j in 0..<bits { centred[i, j] -= mean[0, j] } }
        let rotation = IterativeQuantization.rotation(for: centred, iterations: iterations, seed: seed).rotation
        let offset = AffineHashFunction(projection: rotation, mean: mean)
        return (LatentInputReadout(latentWeights: rotation, inputWeights: Matrix(rows: inputDimensions, columns: bits), bias: offset.bias),
                LinearAlgebra.product(centred, rotation))
    }

    /// f = [ℓ − μ_ℓ | s·(x − μ_x)·V] reduced to its B leading principal directions E and rotated by
    /// ITQ, as ℓ·A + x·W + b, with the code values of the fitted items; nil when either block is
    /// constant.
    static func bothReadout(latent: Matrix, components: Matrix, pca: PrincipalComponents, seed: UInt64,
                            iterations: Int) -> (readout: LatentInputReadout, values: Matrix)? {
        let bits = latent.columns
        let (latentMean, latentCovariance) = LabelITQBaseline.meanAndCovariance(latent)
        let latentVariance = (0..<bits).map { latentCovariance[$0 * bits + $0] }.reduce(0, +) / Double(bits)
        let componentVariance = pca.variances.reduce(0, +) / Double(bits)
        guard latentVariance > 0 && componentVariance > 0 else { return nil }
        let s = Float((latentVariance / componentVariance).squareRoot())
        var f = Matrix(rows: latent.rows, columns: 2 * bits)
        for i in 0..<latent.rows {
            for j in 0..<bits {
                f[i, j] = latent[i, j] - latentMean[0, j]
                f[i, bits + j] = s * components[i, j]
            }
        }
        let (_, covariance) = LabelITQBaseline.meanAndCovariance(f)
        let directions = SymmetricEigendecomposition(symmetric: covariance, size: 2 * bits).leadingVectors(bits)
        let reduced = LinearAlgebra.product(f, directions)
        let rotation = IterativeQuantization.rotation(for: reduced, iterations: iterations, seed: seed).rotation
        let p = LinearAlgebra.product(directions, rotation)   // 2B × B
        var a = Matrix(rows: bits, columns: bits), componentWeights = Matrix(rows: bits, columns: bits)
        for i in 0..<bits {
            for j in 0..<bits {
                a[i, j] = p[i, j]
                componentWeights[i, j] = s * p[bits + i, j]
            }
        }
        // (x − μ_x)·V·s·P_x + (ℓ − μ_ℓ)·P_ℓ = x·W + ℓ·A + b.
        let w = LinearAlgebra.product(pca.directions, componentWeights)
        let inputPart = AffineHashFunction(projection: w, mean: pca.mean)
        var bias = inputPart.bias
        let latentOffset = LinearAlgebra.product(latentMean, a)
        for j in 0..<bits { bias[0, j] -= latentOffset[0, j] }
        return (LatentInputReadout(latentWeights: a, inputWeights: w, bias: bias), LinearAlgebra.product(reduced, rotation))
    }
}
