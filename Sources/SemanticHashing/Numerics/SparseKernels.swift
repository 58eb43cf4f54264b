/// Sparse × dense kernels for bag-of-words inputs (tens of non-zeros in ~10 000 columns).
enum SparseKernels {
    static func sparseTimesDense(_ s: SparseMatrix, _ w: Matrix, accumulate: Bool, into c: inout Matrix) {
        let h = w.columns
        if !accumulate { for i in c.storage.indices { c.storage[i] = 0 } }
        s.values.withUnsafeBufferPointer { vals in
            s.columnIndices.withUnsafeBufferPointer { cols in
                w.storage.withUnsafeBufferPointer { wp in
                    c.storage.withUnsafeMutableBufferPointer { cp in
                        for i in 0..<s.rows {
                            let out = cp.baseAddress! + i * h
                            for k in s.rowStart[i]..<s.rowStart[i + 1] {
                                let v = vals[k]
                                let src = wp.baseAddress! + Int(cols[k]) * h
                                for j in 0..<h { out[j] += v * src[j] }
                            }
                        }
                    }
                }
            }
        }
    }

    static func sparseTransposeTimesDense(_ s: SparseMatrix, _ g: Matrix) -> RowSparseMatrix {
        let h = g.columns
        // Compact the touched columns of S into consecutive slots.
        var slot = [Int32: Int]()
        var touched: [Int32] = []
        for c in s.columnIndices where slot[c] == nil { slot[c] = 0; touched.append(c) }
        touched.sort()
        for (k, c) in touched.enumerated() { slot[c] = k }
        var values = Matrix(rows: touched.count, columns: h)
        for i in 0..<s.rows {
            for k in s.rowStart[i]..<s.rowStart[i + 1] {
                let r = slot[s.columnIndices[k]]!
                let v = s.values[k]
                for j in 0..<h { values.storage[r * h + j] += v * g.storage[i * h + j] }
            }
        }
        return RowSparseMatrix(fullRows: s.columns, rowIndices: touched, values: values)
    }
}
