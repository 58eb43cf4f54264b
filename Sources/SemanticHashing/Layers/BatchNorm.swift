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
/// normalise and to update the moving average; so do we. With `rectifying`, the layer normalises
/// ReLU(x) instead of x and its backward returns ∂x through the ReLU too (one pass instead of two).
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
    // Kept from the last training forward for backward; reused across steps.
    private var normalized = Matrix(rows: 0, columns: 0)
    private var input = Matrix(rows: 0, columns: 0)
    private var rectified = false
    private var mean: [Float] = []
    private var variance: [Float] = []
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

    /// y = BN(x), or BN(ReLU(x)) when `rectifying`.
    public func callAsFunction(_ x: Matrix, training: Bool, rectifying: Bool = false) -> Matrix {
        precondition(x.columns == features, "BatchNorm: input has \(x.columns) columns, layer expects \(features)")
        let n = x.rows, c = features
        var y = Matrix(rows: n, columns: c)
        if !training {
            var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
            for j in 0..<c {
                let inv = 1 / (movingVariance.storage[j] + epsilon).squareRoot()
                scale[j] = gamma.value.storage[j] * inv
                shift[j] = beta.value.storage[j] - movingMean.storage[j] * scale[j]
            }
            x.storage.withUnsafeBufferPointer { xp in
                y.storage.withUnsafeMutableBufferPointer { yp in
                    Self.byColumnBlocks(rows: n, columns: c) { block in
                        NormalizationKernels.affine(xp.baseAddress!, rows: n, stride: c, columns: block, scale: scale, shift: shift,
                                                    rectifying: rectifying, into: yp.baseAddress!)
                    }
                }
            }
            return y
        }
        rectified = rectifying
        if input.rows != n || input.columns != c {
            input = Matrix(rows: n, columns: c)
            normalized = Matrix(rows: n, columns: c)
            mean = [Float](repeating: 0, count: c)
            variance = [Float](repeating: 0, count: c)
            inverseStd = [Float](repeating: 0, count: c)
        }
        x.storage.withUnsafeBufferPointer { xp in
            input.storage.withUnsafeMutableBufferPointer { kept in
                mean.withUnsafeMutableBufferPointer { mu in
                    variance.withUnsafeMutableBufferPointer { sigma2 in
                        Self.byColumnBlocks(rows: n, columns: c) { block in
                            NormalizationKernels.columnStatistics(xp.baseAddress!, rows: n, stride: c, columns: block, rectifying: rectifying,
                                                                  keeping: kept.baseAddress!, mean: mu.baseAddress!,
                                                                  variance: sigma2.baseAddress!)
                        }
                    }
                }
            }
        }
        for j in 0..<c { inverseStd[j] = 1 / (variance[j] + epsilon).squareRoot() }
        input.storage.withUnsafeBufferPointer { xp in
            normalized.storage.withUnsafeMutableBufferPointer { np in
                y.storage.withUnsafeMutableBufferPointer { yp in
                    let (mean, inverseStd, g, b) = (mean, inverseStd, gamma.value.storage, beta.value.storage)
                    Self.byColumnBlocks(rows: n, columns: c) { block in
                        NormalizationKernels.normalize(xp.baseAddress!, rows: n, stride: c, columns: block, mean: mean,
                                                       inverseStd: inverseStd, gamma: g, beta: b,
                                                       normalized: np.baseAddress!, output: yp.baseAddress!)
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

    /// Runs `body` over blocks of columns (multiples of 8) on the worker threads; columns are
    /// independent, so the split does not change any result. A training batch (100 × 500) runs on
    /// one thread: split in two, the forward pass took 0.12 ms instead of 0.055 on a 2-core Xeon
    /// (its outputs are written by both cores and then read by the next product on both), and
    /// the trunk's BatchNorm phase of a step fell from 0.45 to 0.33 ms once serial (`semhash bench
    /// step`, every shape, two alternating rounds). Encoding chunks of 2 048 rows still split.
    private static func byColumnBlocks(rows n: Int, columns c: Int, _ body: (Range<Int>) -> Void) {
        let blocks = min(4, max(1, c / 64))
        parallelFor(blocks, serial: n * c < 1 << 17) { block in
            body(ParallelExecution.chunk(block, of: blocks, total: c, granularity: 8))
        }
    }

    /// Accumulates ∂γ, ∂β and returns ∂x for the last training-mode call (through the ReLU when
    /// that call was `rectifying`).
    public func backward(_ gradOutput: Matrix) -> Matrix {
        let n = gradOutput.rows, c = features
        precondition(normalized.rows == n && normalized.columns == c, "BatchNorm.backward: no matching training forward")
        var gradInput = Matrix(rows: n, columns: c)
        gradOutput.storage.withUnsafeBufferPointer { gp in
            normalized.storage.withUnsafeBufferPointer { np in
                input.storage.withUnsafeBufferPointer { xp in
                    gradInput.storage.withUnsafeMutableBufferPointer { dx in
                        gamma.gradient.storage.withUnsafeMutableBufferPointer { dGamma in
                            beta.gradient.storage.withUnsafeMutableBufferPointer { dBeta in
                                let (g, inverseStd, rectified) = (gamma.value.storage, inverseStd, rectified)
                                Self.byColumnBlocks(rows: n, columns: c) { block in
                                    NormalizationKernels.backward(gp.baseAddress!, normalized: np.baseAddress!, rows: n, stride: c,
                                                                  columns: block, gamma: g, inverseStd: inverseStd,
                                                                  rectifiedInput: rectified ? xp.baseAddress! : nil,
                                                                  gammaGradient: dGamma.baseAddress!, betaGradient: dBeta.baseAddress!,
                                                                  into: dx.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }
}
