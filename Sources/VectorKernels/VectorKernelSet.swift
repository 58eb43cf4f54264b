/// `VectorKernelBodies` compiled in one module for one instruction set. Nothing in a conforming
/// module is `@inlinable`, so its code runs only where the caller has checked the processor.
///
/// ```swift
/// let kernels: any VectorKernelSet.Type = PortableVectorKernels.self
/// let total = kernels.exponentiate(row, count: d, plus: nil, shiftedBy: kernels.maximum(row, count: d, plus: nil))
/// ```
public protocol VectorKernelSet: SendableMetatype {
    static func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                           _ v: UnsafeMutablePointer<Float>, count: Int, rate: Float, beta1: Float, beta2: Float,
                           epsilon: Float, clearing: UnsafeMutablePointer<Float>?)
    static func weightedRowSum(indices: UnsafePointer<Int32>?, weights: UnsafePointer<Float>?, count: Int,
                               source: UnsafePointer<Float>?, width: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool)
    static func maximum(_ x: UnsafePointer<Float>, count: Int, plus b: UnsafePointer<Float>?) -> Float
    static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, plus b: UnsafePointer<Float>?, shiftedBy shift: Float) -> Float
    static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
}

/// The kernels for the toolchain's baseline target: they run on every processor.
public enum PortableVectorKernels: VectorKernelSet {
    public static func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                                  _ v: UnsafeMutablePointer<Float>, count: Int, rate: Float, beta1: Float, beta2: Float,
                                  epsilon: Float, clearing: UnsafeMutablePointer<Float>?) {
        VectorKernelBodies.adamUpdate(w, g, m, v, count: count, rate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon, clearing: clearing)
    }

    public static func weightedRowSum(indices: UnsafePointer<Int32>?, weights: UnsafePointer<Float>?, count: Int,
                                      source: UnsafePointer<Float>?, width: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        VectorKernelBodies.weightedRowSum(indices: indices, weights: weights, count: count, source: source, width: width,
                                          into: out, accumulate: accumulate)
    }

    public static func maximum(_ x: UnsafePointer<Float>, count: Int, plus b: UnsafePointer<Float>?) -> Float {
        VectorKernelBodies.maximum(x, count: count, plus: b)
    }

    public static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, plus b: UnsafePointer<Float>?, shiftedBy shift: Float) -> Float {
        VectorKernelBodies.exponentiate(x, count: count, plus: b, shiftedBy: shift)
    }

    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        VectorKernelBodies.scale(x, count: count, by: alpha)
    }

    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        VectorKernelBodies.axpy(alpha, x, y, count: count)
    }
}
