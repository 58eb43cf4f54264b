/// Label-ITQ: a linear classifier trained on the labelled items, then ITQ on every item's
/// predicted class probabilities; what a pragmatic engineer builds in an afternoon, and the bar
/// a semi-supervised hashing model has to clear.
///
/// ```
/// classifier:  p(x) = softmax(x·W_c + b_c)  (single-label)  or  σ(x·W_c + b_c)  (multi-label),
///              `LogisticRegression` on the labelled items only, λ = settings.classifierL2
/// features:    f(x) = [ (p(x) − μ_p)·E  |  s·(x − μ)·P ]                       (n × B)
///              E: C × r, the r = min(B, C − 1) (single-label; C for multi-label) leading principal
///                 directions of the probabilities (centred softmax outputs have rank ≤ C − 1)
///              P: D × (B − r), the input's leading principal directions, filling the bits the
///                 classes cannot (absent when r = B); s scales them so their mean variance is
///                 paddingScale² × the probability directions' mean variance
/// rotation:    R = IterativeQuantization(f(training items), settings.itqIterations)
/// values(x) = f(x)·R = p(x)·A + x·G + b
///              A = E·R[0..<r, :]  (C × B),  G = s·P·R[r..<B, :]  (D × B),  b = −μ_p·A − μ·G
/// ```
/// Stored, and all that encoding needs: "classifier.weight" W_c (D × C), "classifier.bias" b_c
/// (1 × C), "classifier.multi_label" (1 × 1: 1 for sigmoids, 0 for softmax),
/// "probability_projection.weight" A (C × B), "input_projection.weight" G (D × B; zero when the
/// classes fill every bit), "projection.bias" b (1 × B). Encoding sparse input is one sparse
/// product with [W_c | G] per block of rows.
///
/// ```swift
/// let model = try LabelITQBaseline.fit(maskedTrain, bits: 32, seed: 20)
/// let codes = model.codes(data.test.features)
/// ```
public struct LabelITQBaseline: HashingBaseline, Equatable {
    public static let modelName = "label-itq"
    public var classifier: LogisticRegression
    /// A (C × B).
    public var probabilityProjection: Matrix
    /// G (D × B).
    public var inputProjection: Matrix
    /// b (1 × B).
    public var bias: Matrix

    public init(classifier: LogisticRegression, probabilityProjection: Matrix, inputProjection: Matrix, bias: Matrix) {
        precondition(probabilityProjection.rows == classifier.classCount && inputProjection.rows == classifier.inputDimensions
                     && probabilityProjection.columns == inputProjection.columns && bias.rows == 1 && bias.columns == inputProjection.columns,
                     "LabelITQBaseline: inconsistent shapes")
        self.classifier = classifier
        self.probabilityProjection = probabilityProjection
        self.inputProjection = inputProjection
        self.bias = bias
    }

    /// How many probability directions a classifier over `classCount` classes gives.
    static func probabilityDirections(classCount: Int, multiLabel: Bool, bits: Int) -> Int {
        min(bits, multiLabel ? classCount : classCount - 1)
    }

    /// Fits on `data`: the classifier on its labelled items (at least one; two or more classes),
    /// the rest on all its items.
    public static func fit(_ data: DataSplit, bits: Int, seed: UInt64, settings: BaselineSettings = BaselineSettings()) throws -> LabelITQBaseline {
        try settings.validate()
        try BaselineSupport.checkNotEmpty(data, model: modelName)
        let labels = data.labels
        guard labels.classCount >= 2 else {
            throw SemanticHashingError.invalidArgument(name: modelName, reason: "needs at least 2 classes, the data has \(labels.classCount)")
        }
        let fromClasses = probabilityDirections(classCount: labels.classCount, multiLabel: labels.isMultiLabel, bits: Int.max)
        try BaselineSupport.checkBits(bits, limit: fromClasses + min(data.features.columns, data.count), model: modelName,
                                      why: "\(fromClasses) probability directions plus one principal direction per \(data.features.columns) features and \(data.count) items")
        let labelled = BaselineSupport.labelledRows(labels)
        guard !labelled.isEmpty else {
            throw SemanticHashingError.invalidArgument(name: modelName, reason: "no item of the training data has a label; label-itq needs some (use itq without labels)")
        }
        let seeds = BaselineSupport.stageSeeds(seed, count: 2)

        let classifier = LogisticRegression.fit(features: data.features.gatherRows(labelled), labels: labels.gatherRows(labelled),
                                                l2: settings.classifierL2, maximumIterations: settings.classifierIterations,
                                                tolerance: settings.classifierTolerance).model
        let probabilities = classifier.probabilities(data.features)
        let (probabilityMean, covariance) = meanAndCovariance(probabilities)
        let c = labels.classCount
        let eigen = SymmetricEigendecomposition(symmetric: covariance, size: c)
        let r = probabilityDirections(classCount: c, multiLabel: labels.isMultiLabel, bits: bits)
        let e = eigen.leadingVectors(r)
        let centredProbabilities = CenteredFeatures(.dense(probabilities), mean: probabilityMean)
        var features = centredProbabilities.times(e)
        var padding = Matrix(rows: data.features.columns, columns: 0)
        let centredInput = CenteredFeatures(data.features)
        if r < bits {
            let pca = PrincipalComponents.fit(centredInput, count: bits - r, seed: seeds[0])
            let probabilityVariance = eigen.values.prefix(r).reduce(0, +) / Double(max(r, 1))
            let inputVariance = pca.variances.reduce(0, +) / Double(pca.variances.count)
            let scale = inputVariance > 0 && r > 0 ? Float(settings.paddingScale * (probabilityVariance / inputVariance).squareRoot())
                                                   : Float(settings.paddingScale)
            padding = pca.directions
            for k in padding.storage.indices { padding.storage[k] *= scale }
            features = Matrix.hstack([features, centredInput.times(padding)])
        }
        let rotation = IterativeQuantization.rotation(for: features, iterations: settings.itqIterations, seed: seeds[1]).rotation
        let a = LinearAlgebra.product(e, rotation.gatherRows(0..<r))
        let g = r < bits ? LinearAlgebra.product(padding, rotation.gatherRows(r..<bits)) : Matrix(rows: data.features.columns, columns: bits)
        let b = AffineHashFunction(projection: a, mean: probabilityMean).bias.storage
        let bInput = AffineHashFunction(projection: g, mean: centredInput.mean).bias.storage
        return LabelITQBaseline(classifier: classifier, probabilityProjection: a, inputProjection: g,
                                bias: Matrix(rows: 1, columns: bits, storage: zip(b, bInput).map { $0 + $1 }))
    }

    public var bits: Int { bias.columns }
    public var inputDimensions: Int { inputProjection.rows }

    /// p(x)·A + x·G + b, computed in blocks of rows.
    public func codeValues(_ x: FeatureMatrix) -> Matrix {
        precondition(x.columns == inputDimensions, "LabelITQBaseline: input has \(x.columns) features, the model \(inputDimensions)")
        let c = classifier.classCount, bits = self.bits
        let joint = AffineHashFunction(weights: Matrix.hstack([classifier.weights, inputProjection]),
                                       bias: Matrix.hstack([classifier.bias, bias]))
        return x.mapRowBlocks(outputColumns: bits) { block in
            let z = joint.values(block)
            var probabilities = Matrix(rows: z.rows, columns: c)
            var out = Matrix(rows: z.rows, columns: bits)
            for i in 0..<z.rows {
                for j in 0..<c { probabilities[i, j] = z[i, j] }
                for j in 0..<bits { out[i, j] = z[i, c + j] }
            }
            LogisticRegression.applyLink(&probabilities, multiLabel: classifier.isMultiLabel)
            LinearAlgebra.gemm(probabilities, probabilityProjection, beta: 1, into: &out)
            return out
        }
    }

    public var state: [(name: String, value: Matrix)] {
        [("classifier.weight", classifier.weights), ("classifier.bias", classifier.bias),
         ("classifier.multi_label", Matrix(rows: 1, columns: 1, repeating: classifier.isMultiLabel ? 1 : 0)),
         ("probability_projection.weight", probabilityProjection), ("input_projection.weight", inputProjection),
         ("projection.bias", bias)]
    }

    public init(state: [String: Matrix]) throws {
        let model = Self.modelName
        let w = try BaselineSupport.tensor(state, "classifier.weight", model: model)
        let wb = try BaselineSupport.tensor(state, "classifier.bias", rows: 1, columns: w.columns, model: model)
        let flag = try BaselineSupport.tensor(state, "classifier.multi_label", rows: 1, columns: 1, model: model)
        guard flag.storage[0] == 0 || flag.storage[0] == 1 else {
            throw SemanticHashingError.malformedInput(location: "\(model) model", reason: "tensor 'classifier.multi_label' is \(flag.storage[0]), expected 0 or 1")
        }
        let a = try BaselineSupport.tensor(state, "probability_projection.weight", rows: w.columns, model: model)
        let g = try BaselineSupport.tensor(state, "input_projection.weight", rows: w.rows, columns: a.columns, model: model)
        let b = try BaselineSupport.tensor(state, "projection.bias", rows: 1, columns: a.columns, model: model)
        self.init(classifier: LogisticRegression(weights: w, bias: wb, isMultiLabel: flag.storage[0] == 1),
                  probabilityProjection: a, inputProjection: g, bias: b)
    }

    /// The column means (1 × C) and covariance (row-major C × C, Double) of the rows of `p`.
    static func meanAndCovariance(_ p: Matrix) -> (mean: Matrix, covariance: [Double]) {
        let n = p.rows, c = p.columns
        var mean = [Double](repeating: 0, count: c)
        for i in 0..<n { for j in 0..<c { mean[j] += Double(p[i, j]) } }
        for j in 0..<c { mean[j] /= Double(max(n, 1)) }
        var covariance = [Double](repeating: 0, count: c * c)
        var row = [Double](repeating: 0, count: c)
        for i in 0..<n {
            for j in 0..<c { row[j] = Double(p[i, j]) - mean[j] }
            for j in 0..<c { for k in j..<c { covariance[j * c + k] += row[j] * row[k] } }
        }
        for j in 0..<c {
            for k in j..<c {
                covariance[j * c + k] /= Double(max(n, 1))
                covariance[k * c + j] = covariance[j * c + k]
            }
        }
        return (Matrix(rows: 1, columns: c, storage: mean.map { Float($0) }), covariance)
    }
}
