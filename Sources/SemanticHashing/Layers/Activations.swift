import Foundation

/// Elementwise activations and row-wise softmax, each with its derivative beside it.
///
/// ```
/// relu(x) = max(0, x)                 relu'(x) = [x > 0]
/// σ(x) = 1 / (1 + e^(−x))             σ'(x) = σ(x)(1 − σ(x))
/// softmax(x)_j = e^(x_j) / Σ_k e^(x_k)
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

    /// Row-wise softmax, max-subtracted for stability.
    public static func softmaxRows(_ x: Matrix) -> Matrix {
        var y = x
        VectorMath.softmaxRows(&y)
        return y
    }
}
