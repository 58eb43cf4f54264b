/// Single-precision matrix product in portable Swift: cache-blocked, operands packed into
/// contiguous panels, a 6×8 SIMD register tile as the inner kernel, and tiles of C spread over
/// threads with `parallelFor`.
///
/// ```
/// C ← α·op(A)·op(B) + β·C        op(X) = X or Xᵀ;  op(A): m×k, op(B): k×n, C: m×n (row-major)
/// β = 0 overwrites C (NaN or garbage in C does not leak into the result), as in BLAS.
/// ```
///
/// ```swift
/// a.withUnsafeBufferPointer { … PortableGEMM.gemm(false, true, m, n, k, 1, ap, k, bp, k, 0, cp, n) }
/// ```
/// Model code reaches this through `LinearAlgebra.gemm` / `ComputeBackend.portable`.
enum PortableGEMM {
    /// Register tile: 6 rows × 8 columns = 6 `SIMD8<Float>` accumulators. With the default
    /// x86-64 target (SSE2, 16 xmm registers) that is 12 accumulator registers + 2 for the B row
    /// + 1 for the broadcast A element, so nothing spills; wider tiles would.
    static let tileRows = 6
    static let tileColumns = 8
    /// Each packed A element is stored this many times (one SSE register's worth).
    static let broadcastWidth = 4
    /// Depth of one packed block. The loop keeps one 6-row A strip (6×128 floats ×4 broadcast
    /// copies = 12 KB) in L1 while the 8-column B micro-panels (4 KB each) stream past it from
    /// L2. The other order (B panel in L1, A strips streamed) moved 3× more bytes per multiply
    /// from L2, because of A's broadcast copies, and ran 2–3× slower.
    static let blockDepth = 128
    /// Rows of A packed at once: 72×128 floats ×4 copies = 144 KB.
    static let blockRows = 72
    /// Columns of B packed at once: 128×512 floats = 256 KB, so the B block stays in L2.
    static let blockColumns = 512
    /// Below this many multiply-adds a single thread is faster than dispatching.
    static let parallelThreshold = 1 << 17

    static func gemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 || alpha == 0 {
            scaleOutput(c, rows: m, columns: n, ldc: ldc, by: beta)
            return
        }
        let operands = Operands(transposeA: transposeA, transposeB: transposeB, k: k, alpha: alpha,
                                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        let threads = ParallelExecution.threadCount
        let serial = m * n * k < parallelThreshold || threads == 1
        let grid = serial ? (rows: 1, columns: 1) : taskGrid(m: m, n: n, tasks: threads)
        parallelFor(grid.rows * grid.columns, serial: serial) { task in
            let rowRange = ParallelExecution.chunk(task / grid.columns, of: grid.rows, total: m, granularity: tileRows)
            let columnRange = ParallelExecution.chunk(task % grid.columns, of: grid.columns, total: n,
                                                      granularity: tileColumns)
            if !rowRange.isEmpty && !columnRange.isEmpty {
                computeTile(operands, rows: rowRange, columns: columnRange)
            }
        }
    }

    /// The pointers and scalars of one call, passed to each task.
    private struct Operands {
        let transposeA: Bool, transposeB: Bool
        let k: Int
        let alpha: Float
        let a: UnsafePointer<Float>, lda: Int
        let b: UnsafePointer<Float>, ldb: Int
        let beta: Float
        let c: UnsafeMutablePointer<Float>, ldc: Int
    }

    /// Splits C into rows×columns tasks (product = `tasks`) so that the tasks' register-tile
    /// counts are as even as possible; ties go to splitting columns, whose B panels are the
    /// larger operand to pack.
    private static func taskGrid(m: Int, n: Int, tasks: Int) -> (rows: Int, columns: Int) {
        let rowTiles = (m + tileRows - 1) / tileRows
        let columnTiles = (n + tileColumns - 1) / tileColumns
        func balance(_ units: Int, _ parts: Int) -> Double {
            Double(units) / Double(parts * ((units + parts - 1) / parts))
        }
        var best = (rows: 1, columns: tasks), bestScore = -1.0
        for rowParts in 1...tasks where tasks % rowParts == 0 {
            let columnParts = tasks / rowParts
            let score = balance(rowTiles, rowParts) * balance(columnTiles, columnParts)
            if score > bestScore + 1e-9 || (abs(score - bestScore) <= 1e-9 && columnParts > best.columns) {
                best = (rowParts, columnParts)
                bestScore = score
            }
        }
        return best
    }

    /// C[rows, columns] ← α·op(A)[rows, :]·op(B)[:, columns] + β·C[rows, columns], single-threaded.
    private static func computeTile(_ o: Operands, rows: Range<Int>, columns: Range<Int>) {
        let depthCap = min(blockDepth, o.k)
        let rowCap = min(blockRows, roundUp(rows.count, tileRows))
        let columnCap = min(blockColumns, roundUp(columns.count, tileColumns))
        // 64-byte alignment keeps every SIMD8 load inside one cache line.
        let packedACount = rowCap * depthCap * broadcastWidth
        let packedA = UnsafeMutablePointer<Float>(
            UnsafeMutableRawPointer.allocate(byteCount: packedACount * 4, alignment: 64)
                .bindMemory(to: Float.self, capacity: packedACount))
        let packedB = UnsafeMutablePointer<Float>(
            UnsafeMutableRawPointer.allocate(byteCount: columnCap * depthCap * 4, alignment: 64)
                .bindMemory(to: Float.self, capacity: columnCap * depthCap))
        defer {
            UnsafeMutableRawPointer(packedA).deallocate()
            UnsafeMutableRawPointer(packedB).deallocate()
        }
        for j0 in stride(from: columns.lowerBound, to: columns.upperBound, by: blockColumns) {
            let width = min(blockColumns, columns.upperBound - j0)
            for p0 in stride(from: 0, to: o.k, by: blockDepth) {
                let depth = min(blockDepth, o.k - p0)
                // Later depth blocks add onto what the first one wrote.
                let beta = p0 == 0 ? o.beta : 1
                packB(o, depth: p0..<(p0 + depth), columns: j0..<(j0 + width), into: packedB)
                for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                    let height = min(blockRows, rows.upperBound - i0)
                    packA(o, rows: i0..<(i0 + height), depth: p0..<(p0 + depth), into: packedA)
                    for it in stride(from: 0, to: height, by: tileRows) {
                        let stripA = packedA + it * depth * broadcastWidth
                        for jt in stride(from: 0, to: width, by: tileColumns) {
                            microKernel(depth: depth, a: stripA, b: packedB + jt * depth,
                                        c: o.c + (i0 + it) * o.ldc + j0 + jt, ldc: o.ldc,
                                        rows: min(tileRows, height - it), columns: min(tileColumns, width - jt),
                                        alpha: o.alpha, beta: beta)
                        }
                    }
                }
            }
        }
    }

    /// Packs op(A)[rows, depth] as consecutive strips of `tileRows` rows. Within a strip, each
    /// depth index holds its `tileRows` values, each repeated `broadcastWidth` times, so the
    /// micro-kernel multiplies by a plain aligned load instead of a load + shuffle per element
    /// (shuffles compete with the multiplies for the same SSE ports). Rows past the end are zero.
    private static func packA(_ o: Operands, rows: Range<Int>, depth: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let kc = depth.count
        let strideBytes = tileRows * broadcastWidth * 4
        var dst = UnsafeMutableRawPointer(out)
        @inline(__always) func put(_ value: Float, _ d: UnsafeMutableRawPointer, _ r: Int) {
            d.storeBytes(of: SIMD4<Float>(repeating: value), toByteOffset: r * 16, as: SIMD4<Float>.self)
        }
        for i0 in Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: tileRows) {
            let valid = min(tileRows, rows.upperBound - i0)
            if valid == tileRows && !o.transposeA {
                // op(A)[i, p] = A[i, p]: six row pointers walked in step.
                let r0 = o.a + i0 * o.lda + depth.lowerBound
                let r1 = r0 + o.lda, r2 = r1 + o.lda, r3 = r2 + o.lda, r4 = r3 + o.lda, r5 = r4 + o.lda
                var d = dst
                for p in 0..<kc {
                    put(r0[p], d, 0); put(r1[p], d, 1); put(r2[p], d, 2)
                    put(r3[p], d, 3); put(r4[p], d, 4); put(r5[p], d, 5)
                    d += strideBytes
                }
            } else if valid == tileRows {
                // op(A)[i, p] = A[p, i]: six adjacent floats per depth index.
                var src = o.a + depth.lowerBound * o.lda + i0
                var d = dst
                for _ in 0..<kc {
                    put(src[0], d, 0); put(src[1], d, 1); put(src[2], d, 2)
                    put(src[3], d, 3); put(src[4], d, 4); put(src[5], d, 5)
                    src += o.lda
                    d += strideBytes
                }
            } else {
                for p in 0..<kc {
                    let d = dst + p * strideBytes
                    for r in 0..<tileRows {
                        let i = i0 + r, q = depth.lowerBound + p
                        put(r >= valid ? 0 : (o.transposeA ? o.a[q * o.lda + i] : o.a[i * o.lda + q]), d, r)
                    }
                }
            }
            dst += strideBytes * kc
        }
    }

    /// Packs op(B)[depth, columns] as consecutive strips of `tileColumns` columns; within a strip,
    /// the `tileColumns` values of each depth index are adjacent. Columns past the end are zero.
    private static func packB(_ o: Operands, depth: Range<Int>, columns: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let kc = depth.count
        var dst = out
        for j0 in stride(from: columns.lowerBound, to: columns.upperBound, by: tileColumns) {
            let valid = min(tileColumns, columns.upperBound - j0)
            if valid == tileColumns && o.transposeB {
                // op(B)[p, j] = B[j, p]: eight rows of B walked in step, one SIMD8 store per depth index.
                let s0 = o.b + j0 * o.ldb + depth.lowerBound
                let s1 = s0 + o.ldb, s2 = s1 + o.ldb, s3 = s2 + o.ldb
                let s4 = s3 + o.ldb, s5 = s4 + o.ldb, s6 = s5 + o.ldb, s7 = s6 + o.ldb
                for p in 0..<kc {
                    let column = SIMD8<Float>(s0[p], s1[p], s2[p], s3[p], s4[p], s5[p], s6[p], s7[p])
                    UnsafeMutableRawPointer(dst + p * tileColumns).storeBytes(of: column, as: SIMD8<Float>.self)
                }
            } else if valid == tileColumns {
                var src = UnsafeRawPointer(o.b + depth.lowerBound * o.ldb + j0)
                let rowBytes = o.ldb * 4
                for p in 0..<kc {
                    UnsafeMutableRawPointer(dst + p * tileColumns).storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self),
                                                                              as: SIMD8<Float>.self)
                    src += rowBytes
                }
            } else {
                for p in 0..<kc {
                    let d = dst + p * tileColumns
                    for q in 0..<tileColumns {
                        let j = j0 + q, r = depth.lowerBound + p
                        d[q] = q >= valid ? 0 : (o.transposeB ? o.b[j * o.ldb + r] : o.b[r * o.ldb + j])
                    }
                }
            }
            dst += tileColumns * kc
        }
    }

    /// C[0..<rows, 0..<columns] ← α·(Ã·B̃) + β·C for one packed 6×depth strip Ã (broadcast layout)
    /// and depth×8 strip B̃. Kept out of line so the register allocator sees only this loop.
    @inline(never)
    private static func microKernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
                                    alpha: Float, beta: Float) {
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
        var c3 = SIMD8<Float>(), c4 = SIMD8<Float>(), c5 = SIMD8<Float>()
        var ap = UnsafeRawPointer(a)
        var bp = UnsafeRawPointer(b)
        let bEnd = bp + depth * tileColumns * 4
        // Written in SSE-register halves, with a pointer-bounded `while`: a counted `for` loop
        // made LLVM rotate the accumulators through copies and spill half of them to the stack.
        @inline(__always) func product(_ offset: Int, _ low: SIMD4<Float>, _ high: SIMD4<Float>) -> SIMD8<Float> {
            let element = ap.load(fromByteOffset: offset, as: SIMD4<Float>.self)
            return SIMD8(lowHalf: element * low, highHalf: element * high)
        }
        while bp < bEnd {
            let low = bp.load(as: SIMD4<Float>.self)
            let high = bp.load(fromByteOffset: 16, as: SIMD4<Float>.self)
            c0 = c0 + product(0, low, high)
            c1 = c1 + product(16, low, high)
            c2 = c2 + product(32, low, high)
            c3 = c3 + product(48, low, high)
            c4 = c4 + product(64, low, high)
            c5 = c5 + product(80, low, high)
            ap += 96
            bp += 32
        }
        if rows == tileRows && columns == tileColumns {
            storeRow(c0, c, alpha, beta); storeRow(c1, c + ldc, alpha, beta)
            storeRow(c2, c + 2 * ldc, alpha, beta); storeRow(c3, c + 3 * ldc, alpha, beta)
            storeRow(c4, c + 4 * ldc, alpha, beta); storeRow(c5, c + 5 * ldc, alpha, beta)
        } else {
            let tile = (c0, c1, c2, c3, c4, c5)
            withUnsafeBytes(of: tile) { raw in
                let values = raw.bindMemory(to: Float.self)
                for r in 0..<rows {
                    let out = c + r * ldc
                    for q in 0..<columns {
                        let product = alpha * values[r * tileColumns + q]
                        out[q] = beta == 0 ? product : product + beta * out[q]
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func storeRow(_ accumulator: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) {
        let raw = UnsafeMutableRawPointer(out)
        var value = alpha == 1 ? accumulator : alpha * accumulator
        if beta != 0 {
            let old = UnsafeRawPointer(raw).loadUnaligned(as: SIMD8<Float>.self)
            value += beta == 1 ? old : beta * old
        }
        raw.storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// C ← β·C (β = 0 writes zeros, clearing NaNs) for the degenerate k = 0 or α = 0 products.
    static func scaleOutput(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, by beta: Float) {
        if beta == 1 { return }
        for i in 0..<rows {
            let row = c + i * ldc
            for j in 0..<columns { row[j] = beta == 0 ? 0 : beta * row[j] }
        }
    }

    private static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
