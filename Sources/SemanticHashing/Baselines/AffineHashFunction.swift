/// The hash function of the linear baselines: a projection of centred input, stored with the
/// centring folded into the bias so that encoding sparse input is one sparse product.
///
/// ```
/// values(x) = (x − μ)·W = x·W + b,    b = −μ·W        W: D × B,  b: 1 × B
/// bit j = [values(x)_j > 0]
/// ```
///
/// ```swift
/// let hash = AffineHashFunction(projection: w, mean: centred.mean)
/// let values = hash.values(x)                      // n × B
/// ```
public struct AffineHashFunction: Sendable, Equatable {
    /// W (D × B).
    public var weights: Matrix
    /// b (1 × B).
    public var bias: Matrix

    public init(weights: Matrix, bias: Matrix) {
        precondition(bias.rows == 1 && bias.columns == weights.columns,
                     "AffineHashFunction: bias is \(bias.rows)×\(bias.columns), weights \(weights.rows)×\(weights.columns)")
        self.weights = weights
        self.bias = bias
    }

    /// W = `projection`, b = −μ·W (the product summed in Double: μ has thousands of entries).
    public init(projection w: Matrix, mean: Matrix) {
        precondition(mean.rows == 1 && mean.columns == w.rows, "AffineHashFunction: mean is \(mean.rows)×\(mean.columns), projection \(w.rows)×\(w.columns)")
        var b = [Double](repeating: 0, count: w.columns)
        for d in 0..<w.rows where mean.storage[d] != 0 {
            let m = Double(mean.storage[d])
            for j in 0..<w.columns { b[j] -= m * Double(w.storage[d * w.columns + j]) }
        }
        self.init(weights: w, bias: Matrix(rows: 1, columns: w.columns, storage: b.map { Float($0) }))
    }

    public var inputDimensions: Int { weights.rows }
    public var bits: Int { weights.columns }

    /// x·W + b (n × B).
    public func values(_ x: FeatureMatrix) -> Matrix {
        precondition(x.columns == weights.rows, "AffineHashFunction: input has \(x.columns) features, the model \(weights.rows)")
        return x.times(weights, plus: bias)
    }

    /// The two tensors, named "projection.weight" and "projection.bias".
    public var state: [(name: String, value: Matrix)] {
        [("projection.weight", weights), ("projection.bias", bias)]
    }

    /// Reads "projection.weight" (D × B) and "projection.bias" (1 × B) from `state`.
    public init(state: [String: Matrix], model: String) throws {
        let w = try BaselineSupport.tensor(state, "projection.weight", model: model)
        let b = try BaselineSupport.tensor(state, "projection.bias", rows: 1, columns: w.columns, model: model)
        self.init(weights: w, bias: b)
    }
}
