/// Locality-sensitive hashing by random hyperplanes (Charikar, STOC 2002): each bit is the side
/// of a random hyperplane through the mean of the training items. Two items' bits differ with
/// probability angle(x − μ, y − μ)/π, so Hamming distance estimates the angle. Ignores labels.
///
/// ```
/// W[d, j] ~ N(0, 1) (seeded),  μ = mean training item
/// values(x) = (x − μ)·W = x·W + b,  b = −μ·W
/// ```
/// State: "projection.weight" (D × B), "projection.bias" (1 × B).
///
/// ```swift
/// let lsh = try LSHBaseline.fit(data.database, bits: 32, seed: 20)
/// let codes = lsh.codes(data.test.features)
/// ```
public struct LSHBaseline: HashingBaseline, Equatable {
    public static let modelName = "lsh"
    public var hash: AffineHashFunction

    public init(hash: AffineHashFunction) { self.hash = hash }

    /// Draws B hyperplanes from `seed`; only the features of `data` are used (for the mean).
    /// `settings` is accepted for a uniform call but LSH has none.
    public static func fit(_ data: DataSplit, bits: Int, seed: UInt64, settings: BaselineSettings = BaselineSettings()) throws -> LSHBaseline {
        try settings.validate()
        try BaselineSupport.checkNotEmpty(data, model: modelName)
        try BaselineSupport.checkBits(bits, limit: Int.max, model: modelName, why: "")
        var rng = RandomSource(seed: seed)
        var w = Matrix(rows: data.features.columns, columns: bits)
        for i in w.storage.indices { w.storage[i] = rng.normal() }
        return LSHBaseline(hash: AffineHashFunction(projection: w, mean: data.features.columnMeans()))
    }

    public var bits: Int { hash.bits }
    public var inputDimensions: Int { hash.inputDimensions }
    public var state: [(name: String, value: Matrix)] { hash.state }
    public init(state: [String: Matrix]) throws { hash = try AffineHashFunction(state: state, model: Self.modelName) }
    public func codeValues(_ x: FeatureMatrix) -> Matrix { hash.values(x) }
}
