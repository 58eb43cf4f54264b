/// A fully connected layer.
///
/// ```
/// forward:  y = x·W + b                  W: in × out, b: 1 × out
/// backward: ∂W = xᵀ·∂y,  ∂b = Σ_rows ∂y,  ∂x = ∂y·Wᵀ
/// ```
/// Sparse inputs use sparse products and give a row-sparse ∂W (only the rows the batch touched),
/// held as the product Sᵀ·∂y until the optimiser reads it.
///
/// ```swift
/// let layer = Dense(inputDimensions: 500, outputDimensions: 16, random: &rng)
/// let y = layer(.dense(x))
/// ```
public final class Dense: @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter
    private var lastInput: FeatureMatrix?

    public init(inputDimensions: Int, outputDimensions: Int, random: inout RandomSource, name: String = "dense") {
        weight = Parameter(name: "\(name).weight",
                           value: glorotUniform(rows: inputDimensions, columns: outputDimensions, random: &random))
        bias = Parameter(name: "\(name).bias", value: Matrix(rows: 1, columns: outputDimensions))
    }

    public var inputDimensions: Int { weight.value.rows }
    public var outputDimensions: Int { weight.value.columns }
    public var parameters: [Parameter] { [weight, bias] }

    /// y = x·W + b; remembers x for `backward`.
    public func callAsFunction(_ x: FeatureMatrix) -> Matrix {
        lastInput = x
        return apply(x)
    }

    public func callAsFunction(_ x: Matrix) -> Matrix { self(.dense(x)) }

    /// y = x·W + b without remembering x (inference).
    public func apply(_ x: FeatureMatrix) -> Matrix {
        precondition(x.columns == inputDimensions, "Dense: input has \(x.columns) columns, layer expects \(inputDimensions)")
        return x.times(weight.value, plus: bias.value)
    }

    /// y ← x·W without the bias (a caller that adds it in a later pass of its own); remembers x
    /// for `backward`, which the caller then runs with `accumulatingBias: false` after adding
    /// ∂b itself.
    func product(_ x: Matrix, into y: inout Matrix) {
        precondition(x.columns == inputDimensions, "Dense: input has \(x.columns) columns, layer expects \(inputDimensions)")
        lastInput = .dense(x)
        LinearAlgebra.gemm(x, weight.value, into: &y)
    }

    /// Accumulates ∂W (and ∂b unless `accumulatingBias` is false) from ∂y and returns ∂x (nil
    /// when `needInputGradient` is false or x was sparse).
    @discardableResult
    public func backward(_ gradOutput: Matrix, needInputGradient: Bool = true, accumulatingBias: Bool = true) -> Matrix? {
        guard let x = lastInput else { preconditionFailure("Dense.backward called before forward") }
        precondition(gradOutput.rows == x.rows && gradOutput.columns == outputDimensions, "Dense.backward: gradient shape")
        switch x {
        case .dense(let d):
            LinearAlgebra.gemm(d, transposeA: true, gradOutput, alpha: 1, beta: 1, into: &weight.gradient)
        case .sparse(let s):
            precondition(!weight.hasRowSparseGradient, "Dense.backward: row-sparse gradient already set")
            // Left as Sᵀ·∂y: the optimiser computes each row as it applies it (see `Parameter`).
            weight.rowGradientProduct = PhaseProfiler.during(.sparseInput) { SparseTransposeProduct(s, gradOutput) }
        }
        let n = gradOutput.rows, h = outputDimensions
        if accumulatingBias {
            gradOutput.storage.withUnsafeBufferPointer { g in
                bias.gradient.storage.withUnsafeMutableBufferPointer { b in
                    for i in 0..<n { VectorMath.axpy(1, UnsafeBufferPointer(rebasing: g[(i * h)..<((i + 1) * h)]), b) }
                }
            }
        }
        guard needInputGradient, case .dense = x else { return nil }
        var gradInput = Matrix(rows: n, columns: inputDimensions)
        LinearAlgebra.gemm(gradOutput, weight.value, transposeB: true, into: &gradInput)
        return gradInput
    }
}

extension Array where Element == Float {
    /// `row` repeated `count` times, end to end.
    init(repeatedRows row: [Float], count: Int) {
        self.init()
        reserveCapacity(row.count * count)
        for _ in 0..<count { append(contentsOf: row) }
    }
}
