/// PCA followed by Iterative Quantization (Gong & Lazebnik, CVPR 2011): project the centred
/// input on its B leading principal directions, then rotate them so that thresholding at zero
/// loses as little as possible (`IterativeQuantization`). Ignores labels.
///
/// ```
/// μ, P = PrincipalComponents(X, B)                 P: D × B (sparse X is never centred or densified)
/// R    = IterativeQuantization((X − 1μᵀ)·P, settings.itqIterations)
/// values(x) = (x − μ)·P·R = x·W + b,   W = P·R,  b = −μ·W
/// ```
/// State: "projection.weight" (D × B), "projection.bias" (1 × B).
///
/// ```swift
/// let itq = try ITQBaseline.fit(data.database, bits: 32, seed: 20)
/// let codes = itq.codes(data.test.features)
/// ```
public struct ITQBaseline: HashingBaseline, Equatable {
    public static let modelName = "itq"
    public var hash: AffineHashFunction

    public init(hash: AffineHashFunction) { self.hash = hash }

    /// Fits on the features of `data` (labels are not read); B ≤ min(D, n).
    public static func fit(_ data: DataSplit, bits: Int, seed: UInt64, settings: BaselineSettings = BaselineSettings()) throws -> ITQBaseline {
        try settings.validate()
        try BaselineSupport.checkNotEmpty(data, model: modelName)
        try BaselineSupport.checkBits(bits, limit: min(data.features.columns, data.count), model: modelName,
                                      why: "one principal direction per bit, from \(data.features.columns) features and \(data.count) items")
        let seeds = BaselineSupport.stageSeeds(seed, count: 2)
        let centred = CenteredFeatures(data.features)
        let pca = PrincipalComponents.fit(centred, count: bits, seed: seeds[0])
        let rotation = IterativeQuantization.rotation(for: centred.times(pca.directions), iterations: settings.itqIterations, seed: seeds[1])
        return ITQBaseline(hash: AffineHashFunction(projection: LinearAlgebra.product(pca.directions, rotation.rotation), mean: centred.mean))
    }

    public var bits: Int { hash.bits }
    public var inputDimensions: Int { hash.inputDimensions }
    public var state: [(name: String, value: Matrix)] { hash.state }
    public init(state: [String: Matrix]) throws { hash = try AffineHashFunction(state: state, model: Self.modelName) }
    public func codeValues(_ x: FeatureMatrix) -> Matrix { hash.values(x) }
}
