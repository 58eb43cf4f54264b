import Foundation

/// A linear classifier with L2 penalty: multinomial (softmax) logistic regression for
/// single-label data, one-vs-rest logistic regression for multi-label data; fitted by L-BFGS on
/// the full batch (deterministic: zero start, no sampling).
///
/// ```
/// z = x·W + b                                   W: D × C,  b: 1 × C
/// softmax:  p = softmax(z),  ℓ(x, y) = −Σ_c y_c·log p_c            (y one-hot)
/// one-vs-rest:  p_c = σ(z_c),  ℓ(x, y) = Σ_c softplus(z_c) − y_c·z_c   (y multi-hot)
/// L(W, b) = (1/m)·Σ_i ℓ(x_i, y_i) + (λ/2)·‖W‖²_F      (the bias is not penalised)
/// ∂L/∂Z = (P − Y)/m,   ∂L/∂W = Xᵀ·∂L/∂Z + λ·W,   ∂L/∂b = 1ᵀ·∂L/∂Z
/// ```
///
/// ```swift
/// let classifier = LogisticRegression.fit(features: x, labels: y, l2: 1e-4).model
/// let p = classifier.probabilities(test.features)          // n × C
/// ```
public struct LogisticRegression: Sendable, Equatable {
    /// W (D × C).
    public var weights: Matrix
    /// b (1 × C).
    public var bias: Matrix
    /// One-vs-rest sigmoids (true) or one softmax (false).
    public var isMultiLabel: Bool

    public init(weights: Matrix, bias: Matrix, isMultiLabel: Bool) {
        precondition(bias.rows == 1 && bias.columns == weights.columns, "LogisticRegression: bias \(bias.rows)×\(bias.columns) for weights \(weights.rows)×\(weights.columns)")
        self.weights = weights
        self.bias = bias
        self.isMultiLabel = isMultiLabel
    }

    public var classCount: Int { weights.columns }
    public var inputDimensions: Int { weights.rows }

    /// z = x·W + b (n × C).
    public func logits(_ x: FeatureMatrix) -> Matrix {
        AffineHashFunction(weights: weights, bias: bias).values(x)
    }

    /// p (n × C): softmax rows, or a sigmoid per class; computed in blocks of rows.
    public func probabilities(_ x: FeatureMatrix) -> Matrix {
        x.mapRowBlocks(outputColumns: classCount) { block in
            var z = logits(block)
            Self.applyLink(&z, multiLabel: isMultiLabel)
            return z
        }
    }

    /// Replaces logits by probabilities, row by row, in Double.
    static func applyLink(_ z: inout Matrix, multiLabel: Bool) {
        let c = z.columns
        for i in 0..<z.rows {
            if multiLabel {
                for j in 0..<c { z[i, j] = Float(1 / (1 + exp(-Double(z[i, j])))) }
            } else {
                var largest = -Double.infinity
                for j in 0..<c { largest = max(largest, Double(z[i, j])) }
                var sum = 0.0
                for j in 0..<c { sum += exp(Double(z[i, j]) - largest) }
                for j in 0..<c { z[i, j] = Float(exp(Double(z[i, j]) - largest) / sum) }
            }
        }
    }

    /// L(W, b) and its gradients for targets Y (m × C) on the m rows of `features`.
    public static func loss(weights: Matrix, bias: Matrix, features: FeatureMatrix, targets: Matrix,
                            multiLabel: Bool, l2: Double) -> (value: Double, weightGradient: Matrix, biasGradient: Matrix) {
        precondition(targets.rows == features.rows && targets.columns == weights.columns, "LogisticRegression.loss: targets shape")
        let m = features.rows, c = weights.columns
        var gradZ = AffineHashFunction(weights: weights, bias: bias).values(features)
        var total = 0.0
        let inverseCount = m == 0 ? 0 : 1 / Double(m)
        for i in 0..<m {
            if multiLabel {
                for j in 0..<c {
                    let z = Double(gradZ[i, j]), y = Double(targets[i, j])
                    total += max(z, 0) + log1p(exp(-abs(z))) - y * z
                    gradZ[i, j] = Float((1 / (1 + exp(-z)) - y) * inverseCount)
                }
            } else {
                var largest = -Double.infinity
                for j in 0..<c { largest = max(largest, Double(gradZ[i, j])) }
                var sum = 0.0
                for j in 0..<c { sum += exp(Double(gradZ[i, j]) - largest) }
                let logSum = largest + log(sum)
                for j in 0..<c {
                    let z = Double(gradZ[i, j]), y = Double(targets[i, j])
                    total += y * (logSum - z)
                    gradZ[i, j] = Float((exp(z - logSum) - y) * inverseCount)
                }
            }
        }
        var penalty = 0.0
        for w in weights.storage { penalty += Double(w) * Double(w) }
        var weightGradient = features.transposeTimes(gradZ)
        if l2 != 0 {
            let lambda = Float(l2)
            for k in weightGradient.storage.indices { weightGradient.storage[k] += lambda * weights.storage[k] }
        }
        var biasSums = [Double](repeating: 0, count: c)
        for i in 0..<m { for j in 0..<c { biasSums[j] += Double(gradZ[i, j]) } }
        return (total * inverseCount + 0.5 * l2 * penalty, weightGradient,
                Matrix(rows: 1, columns: c, storage: biasSums.map { Float($0) }))
    }

    /// Fits on every row of `features` with the matching `labels` (all rows must be labelled).
    public static func fit(features: FeatureMatrix, labels: Labels, l2: Double,
                           maximumIterations: Int = 300, tolerance: Double = 1e-5) -> (model: LogisticRegression, outcome: LBFGSMinimizer.Outcome) {
        precondition(features.rows == labels.count, "LogisticRegression.fit: \(features.rows) rows, \(labels.count) labels")
        let d = features.columns, c = labels.classCount
        let targets = labels.indicatorMatrix()
        let multiLabel = labels.isMultiLabel
        let weightCount = d * c
        func unpack(_ theta: [Double]) -> (Matrix, Matrix) {
            (Matrix(rows: d, columns: c, storage: theta[0..<weightCount].map { Float($0) }),
             Matrix(rows: 1, columns: c, storage: theta[weightCount...].map { Float($0) }))
        }
        let minimizer = LBFGSMinimizer(maximumIterations: maximumIterations, gradientTolerance: tolerance)
        let outcome = minimizer.minimize(from: [Double](repeating: 0, count: weightCount + c)) { theta in
            let (w, b) = unpack(theta)
            let result = loss(weights: w, bias: b, features: features, targets: targets, multiLabel: multiLabel, l2: l2)
            return (result.value, result.weightGradient.storage.map(Double.init) + result.biasGradient.storage.map(Double.init))
        }
        let (w, b) = unpack(outcome.x)
        return (LogisticRegression(weights: w, bias: b, isMultiLabel: multiLabel), outcome)
    }
}
