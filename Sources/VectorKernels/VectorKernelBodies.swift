#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The element-wise loops of a training step, written once with `SIMD16<Float>` and compiled
/// three times: here for the toolchain's baseline (SSE2 on x86-64, four floats a register), and
/// in the AVX2 and AVX-512 modules, where the same sixteen lanes take two or one register.
///
/// ```
/// adamUpdate:      m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − rate·m/(√v + ε)
/// weightedRowSum:  out (+)= Σ_k weights[k] · source[indices[k], :]
/// maximum:         max_i (x_i [+ b_i])
/// exponentiate:    x ← e^(x [+ b] − shift),  returns Σ of the new x
/// scale, axpy:     x ← α·x,  y ← α·x + y
/// ```
///
/// Every lane sees the same IEEE operations in the same order whatever the register width
/// (Swift never fuses a multiply and an add, nor reorders float sums), so the three builds give
/// bit-identical results; tests compare them lane for lane.
public enum VectorKernelBodies {
    // MARK: Square root and exponential of sixteen lanes

    /// √v lane by lane, correctly rounded on x86-64 (SSE2's `sqrtps`, present on every x86-64
    /// CPU). `SIMD.squareRoot()` is lowered to one libm call per lane here (libm must set errno),
    /// which made Adam's update compute-bound. Elsewhere the reciprocal-square-root bit trick
    /// refined by three Newton steps stands in (relative error ≤ 2e-7 for normal v, 0 for v ≤ 0):
    /// ```
    /// y₀ = bits⁻¹(0x5F375A86 − bits(v)/2),  y ← y·(3/2 − v/2·y²),  √v = v·y
    /// ```
    @inlinable @inline(__always)
    public static func squareRoot(_ v: SIMD16<Float>) -> SIMD16<Float> {
        #if arch(x86_64)
        return SIMD16(lowHalf: SIMD8(lowHalf: _mm_sqrt_ps(v.lowHalf.lowHalf), highHalf: _mm_sqrt_ps(v.lowHalf.highHalf)),
                      highHalf: SIMD8(lowHalf: _mm_sqrt_ps(v.highHalf.lowHalf), highHalf: _mm_sqrt_ps(v.highHalf.highHalf)))
        #else
        return newtonSquareRoot(v)
        #endif
    }

    /// The portable √v of `squareRoot` (callable everywhere so that it stays tested).
    @inlinable @inline(__always)
    public static func newtonSquareRoot(_ v: SIMD16<Float>) -> SIMD16<Float> {
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

    /// e^x = 2ⁿ·e^r for |x| ≤ 104: returns e^r (|r| ≤ ln2/2) and n.
    /// ```
    /// n = round(x / ln 2),  r = x − n·ln 2,  e^r by its degree-7 Taylor polynomial (< 1e-8 relative)
    /// ```
    @inlinable @inline(__always)
    public static func reduced(_ x: SIMD16<Float>) -> (expR: SIMD16<Float>, n: SIMD16<Int32>) {
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

    /// e^x for the softmax's shifted logits: arguments below −87.33 give 0 (no subnormals),
    /// above 88 they saturate at e^88, NaN stays NaN.
    /// Within the clamp 2ⁿ is one normal factor, so the range handling of a general exp (two
    /// factors, overflow and underflow fix-ups) is not needed: about half the instructions.
    @inlinable @inline(__always)
    public static func softmaxExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
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
    @inlinable @inline(__always)
    public static func nonPositiveExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var clamped = x
        let tiny = x .< -87.33
        clamped.replace(with: -87.33, where: tiny)
        let (p, nInteger) = reduced(clamped)
        var result = p * unsafeBitCast((nInteger &+ 127) &<< 23, to: SIMD16<Float>.self)
        result.replace(with: 0, where: tiny)
        return result
    }

    // MARK: Loops over buffers

    /// The Adam update over `count` consecutive elements, 16 lanes at a time; writes zeros over
    /// the gradient at `clearing` (the same elements) when given.
    @inlinable @inline(__always)
    public static func adamUpdate(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                                  _ v: UnsafeMutablePointer<Float>, count: Int, rate: Float, beta1: Float, beta2: Float,
                                  epsilon: Float, clearing: UnsafeMutablePointer<Float>?) {
        typealias Lanes = SIMD16<Float>
        var i = 0
        while i + Lanes.scalarCount <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
            let mi = beta1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + (1 - beta1) * gi
            let vi = beta2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + (1 - beta2) * gi * gi
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: Lanes.self) - rate * mi / (squareRoot(vi) + epsilon)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: Lanes.self)
            if let clearing { UnsafeMutableRawPointer(clearing + i).storeBytes(of: Lanes(), as: Lanes.self) }
            i += Lanes.scalarCount
        }
        if i < count {
            // The tail through the same lane arithmetic (so its square root is the same one).
            var gi = Lanes(), mi = Lanes(), vi = Lanes(), wi = Lanes()
            for lane in 0..<(count - i) { gi[lane] = g[i + lane]; mi[lane] = m[i + lane]; vi[lane] = v[i + lane]; wi[lane] = w[i + lane] }
            mi = beta1 * mi + (1 - beta1) * gi
            vi = beta2 * vi + (1 - beta2) * gi * gi
            wi = wi - rate * mi / (squareRoot(vi) + epsilon)
            for lane in 0..<(count - i) {
                m[i + lane] = mi[lane]
                v[i + lane] = vi[lane]
                w[i + lane] = wi[lane]
                clearing?[i + lane] = 0
            }
        }
    }

    /// out[0..<width] (+)= Σ_k weights[k] · source[indices[k] · width ..< indices[k] · width + width].
    ///
    /// Sums four source rows per sweep over the output: each row is read front to back (a
    /// sequential stream the hardware prefetcher follows, which matters because the rows are
    /// scattered through a matrix larger than L2), and the output, which stays in L1, is loaded
    /// and stored once per four rows. Terms are still added one at a time in index order.
    /// Pointers may be nil only when `count` is 0 (empty arrays).
    @inlinable @inline(__always)
    public static func weightedRowSum(indices: UnsafePointer<Int32>?, weights: UnsafePointer<Float>?, count: Int,
                                      source: UnsafePointer<Float>?, width: Int,
                                      into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        guard count > 0, let indices, let weights, let source else {
            if !accumulate { out.update(repeating: 0, count: width) }
            return
        }
        typealias Lanes = SIMD16<Float>
        let vectorWidth = width & ~(Lanes.scalarCount - 1)
        var k = 0
        var fresh = !accumulate
        while k < count {
            let group = min(4, count - k)
            let r0 = source + Int(indices[k]) * width
            let r1 = group > 1 ? source + Int(indices[k + 1]) * width : r0
            let r2 = group > 2 ? source + Int(indices[k + 2]) * width : r0
            let r3 = group > 3 ? source + Int(indices[k + 3]) * width : r0
            let w0 = weights[k]
            // Unused slots multiply by nothing: their terms are skipped below, not added as zero,
            // so a group of fewer than four rows sums exactly the same terms in the same order.
            let w1 = group > 1 ? weights[k + 1] : 0, w2 = group > 2 ? weights[k + 2] : 0
            let w3 = group > 3 ? weights[k + 3] : 0
            let v0 = Lanes(repeating: w0), v1 = Lanes(repeating: w1)
            let v2 = Lanes(repeating: w2), v3 = Lanes(repeating: w3)
            var j = 0
            if group == 4 {
                while j < vectorWidth {
                    let target = UnsafeMutableRawPointer(out + j)
                    var a = fresh ? Lanes() : target.loadUnaligned(as: Lanes.self)
                    a = a + v0 * UnsafeRawPointer(r0 + j).loadUnaligned(as: Lanes.self)
                    a = a + v1 * UnsafeRawPointer(r1 + j).loadUnaligned(as: Lanes.self)
                    a = a + v2 * UnsafeRawPointer(r2 + j).loadUnaligned(as: Lanes.self)
                    a = a + v3 * UnsafeRawPointer(r3 + j).loadUnaligned(as: Lanes.self)
                    target.storeBytes(of: a, as: Lanes.self)
                    j += Lanes.scalarCount
                }
            } else {
                while j < vectorWidth {
                    let target = UnsafeMutableRawPointer(out + j)
                    var a = fresh ? Lanes() : target.loadUnaligned(as: Lanes.self)
                    a = a + v0 * UnsafeRawPointer(r0 + j).loadUnaligned(as: Lanes.self)
                    if group > 1 { a = a + v1 * UnsafeRawPointer(r1 + j).loadUnaligned(as: Lanes.self) }
                    if group > 2 { a = a + v2 * UnsafeRawPointer(r2 + j).loadUnaligned(as: Lanes.self) }
                    target.storeBytes(of: a, as: Lanes.self)
                    j += Lanes.scalarCount
                }
            }
            while j < width {
                var a: Float = fresh ? 0 : out[j]
                a += w0 * r0[j]
                if group > 1 { a += w1 * r1[j] }
                if group > 2 { a += w2 * r2[j] }
                if group > 3 { a += w3 * r3[j] }
                out[j] = a
                j += 1
            }
            fresh = false
            k += group
        }
    }

    /// max_i (x_i + b_i), or max_i x_i without `b` (−∞ for count 0).
    @inlinable @inline(__always)
    public static func maximum(_ x: UnsafePointer<Float>, count: Int, plus b: UnsafePointer<Float>?) -> Float {
        typealias Lanes = SIMD16<Float>
        var i = 0
        var maxima = Lanes(repeating: -.infinity)
        while i + Lanes.scalarCount <= count {
            var values = UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self)
            if let b { values += UnsafeRawPointer(b + i).loadUnaligned(as: Lanes.self) }
            maxima.replace(with: values, where: values .> maxima)  // pointwiseMax is not vectorised
            i += Lanes.scalarCount
        }
        var maximum = maxima.max()
        while i < count { maximum = max(maximum, b.map { x[i] + $0[i] } ?? x[i]); i += 1 }
        return maximum
    }

    /// x ← e^(x − shift) in place, returning Σ e^(x − shift) (shift = max x: nothing overflows); with
    /// `b`, x ← e^(x + b − shift) for shift = max(x + b), so every argument is ≤ 0 and the
    /// overflow clamp is skipped (the same values as adding b first, about a tenth faster).
    @inlinable @inline(__always)
    public static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, plus b: UnsafePointer<Float>?,
                                    shiftedBy shift: Float) -> Float {
        typealias Lanes = SIMD16<Float>
        let shifts = Lanes(repeating: shift)
        var sums = Lanes()
        var i = 0
        if let b {
            while i + Lanes.scalarCount <= count {
                let z = UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self) + UnsafeRawPointer(b + i).loadUnaligned(as: Lanes.self)
                let e = nonPositiveExp(z - shifts)
                UnsafeMutableRawPointer(x + i).storeBytes(of: e, as: Lanes.self)
                sums += e
                i += Lanes.scalarCount
            }
        } else {
            while i + Lanes.scalarCount <= count {
                let e = softmaxExp(UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self) - shifts)
                UnsafeMutableRawPointer(x + i).storeBytes(of: e, as: Lanes.self)
                sums += e
                i += Lanes.scalarCount
            }
        }
        var total = sums.sum()
        while i < count {
            x[i] = b.map { nonPositiveExp(Lanes(repeating: (x[i] + $0[i]) - shift))[0] } ?? softmaxExp(Lanes(repeating: x[i] - shift))[0]
            total += x[i]
            i += 1
        }
        return total
    }

    /// x ← α·x.
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        typealias Lanes = SIMD16<Float>
        let a = Lanes(repeating: alpha)
        var i = 0
        while i + Lanes.scalarCount <= count {
            UnsafeMutableRawPointer(x + i).storeBytes(of: a * UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self), as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count { x[i] *= alpha; i += 1 }
    }

    /// y ← α·x + y.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        typealias Lanes = SIMD16<Float>
        let a = Lanes(repeating: alpha)
        var i = 0
        while i + Lanes.scalarCount <= count {
            let updated = a * UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self) + UnsafeRawPointer(y + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: updated, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count { y[i] += alpha * x[i]; i += 1 }
    }
}
