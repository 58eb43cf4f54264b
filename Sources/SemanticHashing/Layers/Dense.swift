/// A fully connected layer.
///
/// ```
/// forward:  y = x·W + b                  W: in × out, b: 1 × out
/// backward: ∂W = xᵀ·∂y,  ∂b = Σ_rows ∂y,  ∂x = ∂y·Wᵀ
/// ```
/// Sparse inputs use sparse products and give a row-sparse ∂W (only the rows the batch touched).
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
        precondition(x.columns == inputDimensions, "Dense: input has \(x.columns) columns, layer expects \(inputDimensions)")
        lastInput = x
        var y = Matrix(rows: x.rows, columns: outputDimensions)
        switch x {
        case .dense(let d): LinearAlgebra.gemm(d, weight.value, into: &y)
        case .sparse(let s): LinearAlgebra.sparseTimesDense(s, weight.value, into: &y)
        }
        addBias(to: &y)
        return y
    }

    public func callAsFunction(_ x: Matrix) -> Matrix { self(.dense(x)) }

    /// y = x·W + b without remembering x (inference).
    public func apply(_ x: FeatureMatrix) -> Matrix {
        var y = Matrix(rows: x.rows, columns: outputDimensions)
        switch x {
        case .dense(let d): LinearAlgebra.gemm(d, weight.value, into: &y)
        case .sparse(let s): LinearAlgebra.sparseTimesDense(s, weight.value, into: &y)
        }
        addBias(to: &y)
        return y
    }

    /// Accumulates ∂W, ∂b from ∂y and returns ∂x (nil when `needInputGradient` is false or x was sparse).
    @discardableResult
    public func backward(_ gradOutput: Matrix, needInputGradient: Bool = true) -> Matrix? {
        guard let x = lastInput else { preconditionFailure("Dense.backward called before forward") }
        precondition(gradOutput.rows == x.rows && gradOutput.columns == outputDimensions, "Dense.backward: gradient shape")
        switch x {
        case .dense(let d):
            LinearAlgebra.gemm(d, transposeA: true, gradOutput, alpha: 1, beta: 1, into: &weight.gradient)
        case .sparse(let s):
            precondition(weight.rowSparseGradient == nil, "Dense.backward: row-sparse gradient already set")
            weight.rowSparseGradient = LinearAlgebra.sparseTransposeTimesDense(s, gradOutput)
        }
        let n = gradOutput.rows, h = outputDimensions
        gradOutput.storage.withUnsafeBufferPointer { g in
            bias.gradient.storage.withUnsafeMutableBufferPointer { b in
                for i in 0..<n { for j in 0..<h { b[j] += g[i * h + j] } }
            }
        }
        guard needInputGradient, case .dense = x else { return nil }
        var gradInput = Matrix(rows: n, columns: inputDimensions)
        LinearAlgebra.gemm(gradOutput, weight.value, transposeB: true, into: &gradInput)
        return gradInput
    }

    private func addBias(to y: inout Matrix) {
        let h = outputDimensions
        bias.value.storage.withUnsafeBufferPointer { b in
            y.storage.withUnsafeMutableBufferPointer { out in
                for i in 0..<y.rows { for j in 0..<h { out[i * h + j] += b[j] } }
            }
        }
    }
}
