/// The loops of `BatchNorm`, eight columns at a time (rows × columns, row-major).
///
/// ```
/// columnStatistics:  x' = ReLU(x) if rectifying else x;  μ_j = Σ_i x'_ij / n;  σ²_j = Σ_i (x'_ij − μ_j)² / n
/// normalize:         x̂ = (x' − μ)·s,  y = γ·x̂ + β                        s = 1/√(σ² + ε)
/// backward:          ∂x = γs·((∂y − Σ_i ∂y / n) − x̂·Σ_i(∂y ⊙ x̂) / n)  ⊙ [x' > 0 if rectified]
///                    ∂γ += Σ_i ∂y ⊙ x̂,   ∂β += Σ_i ∂y
/// affine:            y = x'·scale + shift                                   (inference)
/// ```
/// Each call handles the columns `range` of a row-major matrix with `stride` columns, so blocks of
/// columns can go to different threads. Every column's sums run over the rows in order and each
/// element sees the same operations as the one-element-at-a-time loops these replace, so the
/// results are bit-for-bit the same; only eight columns now go through each instruction.
///
/// ```swift
/// NormalizationKernels.columnStatistics(x, rows: n, stride: c, columns: 0..<c, rectifying: true, keeping: kept, mean: mu, variance: s2)
/// ```
enum NormalizationKernels {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
    @inline(__always)
    private static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self) }

    /// Writes x' to `kept` and the column means and (biased) variances of x' (columns `range`).
    static func columnStatistics(_ x: UnsafePointer<Float>, rows n: Int, stride c: Int, columns range: Range<Int>, rectifying: Bool,
                                 keeping kept: UnsafeMutablePointer<Float>, mean mu: UnsafeMutablePointer<Float>,
                                 variance sigma2: UnsafeMutablePointer<Float>) {
        let first = range.lowerBound, last = range.upperBound, vectorColumns = first + (range.count & ~7)
        (mu + first).update(repeating: 0, count: range.count)
        (sigma2 + first).update(repeating: 0, count: range.count)
        for i in 0..<n {
            let row = x + i * c, out = kept + i * c
            var j = first
            while j < vectorColumns {
                var v = load(row + j)
                if rectifying { v.replace(with: 0, where: v .< 0) }
                store(v, out + j)
                store(load(mu + j) + v, mu + j)
                j += 8
            }
            while j < last {
                var v = row[j]
                if rectifying && v < 0 { v = 0 }
                out[j] = v
                mu[j] += v
                j += 1
            }
        }
        let count = Float(n)
        for j in range { mu[j] /= count }
        for i in 0..<n {
            let row = kept + i * c
            var j = first
            while j < vectorColumns {
                let d = load(row + j) - load(mu + j)
                store(load(sigma2 + j) + d * d, sigma2 + j)
                j += 8
            }
            while j < last {
                let d = row[j] - mu[j]
                sigma2[j] += d * d
                j += 1
            }
        }
        for j in range { sigma2[j] /= count }
    }

    /// x̂ = (x − μ)·s and y = γ·x̂ + β.
    static func normalize(_ x: UnsafePointer<Float>, rows n: Int, stride c: Int, columns range: Range<Int>, mean: [Float], inverseStd: [Float],
                          gamma: [Float], beta: [Float], normalized: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let first = range.lowerBound, last = range.upperBound, vectorColumns = first + (range.count & ~7)
        mean.withUnsafeBufferPointer { muBuffer in
            inverseStd.withUnsafeBufferPointer { sBuffer in
                gamma.withUnsafeBufferPointer { gBuffer in
                    beta.withUnsafeBufferPointer { bBuffer in
                        let mu = muBuffer.baseAddress!, s = sBuffer.baseAddress!, g = gBuffer.baseAddress!, b = bBuffer.baseAddress!
                        for i in 0..<n {
                            let row = x + i * c, xHat = normalized + i * c, y = output + i * c
                            var j = first
                            while j < vectorColumns {
                                let v = (load(row + j) - load(mu + j)) * load(s + j)
                                store(v, xHat + j)
                                store(load(g + j) * v + load(b + j), y + j)
                                j += 8
                            }
                            while j < last {
                                let v = (row[j] - mu[j]) * s[j]
                                xHat[j] = v
                                y[j] = g[j] * v + b[j]
                                j += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// ∂x from ∂y (masked by x' > 0 when `rectifiedInput` is given); accumulates ∂γ and ∂β.
    static func backward(_ gradOutput: UnsafePointer<Float>, normalized: UnsafePointer<Float>, rows n: Int, stride c: Int, columns range: Range<Int>,
                         gamma: [Float], inverseStd: [Float], rectifiedInput: UnsafePointer<Float>?,
                         gammaGradient: UnsafeMutablePointer<Float>, betaGradient: UnsafeMutablePointer<Float>,
                         into gradInput: UnsafeMutablePointer<Float>) {
        let first = range.lowerBound, last = range.upperBound, vectorColumns = first + (range.count & ~7)
        var sumG = [Float](repeating: 0, count: c), sumGX = [Float](repeating: 0, count: c)
        var scale = [Float](repeating: 0, count: c), meanG = [Float](repeating: 0, count: c)
        let count = Float(n)
        for j in range { scale[j] = gamma[j] * inverseStd[j] }
        sumG.withUnsafeMutableBufferPointer { sgBuffer in
            sumGX.withUnsafeMutableBufferPointer { sgxBuffer in
                let sg = sgBuffer.baseAddress!, sgx = sgxBuffer.baseAddress!
                for i in 0..<n {
                    let g = gradOutput + i * c, xHat = normalized + i * c
                    var j = first
                    while j < vectorColumns {
                        let gv = load(g + j)
                        store(load(sg + j) + gv, sg + j)
                        store(load(sgx + j) + gv * load(xHat + j), sgx + j)
                        j += 8
                    }
                    while j < last {
                        sg[j] += g[j]
                        sgx[j] += g[j] * xHat[j]
                        j += 1
                    }
                }
                for j in range { meanG[j] = sg[j] / count }
                scale.withUnsafeBufferPointer { scaleBuffer in
                    meanG.withUnsafeBufferPointer { meanBuffer in
                        let s = scaleBuffer.baseAddress!, mg = meanBuffer.baseAddress!
                        let counts = Lanes(repeating: count)
                        for i in 0..<n {
                            let g = gradOutput + i * c, xHat = normalized + i * c, dx = gradInput + i * c
                            let kept = rectifiedInput.map { $0 + i * c }
                            var j = first
                            while j < vectorColumns {
                                var v = load(s + j) * (load(g + j) - load(mg + j) - load(xHat + j) * load(sgx + j) / counts)
                                if let kept { v.replace(with: 0, where: load(kept + j) .<= 0) }
                                store(v, dx + j)
                                j += 8
                            }
                            while j < last {
                                var v = s[j] * (g[j] - mg[j] - xHat[j] * sgx[j] / count)
                                if let kept, kept[j] <= 0 { v = 0 }
                                dx[j] = v
                                j += 1
                            }
                        }
                    }
                }
                for j in range {
                    gammaGradient[j] += sgx[j]
                    betaGradient[j] += sg[j]
                }
            }
        }
    }

    /// y = x'·scale + shift per column (x' = ReLU(x) when rectifying).
    static func affine(_ x: UnsafePointer<Float>, rows n: Int, stride c: Int, columns range: Range<Int>, scale: [Float], shift: [Float],
                       rectifying: Bool, into y: UnsafeMutablePointer<Float>) {
        let first = range.lowerBound, last = range.upperBound, vectorColumns = first + (range.count & ~7)
        scale.withUnsafeBufferPointer { scaleBuffer in
            shift.withUnsafeBufferPointer { shiftBuffer in
                let s = scaleBuffer.baseAddress!, b = shiftBuffer.baseAddress!
                for i in 0..<n {
                    let row = x + i * c, out = y + i * c
                    var j = first
                    while j < vectorColumns {
                        var v = load(row + j)
                        if rectifying { v.replace(with: 0, where: v .< 0) }
                        store(v * load(s + j) + load(b + j), out + j)
                        j += 8
                    }
                    while j < last {
                        var v = row[j]
                        if rectifying && v < 0 { v = 0 }
                        out[j] = v * s[j] + b[j]
                        j += 1
                    }
                }
            }
        }
    }
}
