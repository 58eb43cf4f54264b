/// The leading principal directions of the rows of a feature matrix, found without centring or
/// densifying it: the top eigenvectors of the covariance, through `RandomizedEigensolver` on
/// products with X (two sparse products per step).
///
/// ```
/// μ = (1/n)·1ᵀX,   C = (1/n)·(X − 1μᵀ)ᵀ(X − 1μᵀ) = P·diag(σ²)·Pᵀ
/// directions = P[:, 0..<k] (D × k, orthonormal),  variances = σ²[0..<k]
/// project(x) = (x − μ)·directions
/// ```
///
/// ```swift
/// let pca = PrincipalComponents.fit(data.features, count: 16, seed: 20)
/// let v = pca.project(data.features)          // n × 16, centred
/// ```
public struct PrincipalComponents: Sendable {
    /// μ (1 × D).
    public var mean: Matrix
    /// D × k, orthonormal columns, by decreasing variance.
    public var directions: Matrix
    /// The variance of the data along each direction.
    public var variances: [Double]

    public init(mean: Matrix, directions: Matrix, variances: [Double]) {
        precondition(mean.rows == 1 && mean.columns == directions.rows && variances.count == directions.columns,
                     "PrincipalComponents: mean 1×\(mean.columns), directions \(directions.rows)×\(directions.columns), \(variances.count) variances")
        self.mean = mean
        self.directions = directions
        self.variances = variances
    }

    /// Fits k ≤ D directions; the solver's settings default as documented in `RandomizedEigensolver`.
    public static func fit(_ x: FeatureMatrix, count k: Int, seed: UInt64,
                           oversampling: Int? = nil,
                           maximumIterations: Int = RandomizedEigensolver.defaultMaximumIterations) -> PrincipalComponents {
        fit(CenteredFeatures(x), count: k, seed: seed, oversampling: oversampling, maximumIterations: maximumIterations)
    }

    /// Fits on rows already paired with the mean to subtract.
    public static func fit(_ centred: CenteredFeatures, count k: Int, seed: UInt64,
                           oversampling: Int? = nil,
                           maximumIterations: Int = RandomizedEigensolver.defaultMaximumIterations) -> PrincipalComponents {
        precondition(k >= 0 && k <= centred.columns, "PrincipalComponents: \(k) directions of \(centred.columns)-dimensional data")
        let top = RandomizedEigensolver.largestEigenpairs(count: k, dimension: centred.columns, seed: seed,
                                                          oversampling: oversampling, maximumIterations: maximumIterations) {
            centred.covarianceTimes($0)
        }
        return PrincipalComponents(mean: centred.mean, directions: top.vectors, variances: top.values.map { max(0, $0) })
    }

    /// (x − μ)·directions.
    public func project(_ x: FeatureMatrix) -> Matrix {
        CenteredFeatures(x, mean: mean).times(directions)
    }
}
