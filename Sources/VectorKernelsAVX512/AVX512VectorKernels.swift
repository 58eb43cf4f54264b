import VectorKernels

/// `VectorKernelBodies` compiled in a module built for x86-64-v4 (AVX-512), where each sixteen-lane
/// vector is one AVX-512 register. The same operations in the same order as `PortableVectorKernels`, so the
/// same bits, only sooner.
///
/// Every function here may execute AVX512 instructions: call them only after a run-time check that
/// the processor has them (the library's `VectorKernelLevel`). On other architectures the module
/// is built for the baseline and never called.
public enum AVX512VectorKernels: VectorKernelSet {
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
