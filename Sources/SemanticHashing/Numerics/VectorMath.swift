import Foundation
import VectorKernels

/// SIMD element-wise and reduction helpers for the model code: a fast `exp`, row-wise softmax
/// with log-sum-exp, and the BLAS-1 style `axpy`, `scale`, `dot`, `sum`.
///
/// ```
/// exp(x)          = 2ⁿ · e^r,  n = round(x / ln 2),  r = x − n·ln 2 ∈ [−ln2/2, ln2/2]
///                   e^r by its degree-7 Taylor polynomial (truncation < 1e-8 relative)
/// softmax(z)ⱼ     = exp(zⱼ − max z) / Σₖ exp(zₖ − max z)
/// logSumExp(z)    = max z + log Σₖ exp(zₖ − max z)
/// axpy:  y ← α·x + y      scale:  x ← α·x      dot = Σ xᵢ·yᵢ      sum = Σ xᵢ
/// ```
///
/// ```swift
/// var logits = Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 0, 0, 0])
/// let lse = VectorMath.softmaxRows(&logits)              // rows now sum to 1
/// VectorMath.axpy(0.5, gradient.storage, &weights.storage)
/// ```
public enum VectorMath {
    /// Inputs above this overflow Float (e^88.72284 ≈ 3.4028e38); results are +∞.
    static let expOverflowThreshold: Float = 88.72284
    /// Inputs below this round to 0 even as a subnormal (e^−103.98 < 2⁻¹⁵⁰).
    static let expUnderflowThreshold: Float = -103.98

    /// e^x lane by lane; max relative error about 2 ulp (≈ 1.2e-7) for normal results,
    /// +∞ above 88.72284, subnormal then 0 below −87.34, NaN stays NaN.
    @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // Clamp with compare-and-replace: `clamped(lowerBound:upperBound:)` and `pointwiseMin/Max`
        // are lowered lane by lane with branches, ~5× slower than this.
        var clamped = x
        clamped.replace(with: expUnderflowThreshold, where: x .< expUnderflowThreshold)
        clamped.replace(with: expOverflowThreshold, where: x .> expOverflowThreshold)
        let (p, nInteger) = VectorKernelBodies.reduced(clamped)
        // 2ⁿ for n ∈ [−150, 128] as two normal factors 2^(n/2)·2^(n − n/2), so results near
        // overflow and subnormal results are both reached without an intermediate ∞ or 0.
        let half = nInteger &>> 1
        let scaleLow = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)
        let scaleHigh = unsafeBitCast((nInteger &- half &+ 127) &<< 23, to: SIMD16<Float>.self)
        var result = p * scaleLow * scaleHigh
        result.replace(with: .infinity, where: x .> expOverflowThreshold)
        result.replace(with: 0, where: x .< expUnderflowThreshold)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// e^x for one value, by the same algorithm as the SIMD version.
    public static func exp(_ x: Float) -> Float {
        exp(SIMD16(repeating: x))[0]
    }

    /// values[i] ← e^values[i].
    public static func exp(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(base)
        let count = values.count
        var i = 0
        while i + 16 <= count {
            raw.storeBytes(of: exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)),
                           toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        if i < count {
            var tail = SIMD16<Float>()
            for lane in 0..<(count - i) { tail[lane] = base[i + lane] }
            tail = exp(tail)
            for lane in 0..<(count - i) { base[i + lane] = tail[lane] }
        }
    }

    /// values[i] ← e^values[i].
    public static func exp(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { exp($0) }
    }

    /// Replaces each row of the rows×columns row-major `logits` by its softmax (max-subtracted, so
    /// no overflow for any finite logits) and writes each row's log-sum-exp to `logSumExp` when
    /// given. Rows are spread over threads when the matrix is large.
    public static func softmaxRows(logits: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int,
                                   logSumExp: UnsafeMutableBufferPointer<Float>? = nil) {
        precondition(logits.count == rows * columns, "softmaxRows: \(logits.count) values for \(rows)×\(columns)")
        precondition(logSumExp == nil || logSumExp!.count == rows,
                     "softmaxRows: logSumExp has \(logSumExp?.count ?? 0) slots for \(rows) rows")
        if rows == 0 { return }
        let tasks = min(ParallelExecution.threadCount, rows)
        let serial = rows * columns < 1 << 16
        parallelFor(serial ? 1 : tasks, serial: serial) { task in
            for i in ParallelExecution.chunk(task, of: serial ? 1 : tasks, total: rows) {
                let row = UnsafeMutableBufferPointer(rebasing: logits[(i * columns)..<((i + 1) * columns)])
                let lse = softmaxRow(row)
                logSumExp?[i] = lse
            }
        }
    }

    /// In-place row softmax of a rows×columns row-major array; returns each row's log-sum-exp.
    @discardableResult
    public static func softmaxRows(logits: inout [Float], rows: Int, columns: Int) -> [Float] {
        var lse = [Float](repeating: 0, count: rows)
        logits.withUnsafeMutableBufferPointer { values in
            lse.withUnsafeMutableBufferPointer { softmaxRows(logits: values, rows: rows, columns: columns, logSumExp: $0) }
        }
        return lse
    }

    /// In-place row softmax of a matrix; returns each row's log-sum-exp.
    @discardableResult
    public static func softmaxRows(_ logits: inout Matrix) -> [Float] {
        let (rows, columns) = (logits.rows, logits.columns)
        return softmaxRows(logits: &logits.storage, rows: rows, columns: columns)
    }

    /// Softmax of one row in place; returns its log-sum-exp (−∞ for an empty row).
    private static func softmaxRow(_ row: UnsafeMutableBufferPointer<Float>) -> Float {
        guard row.count > 0 else { return -.infinity }
        let maximum = maximum(UnsafeBufferPointer(row))
        let total = exponentiate(row, shiftedBy: maximum)
        scale(row, by: 1 / total)
        return maximum + Foundation.log(total)
    }

    /// The largest value (−∞ for an empty buffer).
    public static func maximum(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard let base = x.baseAddress else { return -.infinity }
        return VectorKernelLevel.kernels.maximum(base, count: x.count, plus: nil)
    }

    /// x ← e^(x − shift) in place; returns Σ e^(x − shift). Meant for shift = max x (softmax);
    /// arguments below −87.33 give 0 and above 88 saturate, so nothing overflows.
    public static func exponentiate(_ x: UnsafeMutableBufferPointer<Float>, shiftedBy shift: Float) -> Float {
        guard let base = x.baseAddress else { return 0 }
        return VectorKernelLevel.kernels.exponentiate(base, count: x.count, plus: nil, shiftedBy: shift)
    }

    /// max_i (x_i + b_i) (−∞ for an empty buffer); `b` has at least `x.count` elements.
    public static func maximum(_ x: UnsafeBufferPointer<Float>, plus b: UnsafePointer<Float>) -> Float {
        guard let base = x.baseAddress else { return -.infinity }
        return VectorKernelLevel.kernels.maximum(base, count: x.count, plus: b)
    }

    /// x ← e^(x + b − shift) in place for shift = max(x + b) (so every argument is ≤ 0); returns
    /// the sum of the new x. The same values and sum as adding b to x first and calling
    /// `exponentiate(_:shiftedBy:)`, about a tenth faster: arguments ≤ 0 need no overflow clamp.
    static func exponentiate(_ x: UnsafeMutableBufferPointer<Float>, plus b: UnsafePointer<Float>,
                             shiftedBy shift: Float) -> Float {
        guard let base = x.baseAddress else { return 0 }
        return VectorKernelLevel.kernels.exponentiate(base, count: x.count, plus: b, shiftedBy: shift)
    }

    /// y ← α·x + y.
    public static func axpy(_ alpha: Float, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "axpy: x has \(x.count) elements, y has \(y.count)")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        VectorKernelLevel.kernels.axpy(alpha, xs, ys, count: x.count)
    }

    /// y ← α·x + y.
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { axpy(alpha, xs, $0) } }
    }

    /// x ← α·x.
    public static func scale(_ x: UnsafeMutableBufferPointer<Float>, by alpha: Float) {
        guard let xs = x.baseAddress else { return }
        VectorKernelLevel.kernels.scale(xs, count: x.count, by: alpha)
    }

    /// x ← α·x.
    public static func scale(_ x: inout [Float], by alpha: Float) {
        x.withUnsafeMutableBufferPointer { scale($0, by: alpha) }
    }

    /// Σ xᵢ·yᵢ (two SIMD8 partial sums, so the rounding differs from a sequential loop).
    public static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Float {
        precondition(x.count == y.count, "dot: x has \(x.count) elements, y has \(y.count)")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return 0 }
        let xr = UnsafeRawPointer(xs), yr = UnsafeRawPointer(ys)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= x.count {
            s0 += xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            s1 += xr.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * yr.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var total = (s0 + s1).sum()
        while i < x.count { total += xs[i] * ys[i]; i += 1 }
        return total
    }

    /// Σ xᵢ·yᵢ.
    public static func dot(_ x: [Float], _ y: [Float]) -> Float {
        x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { dot(xs, $0) } }
    }

    /// Σ xᵢ (two SIMD8 partial sums).
    public static func sum(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard let xs = x.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(xs)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= x.count {
            s0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            s1 += raw.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var total = (s0 + s1).sum()
        while i < x.count { total += xs[i]; i += 1 }
        return total
    }

    /// Σ xᵢ.
    public static func sum(_ x: [Float]) -> Float {
        x.withUnsafeBufferPointer { sum($0) }
    }
}
