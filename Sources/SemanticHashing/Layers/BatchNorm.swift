/// Batch normalisation over the rows of a batch (Keras semantics).
///
/// ```
/// training:  μ, σ² = batch mean and (biased) variance per column
///            y = γ·(x − μ)/√(σ² + ε) + β
///            moving ← momentum·moving + (1 − momentum)·batch     (momentum 0.99)
/// inference: y = γ·(x − moving_mean)/√(moving_var + ε) + β        (ε = 1e-3)
/// backward:  ∂x = (γ/√(σ²+ε))·(∂y − mean(∂y) − x̂·mean(∂y ⊙ x̂))
/// ```
/// For 2-D inputs Keras takes the non-fused path, which uses the biased batch variance both to
/// normalise and to update the moving average; so do we.
///
/// ```swift
/// let bn = BatchNorm(features: 500)
/// let y = bn(h, training: true)
/// ```
public final class BatchNorm: @unchecked Sendable {
    public let gamma: Parameter
    public let beta: Parameter
    public var movingMean: Matrix
    public var movingVariance: Matrix
    /// Prefix of the tensor names ("encoder.norm1" → "encoder.norm1.gamma", ".moving_mean", …).
    public let name: String
    public let momentum: Float
    public let epsilon: Float
    private var normalized = Matrix(rows: 0, columns: 0)
    private var inverseStd: [Float] = []

    public init(features: Int, momentum: Float = 0.99, epsilon: Float = 1e-3, name: String = "batchnorm") {
        gamma = Parameter(name: "\(name).gamma", value: Matrix(rows: 1, columns: features, repeating: 1))
        beta = Parameter(name: "\(name).beta", value: Matrix(rows: 1, columns: features))
        movingMean = Matrix(rows: 1, columns: features)
        movingVariance = Matrix(rows: 1, columns: features, repeating: 1)
        self.name = name
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var features: Int { gamma.value.columns }
    public var parameters: [Parameter] { [gamma, beta] }

    public func callAsFunction(_ x: Matrix, training: Bool) -> Matrix {
        precondition(x.columns == features, "BatchNorm: input has \(x.columns) columns, layer expects \(features)")
        let n = x.rows, c = features
        var y = Matrix(rows: n, columns: c)
        if !training {
            for j in 0..<c {
                let inv = 1 / (movingVariance.storage[j] + epsilon).squareRoot()
                let g = gamma.value.storage[j] * inv, b = beta.value.storage[j] - movingMean.storage[j] * g
                for i in 0..<n { y.storage[i * c + j] = x.storage[i * c + j] * g + b }
            }
            return y
        }
        var mean = [Float](repeating: 0, count: c)
        var variance = [Float](repeating: 0, count: c)
        x.storage.withUnsafeBufferPointer { xp in
            for i in 0..<n { for j in 0..<c { mean[j] += xp[i * c + j] } }
            for j in 0..<c { mean[j] /= Float(n) }
            for i in 0..<n { for j in 0..<c { let d = xp[i * c + j] - mean[j]; variance[j] += d * d } }
        }
        for j in 0..<c { variance[j] /= Float(n) }
        inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
        normalized = Matrix(rows: n, columns: c)
        x.storage.withUnsafeBufferPointer { xp in
            normalized.storage.withUnsafeMutableBufferPointer { np in
                y.storage.withUnsafeMutableBufferPointer { yp in
                    gamma.value.storage.withUnsafeBufferPointer { g in
                        beta.value.storage.withUnsafeBufferPointer { b in
                            for i in 0..<n {
                                for j in 0..<c {
                                    let v = (xp[i * c + j] - mean[j]) * inverseStd[j]
                                    np[i * c + j] = v
                                    yp[i * c + j] = g[j] * v + b[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        for j in 0..<c {
            movingMean.storage[j] = momentum * movingMean.storage[j] + (1 - momentum) * mean[j]
            movingVariance.storage[j] = momentum * movingVariance.storage[j] + (1 - momentum) * variance[j]
        }
        return y
    }

    /// Accumulates ∂γ, ∂β and returns ∂x for the last training-mode call.
    public func backward(_ gradOutput: Matrix) -> Matrix {
        let n = gradOutput.rows, c = features
        precondition(normalized.rows == n && normalized.columns == c, "BatchNorm.backward: no matching training forward")
        var sumG = [Float](repeating: 0, count: c)
        var sumGX = [Float](repeating: 0, count: c)
        var gradInput = Matrix(rows: n, columns: c)
        gradOutput.storage.withUnsafeBufferPointer { gp in
            normalized.storage.withUnsafeBufferPointer { np in
                for i in 0..<n {
                    for j in 0..<c {
                        sumG[j] += gp[i * c + j]
                        sumGX[j] += gp[i * c + j] * np[i * c + j]
                    }
                }
                gradInput.storage.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<n {
                        for j in 0..<c {
                            let scale = gamma.value.storage[j] * inverseStd[j]
                            dx[i * c + j] = scale * (gp[i * c + j] - sumG[j] / Float(n) - np[i * c + j] * sumGX[j] / Float(n))
                        }
                    }
                }
            }
        }
        for j in 0..<c {
            gamma.gradient.storage[j] += sumGX[j]
            beta.gradient.storage[j] += sumG[j]
        }
        return gradInput
    }
}
