import Foundation
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

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
        let (p, nInteger) = reduced(clamped)
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

    /// e^x = 2ⁿ·e^r for |x| ≤ 104: returns e^r (|r| ≤ ln2/2) and n, shared by both exps.
    @inline(__always)
    private static func reduced(_ x: SIMD16<Float>) -> (expR: SIMD16<Float>, n: SIMD16<Int32>) {
        // Adding 1.5·2²³ rounds to an integer in the low mantissa bits (|x/ln2| < 2²²), which
        // gives both n as a Float and n as an integer without a (slow, non-SSE2) round instruction.
        let roundingMagic: Float = 12_582_912
        let shifted = x * 1.442_695_04 + roundingMagic
        let n = shifted - roundingMagic
        // Cody–Waite: ln 2 split so n·ln2High is exact for |n| ≤ 2⁸.
        let r = (x - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p = r * (1 / 5040) + (1 / 720)
        p = p * r + (1 / 120)
        p = p * r + (1 / 24)
        p = p * r + (1 / 6)
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return (p, unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000)
    }

    /// √v lane by lane, correctly rounded on x86-64 (SSE2's `sqrtps`, present on every x86-64
    /// CPU). `SIMD.squareRoot()` is lowered to one libm call per lane here (libm must set errno),
    /// which made Adam's update compute-bound. Elsewhere the reciprocal-square-root bit trick
    /// refined by three Newton steps stands in (relative error ≤ 2e-7 for normal v, 0 for v ≤ 0):
    /// ```
    /// y₀ = bits⁻¹(0x5F375A86 − bits(v)/2),  y ← y·(3/2 − v/2·y²),  √v = v·y
    /// ```
    @inline(__always)
    public static func squareRoot(_ v: SIMD16<Float>) -> SIMD16<Float> {
        #if arch(x86_64)
        return SIMD16(lowHalf: SIMD8(lowHalf: _mm_sqrt_ps(v.lowHalf.lowHalf), highHalf: _mm_sqrt_ps(v.lowHalf.highHalf)),
                      highHalf: SIMD8(lowHalf: _mm_sqrt_ps(v.highHalf.lowHalf), highHalf: _mm_sqrt_ps(v.highHalf.highHalf)))
        #else
        return newtonSquareRoot(v)
        #endif
    }

    /// The portable √v of `squareRoot` (kept callable everywhere so that it stays tested).
    @inline(__always)
    static func newtonSquareRoot(_ v: SIMD16<Float>) -> SIMD16<Float> {
        var x = v
        x.replace(with: .leastNormalMagnitude, where: v .< .leastNormalMagnitude)
        var y = unsafeBitCast(0x5F37_5A86 &- (unsafeBitCast(x, to: SIMD16<UInt32>.self) &>> 1), to: SIMD16<Float>.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        var root = v * y
        root.replace(with: 0, where: v .<= 0)
        return root
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
        let count = x.count
        let raw = UnsafeRawPointer(base)
        var i = 0
        var maxima = SIMD16<Float>(repeating: -.infinity)
        while i + 16 <= count {
            let values = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            maxima.replace(with: values, where: values .> maxima)  // pointwiseMax is not vectorised
            i += 16
        }
        var maximum = maxima.max()
        while i < count { maximum = max(maximum, base[i]); i += 1 }
        return maximum
    }

    /// e^x for the softmax's shifted logits: arguments below −87.33 give 0 (no subnormals),
    /// above 88 they saturate at e^88, NaN stays NaN.
    /// Within the clamp 2ⁿ is one normal factor, so the range handling of `exp` (two factors,
    /// overflow and underflow fix-ups) is not needed; this is about half the instructions, and
    /// the softmax over the vocabulary is the hottest loop of training after the GEMMs.
    @inline(__always)
    static func softmaxExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var clamped = x
        let tiny = x .< -87.33
        clamped.replace(with: -87.33, where: tiny)
        clamped.replace(with: 88, where: x .> 88)
        let (p, nInteger) = reduced(clamped)
        var result = p * unsafeBitCast((nInteger &+ 127) &<< 23, to: SIMD16<Float>.self)
        result.replace(with: 0, where: tiny)
        return result
    }

    /// `softmaxExp` for arguments ≤ 0 (and NaN): the same value, without the clamp at 88 that such
    /// arguments never reach.
    @inline(__always)
    static func nonPositiveExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var clamped = x
        let tiny = x .< -87.33
        clamped.replace(with: -87.33, where: tiny)
        let (p, nInteger) = reduced(clamped)
        var result = p * unsafeBitCast((nInteger &+ 127) &<< 23, to: SIMD16<Float>.self)
        result.replace(with: 0, where: tiny)
        return result
    }

    /// x ← e^(x − shift) in place; returns Σ e^(x − shift). Meant for shift = max x (softmax);
    /// the range is `softmaxExp`'s, so nothing overflows.
    public static func exponentiate(_ x: UnsafeMutableBufferPointer<Float>, shiftedBy shift: Float) -> Float {
        guard let base = x.baseAddress else { return 0 }
        let count = x.count
        let raw = UnsafeMutableRawPointer(base)
        let shifts = SIMD16<Float>(repeating: shift)
        var sums = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let e = softmaxExp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - shifts)
            raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD16<Float>.self)
            sums += e
            i += 16
        }
        var total = sums.sum()
        while i < count {
            base[i] = softmaxExp(SIMD16(repeating: base[i] - shift))[0]
            total += base[i]
            i += 1
        }
        return total
    }

    /// max_i (x_i + b_i) (−∞ for an empty buffer); `b` has at least `x.count` elements.
    public static func maximum(_ x: UnsafeBufferPointer<Float>, plus b: UnsafePointer<Float>) -> Float {
        guard let base = x.baseAddress else { return -.infinity }
        let count = x.count
        let raw = UnsafeRawPointer(base), bias = UnsafeRawPointer(b)
        var i = 0
        var maxima = SIMD16<Float>(repeating: -.infinity)
        while i + 16 <= count {
            let values = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + bias.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            maxima.replace(with: values, where: values .> maxima)
            i += 16
        }
        var maximum = maxima.max()
        while i < count { maximum = max(maximum, base[i] + b[i]); i += 1 }
        return maximum
    }

    /// x ← e^(x + b − shift) in place for shift = max(x + b) (so every argument is ≤ 0); returns
    /// the sum of the new x. The same values and sum as adding b to x first and calling
    /// `exponentiate(_:shiftedBy:)`, about a tenth faster: arguments ≤ 0 need no overflow clamp.
    static func exponentiate(_ x: UnsafeMutableBufferPointer<Float>, plus b: UnsafePointer<Float>,
                             shiftedBy shift: Float) -> Float {
        guard let base = x.baseAddress else { return 0 }
        let count = x.count
        let raw = UnsafeMutableRawPointer(base), bias = UnsafeRawPointer(b)
        let shifts = SIMD16<Float>(repeating: shift)
        var sums = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let z = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + bias.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let e = nonPositiveExp(z - shifts)
            raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD16<Float>.self)
            sums += e
            i += 16
        }
        var total = sums.sum()
        while i < count {
            base[i] = nonPositiveExp(SIMD16(repeating: (base[i] + b[i]) - shift))[0]
            total += base[i]
            i += 1
        }
        return total
    }

    /// y ← α·x + y.
    public static func axpy(_ alpha: Float, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "axpy: x has \(x.count) elements, y has \(y.count)")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        let a = SIMD8<Float>(repeating: alpha)
        let xr = UnsafeRawPointer(xs), yr = UnsafeMutableRawPointer(ys)
        var i = 0
        while i + 8 <= x.count {
            let updated = a * xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            yr.storeBytes(of: updated, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < x.count { ys[i] += alpha * xs[i]; i += 1 }
    }

    /// y ← α·x + y.
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { axpy(alpha, xs, $0) } }
    }

    /// x ← α·x.
    public static func scale(_ x: UnsafeMutableBufferPointer<Float>, by alpha: Float) {
        guard let xs = x.baseAddress else { return }
        let a = SIMD8<Float>(repeating: alpha)
        let raw = UnsafeMutableRawPointer(xs)
        var i = 0
        while i + 8 <= x.count {
            raw.storeBytes(of: a * raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                           toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < x.count { xs[i] *= alpha; i += 1 }
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
