/// Sᵀ·G for a sparse S (n × D) and a dense G (n × H), kept as its inputs and computed one
/// non-zero row at a time: the weight gradient of a first layer over bag-of-words inputs, which
/// the optimiser can consume row by row instead of reading a materialised copy.
///
/// ```
/// row t of the result = column c_t of Sᵀ·G = Σ_{(i, c_t, v) ∈ S} v · G[i, :]     c_0 < c_1 < … the columns S uses
/// ```
/// The non-zeros are grouped by column once (a counting sort: `slotStart[t] ..< slotStart[t + 1]`
/// are column c_t's entries in increasing row order), so each row is one `weightedRowSum` with
/// its terms in row order, whichever thread computes it and whether or not it is materialised.
///
/// ```swift
/// let product = SparseTransposeProduct(s, g)
/// product.computeRow(0, into: buffer)            // the gradient of weight row product.columns[0]
/// ```
public struct SparseTransposeProduct: Sendable {
    /// D, the rows of the full result.
    public let fullRows: Int
    /// The columns of S with at least one non-zero, increasing: the result's non-zero rows.
    public let columns: [Int32]
    private let slotStart: [Int]
    private let entryRow: [Int32]
    private let entryValue: [Float]
    private let g: Matrix

    public init(_ s: SparseMatrix, _ g: Matrix) {
        precondition(s.rows == g.rows, "SparseTransposeProduct: S has \(s.rows) rows, G has \(g.rows)")
        let nnz = s.nonZeroCount
        var slotOfColumn = [Int32](repeating: 0, count: s.columns)
        var touched: [Int32] = []
        var slotStart: [Int] = [0]
        var entryRow = [Int32](repeating: 0, count: nnz)
        var entryValue = [Float](repeating: 0, count: nnz)
        s.columnIndices.withUnsafeBufferPointer { columns in
            slotOfColumn.withUnsafeMutableBufferPointer { slotOf in
                for k in 0..<nnz { slotOf[Int(columns[k])] += 1 }
                for column in 0..<s.columns where slotOf[column] > 0 {
                    let count = Int(slotOf[column])
                    slotOf[column] = Int32(touched.count)
                    touched.append(Int32(column))
                    slotStart.append(slotStart[slotStart.count - 1] + count)
                }
                var next = slotStart
                s.rowStart.withUnsafeBufferPointer { starts in
                    s.values.withUnsafeBufferPointer { values in
                        for i in 0..<s.rows {
                            for k in starts[i]..<starts[i + 1] {
                                let slot = Int(slotOf[Int(columns[k])])
                                entryRow[next[slot]] = Int32(i)
                                entryValue[next[slot]] = values[k]
                                next[slot] += 1
                            }
                        }
                    }
                }
            }
        }
        fullRows = s.columns
        columns = touched
        self.slotStart = slotStart
        self.entryRow = entryRow
        self.entryValue = entryValue
        self.g = g
    }

    /// H, the width of a row.
    public var width: Int { g.columns }

    /// Writes row `slot` (of weight row `columns[slot]`) to `out[0 ..< width]`.
    public func computeRow(_ slot: Int, into out: UnsafeMutablePointer<Float>) {
        let first = slotStart[slot], count = slotStart[slot + 1] - first
        entryRow.withUnsafeBufferPointer { rows in
            entryValue.withUnsafeBufferPointer { values in
                g.storage.withUnsafeBufferPointer { source in
                    VectorKernelLevel.kernels.weightedRowSum(indices: rows.baseAddress! + first, weights: values.baseAddress! + first,
                                                             count: count, source: source.baseAddress, width: width, into: out,
                                                             accumulate: false)
                }
            }
        }
    }

    /// All rows at once, spread over threads for large products.
    public func materialized() -> RowSparseMatrix {
        let slots = columns.count, width = self.width
        // Every element is written by computeRow, so the storage starts uninitialized rather than
        // paying for a zero fill of up to D × H floats.
        var storage = [Float](unsafeUninitializedCapacity: slots * width) { _, initialized in initialized = slots * width }
        if slots > 0 && width > 0 {
            let tasks = min(ParallelExecution.threadCount, slots)
            let serial = entryRow.count * width < SparseKernels.parallelThreshold
            storage.withUnsafeMutableBufferPointer { output in
                parallelFor(serial ? 1 : tasks, serial: serial) { task in
                    for slot in ParallelExecution.chunk(task, of: serial ? 1 : tasks, total: slots) {
                        computeRow(slot, into: output.baseAddress! + slot * width)
                    }
                }
            }
        }
        return RowSparseMatrix(fullRows: fullRows, rowIndices: columns, values: Matrix(rows: slots, columns: width, storage: storage))
    }
}
