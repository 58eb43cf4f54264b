/// A trainable tensor with its gradient. Layers own parameters; the optimiser updates them.
///
/// The gradient is either dense (`gradient`) or, for a first layer over sparse inputs, row-sparse
/// (`rowSparseGradient`: only the rows the batch touched), which the optimiser can apply lazily.
/// A layer may leave the row-sparse gradient as the product that defines it
/// (`rowGradientProduct`), so the optimiser computes each row as it applies it instead of
/// writing all of them out and reading them back.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public var value: Matrix
    public var gradient: Matrix
    /// The row-sparse gradient (computed from `rowGradientProduct` when that is what is held).
    public var rowSparseGradient: RowSparseMatrix? {
        get { explicitRowGradient ?? rowGradientProduct?.materialized() }
        set {
            explicitRowGradient = newValue
            rowGradientProduct = nil
        }
    }
    /// The row-sparse gradient as Sᵀ·G, not yet computed.
    public var rowGradientProduct: SparseTransposeProduct? {
        didSet { if rowGradientProduct != nil { explicitRowGradient = nil } }
    }
    private var explicitRowGradient: RowSparseMatrix?

    /// Whether the gradient is row-sparse (held either way).
    public var hasRowSparseGradient: Bool { explicitRowGradient != nil || rowGradientProduct != nil }

    public init(name: String, value: Matrix) {
        self.name = name
        self.value = value
        self.gradient = Matrix(rows: value.rows, columns: value.columns)
    }

    /// Sets the gradient to zero. A row-sparse gradient is simply dropped: its dense twin was never
    /// written, and clearing a 10 000 × 500 matrix every step would cost more than the step's products.
    public func zeroGradient() {
        if hasRowSparseGradient {
            rowSparseGradient = nil
            return
        }
        gradient.storage.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
        }
    }
}

/// Glorot-uniform initialisation (Keras' default for Dense kernels):
/// ```
/// w ~ U(−a, a),  a = √(6 / (fan_in + fan_out))
/// ```
public func glorotUniform(rows: Int, columns: Int, random: inout RandomSource) -> Matrix {
    let limit = (6.0 / Float(rows + columns)).squareRoot()
    var m = Matrix(rows: rows, columns: columns)
    for i in m.storage.indices { m.storage[i] = random.uniform(-limit, limit) }
    return m
}
