/// A feature matrix with a row vector subtracted from every row, applied without forming the
/// centred matrix (a centred sparse matrix is dense).
///
/// ```
/// X̄ = X − 1·μᵀ
/// X̄·W  = X·W − 1·(μ·W)                         (n × k)
/// X̄ᵀ·G = Xᵀ·G − μᵀ·(1ᵀG)                       (D × k)
/// covarianceTimes(Q) = (1/n)·X̄ᵀ·(X̄·Q)          (D × k; X̄·Q has zero column sums, but the
///                                                second term is kept so rounding cancels too)
/// ```
///
/// ```swift
/// let centred = CenteredFeatures(data.features)           // μ = the column means
/// let aq = centred.covarianceTimes(q)
/// ```
public struct CenteredFeatures: Sendable {
    public let features: FeatureMatrix
    /// μ (1 × D).
    public let mean: Matrix

    /// Centres by the column means of `features`.
    public init(_ features: FeatureMatrix) {
        self.init(features, mean: features.columnMeans())
    }

    public init(_ features: FeatureMatrix, mean: Matrix) {
        precondition(mean.rows == 1 && mean.columns == features.columns, "CenteredFeatures: mean is \(mean.rows)×\(mean.columns), expected 1×\(features.columns)")
        self.features = features
        self.mean = mean
    }

    public var rows: Int { features.rows }
    public var columns: Int { features.columns }

    /// X̄·W.
    public func times(_ w: Matrix) -> Matrix {
        var out = features.times(w)
        let shift = LinearAlgebra.product(mean, w)
        let k = w.columns
        out.storage.withUnsafeMutableBufferPointer { o in
            for i in 0..<out.rows { for j in 0..<k { o[i * k + j] -= shift.storage[j] } }
        }
        return out
    }

    /// X̄ᵀ·G.
    public func transposeTimes(_ g: Matrix) -> Matrix {
        var out = features.transposeTimes(g)
        let k = g.columns
        var columnSums = [Double](repeating: 0, count: k)
        for i in 0..<g.rows { for j in 0..<k { columnSums[j] += Double(g.storage[i * k + j]) } }
        out.storage.withUnsafeMutableBufferPointer { o in
            for d in 0..<columns where mean.storage[d] != 0 {
                let m = Double(mean.storage[d])
                for j in 0..<k { o[d * k + j] -= Float(m * columnSums[j]) }
            }
        }
        return out
    }

    /// (1/n)·X̄ᵀ·X̄·Q, the covariance of the rows applied to Q (D × k).
    public func covarianceTimes(_ q: Matrix) -> Matrix {
        var out = transposeTimes(times(q))
        let scale = rows == 0 ? 0 : 1 / Float(rows)
        for i in out.storage.indices { out.storage[i] *= scale }
        return out
    }

    /// The centred rows at `indices` (same mean).
    public func gatherRows(_ indices: some Collection<Int>) -> CenteredFeatures {
        CenteredFeatures(features.gatherRows(indices), mean: mean)
    }
}
