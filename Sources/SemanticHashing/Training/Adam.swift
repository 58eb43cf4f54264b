import Foundation
import VectorKernels

/// The Adam optimiser (Keras defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7).
///
/// ```
/// t ← t + 1,  m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
/// w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
/// ```
/// A parameter with a row-sparse gradient (first layer over bag-of-words input) is updated lazily:
/// only the rows the batch touched move (as TensorFlow's LazyAdam / PyTorch's SparseAdam do).
/// When that gradient is held as Sᵀ·G, each row is computed into a scratch row and applied at
/// once, so the rows are never written out and read back.
/// Untouched rows would otherwise still drift by their momentum every step, which costs a full
/// pass over a 10 000 × 500 matrix per step; set `lazyRowUpdates = false` for exact dense Adam.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters)
/// adam.step()
/// ```
public final class Adam: @unchecked Sendable {
    // The moment buffers are owned here and touched only inside `step`.

    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public var lazyRowUpdates: Bool
    public private(set) var step = 0
    private let firstMoments: [UnsafeMutablePointer<Float>]
    private let secondMoments: [UnsafeMutablePointer<Float>]

    /// Elements per work item: the update is spread over the worker threads in pieces this big
    /// (whole rows for row-sparse gradients), all parameters in one parallel loop.
    static let pieceSize = 1 << 15

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, lazyRowUpdates: Bool = true) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazyRowUpdates = lazyRowUpdates
        func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        firstMoments = parameters.map { zeros($0.value.count) }
        secondMoments = parameters.map { zeros($0.value.count) }
    }

    deinit {
        for p in firstMoments + secondMoments { p.deallocate() }
    }

    /// Applies one update from the parameters' current gradients; with `zeroingGradients` the
    /// dense gradients are cleared in the same pass that reads them.
    public func step(zeroingGradients: Bool = true) {
        PhaseProfiler.during(.optimizer) { update(zeroingGradients: zeroingGradients) }
    }

    /// One piece of work: `count` elements from `offset` of parameter `parameter`, or (for a
    /// row-sparse gradient) its gradient rows `rows`.
    private struct Piece {
        var parameter: Int
        var offset: Int
        var count: Int
        var rows: Range<Int>?
    }

    /// A parameter's row-sparse gradient as the update reads it.
    private enum RowGradient {
        case rows(RowSparseMatrix)
        /// Each row computed into a scratch row just before it is applied.
        case product(SparseTransposeProduct)

        var rowCount: Int {
            switch self { case .rows(let r): return r.rowIndices.count; case .product(let p): return p.columns.count }
        }
    }

    private func update(zeroingGradients: Bool) {
        step += 1
        let t = Double(step)
        let rate = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        var pieces: [Piece] = []
        var rowGradients: [RowGradient?] = []
        for (index, p) in parameters.enumerated() {
            var rowGradient: RowGradient? = p.rowGradientProduct.map { .product($0) } ?? p.rowSparseGradient.map { .rows($0) }
            if p.hasRowSparseGradient && !lazyRowUpdates {
                // Exact dense Adam: fold the touched rows into the dense gradient, update every row.
                addRows(p.rowSparseGradient!, into: p)
                rowGradient = nil
            }
            rowGradients.append(rowGradient)
            if let rowGradient {
                let rowsPerPiece = max(1, Self.pieceSize / max(1, p.value.columns))
                for first in stride(from: 0, to: rowGradient.rowCount, by: rowsPerPiece) {
                    pieces.append(Piece(parameter: index, offset: 0, count: 0,
                                        rows: first..<min(first + rowsPerPiece, rowGradient.rowCount)))
                }
            } else {
                for offset in stride(from: 0, to: p.value.count, by: Self.pieceSize) {
                    pieces.append(Piece(parameter: index, offset: offset, count: min(Self.pieceSize, p.value.count - offset)))
                }
            }
        }
        let work = pieces.reduce(0) { total, piece in
            total + (piece.rows.map { $0.count * parameters[piece.parameter].value.columns } ?? piece.count)
        }
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let kernels = VectorKernelLevel.kernels
        withStorage(of: 0, pointers: []) { pointers in
            parallelFor(pieces.count, serial: work < 100_000) { item in
                let piece = pieces[item]
                let p = pointers[piece.parameter]
                let m = firstMoments[piece.parameter], v = secondMoments[piece.parameter]
                let width = p.width
                switch (piece.rows, rowGradients[piece.parameter]) {
                case (let rows?, .rows(let gradient)?):
                    gradient.values.storage.withUnsafeBufferPointer { values in
                        for k in rows {
                            let offset = Int(gradient.rowIndices[k]) * width
                            kernels.adamUpdate(p.value + offset, values.baseAddress! + k * width, m + offset, v + offset, count: width,
                                               rate: rate, beta1: b1, beta2: b2, epsilon: eps, clearing: nil)
                        }
                    }
                case (let rows?, .product(let product)?):
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { scratch in
                        for slot in rows {
                            product.computeRow(slot, into: scratch.baseAddress!)
                            let offset = Int(product.columns[slot]) * width
                            kernels.adamUpdate(p.value + offset, scratch.baseAddress!, m + offset, v + offset, count: width,
                                               rate: rate, beta1: b1, beta2: b2, epsilon: eps, clearing: nil)
                        }
                    }
                default:
                    let o = piece.offset
                    kernels.adamUpdate(p.value + o, p.gradient + o, m + o, v + o, count: piece.count, rate: rate,
                                       beta1: b1, beta2: b2, epsilon: eps, clearing: zeroingGradients ? p.gradient + o : nil)
                }
            }
        }
        if zeroingGradients {
            // Dense gradients were cleared above; a row-sparse one is dropped (see `Parameter`).
            for p in parameters where p.hasRowSparseGradient { p.zeroGradient() }
        }
    }

    /// The storage of one parameter while the update runs.
    private struct Pointers {
        var value: UnsafeMutablePointer<Float>
        var gradient: UnsafeMutablePointer<Float>
        var width: Int
    }

    /// Calls `body` with the storage of every parameter from `index` on, each held for the whole call.
    private func withStorage(of index: Int, pointers: [Pointers], _ body: ([Pointers]) -> Void) {
        guard index < parameters.count else { return body(pointers) }
        let p = parameters[index]
        let width = p.value.columns
        p.value.storage.withUnsafeMutableBufferPointer { value in
            p.gradient.storage.withUnsafeMutableBufferPointer { gradient in
                // Every parameter has at least one element, so the base addresses exist.
                let entry = Pointers(value: value.baseAddress!, gradient: gradient.baseAddress!, width: width)
                withStorage(of: index + 1, pointers: pointers + [entry], body)
            }
        }
    }

    /// gradient[rowIndices[k], :] += values[k, :].
    private func addRows(_ sparse: RowSparseMatrix, into p: Parameter) {
        let width = p.value.columns
        p.gradient.storage.withUnsafeMutableBufferPointer { g in
            sparse.values.storage.withUnsafeBufferPointer { rows in
                for (k, row) in sparse.rowIndices.enumerated() {
                    VectorMath.axpy(1, UnsafeBufferPointer(rebasing: rows[(k * width)..<((k + 1) * width)]),
                                    UnsafeMutableBufferPointer(rebasing: g[(Int(row) * width)..<((Int(row) + 1) * width)]))
                }
            }
        }
    }
}
