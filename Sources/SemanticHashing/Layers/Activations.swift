import Foundation

/// Elementwise activations and row-wise softmax, each with its derivative beside it.
///
/// ```
/// relu(x) = max(0, x)                 ∂x = ∂y ⊙ [y > 0]
/// σ(x) = 1 / (1 + e^(−x))             ∂x = ∂y ⊙ y(1 − y)
/// softmax(x)_j = e^(x_j) / Σ_k e^(x_k)    ∂x_j = y_j·(∂y_j − Σ_k ∂y_k·y_k)
/// ```
///
/// ```swift
/// let y = Activations.softmaxRows(logits)
/// let dLogits = Activations.softmaxBackward(output: y, gradient: dY)
/// ```
public enum Activations {
    public static func relu(_ x: Matrix) -> Matrix {
        var y = x
        y.storage.withUnsafeMutableBufferPointer { p in for i in p.indices where p[i] < 0 { p[i] = 0 } }
        return y
    }

    /// ∂x = ∂y ⊙ [y > 0], given the ReLU output y.
    public static func reluBackward(output y: Matrix, gradient: Matrix) -> Matrix {
        var g = gradient
        y.storage.withUnsafeBufferPointer { yp in
            g.storage.withUnsafeMutableBufferPointer { gp in for i in gp.indices where yp[i] <= 0 { gp[i] = 0 } }
        }
        return g
    }

    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    public static func sigmoid(_ x: Matrix) -> Matrix {
        var y = x
        y.storage.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = sigmoid(p[i]) } }
        return y
    }

    /// ∂x = ∂y ⊙ y(1 − y), given the sigmoid output y.
    public static func sigmoidBackward(output y: Matrix, gradient: Matrix) -> Matrix {
        var out = gradient
        for i in out.storage.indices { let p = y.storage[i]; out.storage[i] = gradient.storage[i] * p * (1 - p) }
        return out
    }

    /// Row-wise softmax, max-subtracted for stability.
    public static func softmaxRows(_ x: Matrix) -> Matrix {
        var y = x
        VectorMath.softmaxRows(&y)
        return y
    }

    /// ∂x_j = y_j·(∂y_j − Σ_k ∂y_k·y_k) per row, given the softmax output y.
    public static func softmaxBackward(output y: Matrix, gradient: Matrix) -> Matrix {
        var out = gradient
        let k = y.columns
        for i in 0..<y.rows {
            var dot: Float = 0
            for j in 0..<k { dot += gradient.storage[i * k + j] * y.storage[i * k + j] }
            for j in 0..<k { out.storage[i * k + j] = y.storage[i * k + j] * (gradient.storage[i * k + j] - dot) }
        }
        return out
    }
}
