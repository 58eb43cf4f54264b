/// Semi-Supervised Hashing, orthogonal-projection variant (Wang, Kumar & Chang, CVPR 2010 /
/// TPAMI 2012): the bits are the B leading eigenvectors of a matrix that rewards directions
/// on which labelled pairs of one class agree and pairs of different classes disagree, plus a
/// share η of the data's variance.
///
/// ```
/// X̄ = X − 1μᵀ (all n training items),  X̄_l = its l labelled rows,  Ŷ = their label rows ŷ_i = y_i / ‖y_i‖
/// S = 2·Ŷ·Ŷᵀ − 1·1ᵀ          S_ij = +1 for a shared class, −1 for disjoint classes (single-label);
///                             multi-label: 2·cos(y_i, y_j) − 1, between the two
/// M = (1/l²)·X̄_lᵀ·S·X̄_l + η·(1/n)·X̄ᵀ·X̄
///   = (2/l²)·(X̄_lᵀŶ)(ŶᵀX̄_l) − m·mᵀ + η·C       m = (1/l)·X̄_lᵀ·1 (labelled mean, centred), C the covariance
/// W = top-B eigenvectors of M  (WᵀW = I);   values(x) = (x − μ)·W = x·W + b,  b = −μ·W
/// ```
/// M is D × D (D can be 10 000), so it is never formed: `RandomizedEigensolver` applies it to a
/// D × ℓ block with sparse products and the low-rank label factors. M is not positive
/// semi-definite (−m·mᵀ), but being a PSD matrix minus a rank-one term it has at most one
/// negative eigenvalue, which the solver's oversampling absorbs. The averages (1/l², 1/n) make η independent of how many items are labelled (see
/// `BaselineSettings.sshEta`). Items with an empty label set are unlabelled: they enter C only.
///
/// State: "projection.weight" (D × B), "projection.bias" (1 × B).
///
/// ```swift
/// let ssh = try SSHBaseline.fit(maskedTrain, bits: 32, seed: 20)
/// let codes = ssh.codes(data.test.features)
/// ```
public struct SSHBaseline: HashingBaseline, Equatable {
    public static let modelName = "ssh"
    public var hash: AffineHashFunction

    public init(hash: AffineHashFunction) { self.hash = hash }

    /// Fits on `data` using the labels of its labelled items (at least one); B ≤ D.
    public static func fit(_ data: DataSplit, bits: Int, seed: UInt64, settings: BaselineSettings = BaselineSettings()) throws -> SSHBaseline {
        try settings.validate()
        try BaselineSupport.checkNotEmpty(data, model: modelName)
        try BaselineSupport.checkBits(bits, limit: data.features.columns, model: modelName,
                                      why: "one eigenvector per bit, from \(data.features.columns) features")
        let labelled = BaselineSupport.labelledRows(data.labels)
        guard !labelled.isEmpty else {
            throw SemanticHashingError.invalidArgument(name: modelName, reason: "no item of the training data has a label; SSH needs some (use itq without labels)")
        }
        let centred = CenteredFeatures(data.features)
        let similarity = PairwiseSimilarityOperator(centred: centred, labelled: labelled, labels: data.labels, eta: settings.sshEta)
        let top = RandomizedEigensolver.largestEigenpairs(count: bits, dimension: centred.columns, seed: seed) {
            similarity.times($0)
        }
        return SSHBaseline(hash: AffineHashFunction(projection: top.vectors, mean: centred.mean))
    }

    public var bits: Int { hash.bits }
    public var inputDimensions: Int { hash.inputDimensions }
    public var state: [(name: String, value: Matrix)] { hash.state }
    public init(state: [String: Matrix]) throws { hash = try AffineHashFunction(state: state, model: Self.modelName) }
    public func codeValues(_ x: FeatureMatrix) -> Matrix { hash.values(x) }
}

/// SSH's M applied to a D × k block (see `SSHBaseline`), from sparse products and the l × C
/// label factor.
struct PairwiseSimilarityOperator {
    let centred: CenteredFeatures
    let labelledRows: CenteredFeatures
    /// Ŷ (l × C), unit rows.
    let normalizedLabels: Matrix
    /// m (1 × D), the centred mean of the labelled rows.
    let labelledMean: Matrix
    let eta: Float

    init(centred: CenteredFeatures, labelled: [Int], labels: Labels, eta: Double) {
        self.centred = centred
        labelledRows = centred.gatherRows(labelled)
        var y = Matrix(rows: labelled.count, columns: labels.classCount)
        for (r, i) in labelled.enumerated() {
            let classes = labels.classesOf(i)
            let value = 1 / Float(classes.count).squareRoot()
            for c in classes { y[r, Int(c)] = value }
        }
        normalizedLabels = y
        var m = labelledRows.features.columnMeans()
        for d in m.storage.indices { m.storage[d] -= centred.mean.storage[d] }
        labelledMean = m
        self.eta = Float(eta)
    }

    /// M·Q.
    func times(_ q: Matrix) -> Matrix {
        let l = Float(labelledRows.rows)
        let projected = labelledRows.times(q)                                                  // X̄_l·Q        l × k
        let labelFactor = LinearAlgebra.product(normalizedLabels, transposeA: true, projected) // Ŷᵀ·X̄_l·Q    C × k
        var out = labelledRows.transposeTimes(LinearAlgebra.product(normalizedLabels, labelFactor))
        for i in out.storage.indices { out.storage[i] *= 2 / (l * l) }
        let meanProjection = LinearAlgebra.product(labelledMean, q)                           // m·Q          1 × k
        LinearAlgebra.gemm(labelledMean, transposeA: true, meanProjection, alpha: -1, beta: 1, into: &out)
        if eta != 0 {
            let variance = centred.covarianceTimes(q)
            for i in out.storage.indices { out.storage[i] += eta * variance.storage[i] }
        }
        return out
    }
}
