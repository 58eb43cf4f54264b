import Foundation

/// The Adam optimiser (Keras defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7).
///
/// ```
/// t ← t + 1,  m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
/// w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
/// ```
/// A parameter with a row-sparse gradient (first layer over bag-of-words input) is updated lazily:
/// only the rows the batch touched move (as TensorFlow's LazyAdam / PyTorch's SparseAdam do).
/// Untouched rows would otherwise still drift by their momentum every step, which costs a full
/// pass over a 10 000 × 500 matrix per step; set `lazyRowUpdates = false` for exact dense Adam.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters)
/// adam.step()
/// ```
public final class Adam: @unchecked Sendable {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public var lazyRowUpdates: Bool
    public private(set) var step = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, lazyRowUpdates: Bool = true) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazyRowUpdates = lazyRowUpdates
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    /// Applies one update from the parameters' current gradients.
    public func step(zeroingGradients: Bool = true) {
        step += 1
        let t = Double(step)
        let rate = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        for (index, p) in parameters.enumerated() {
            if let sparse = p.rowSparseGradient {
                if lazyRowUpdates {
                    updateRows(p, sparse, index: index, rate: rate)
                } else {
                    let dense = sparse.densified()
                    for i in p.gradient.storage.indices { p.gradient.storage[i] += dense.storage[i] }
                    updateDense(p, index: index, rate: rate)
                }
            } else {
                updateDense(p, index: index, rate: rate)
            }
            if zeroingGradients { p.zeroGradient() }
        }
    }

    private func updateDense(_ p: Parameter, index: Int, rate: Float) {
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        p.value.storage.withUnsafeMutableBufferPointer { w in
            p.gradient.storage.withUnsafeBufferPointer { g in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        let parts = ParallelExecution.threadCount
                        parallelFor(parts, serial: w.count < 100_000) { part in
                            let range = ParallelExecution.chunk(part, of: parts, total: w.count, granularity: 16)
                            Self.update(w.baseAddress! + range.lowerBound, g.baseAddress! + range.lowerBound,
                                        m.baseAddress! + range.lowerBound, v.baseAddress! + range.lowerBound,
                                        count: range.count, rate: rate, beta1: b1, beta2: b2, epsilon: eps)
                        }
                    }
                }
            }
        }
    }

    private func updateRows(_ p: Parameter, _ sparse: RowSparseMatrix, index: Int, rate: Float) {
        let width = p.value.columns
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        p.value.storage.withUnsafeMutableBufferPointer { w in
            sparse.values.storage.withUnsafeBufferPointer { g in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        let rows = sparse.rowIndices
                        let parts = ParallelExecution.threadCount
                        parallelFor(parts, serial: rows.count * width < 100_000) { part in
                            for k in ParallelExecution.chunk(part, of: parts, total: rows.count) {
                                let offset = Int(rows[k]) * width
                                Self.update(w.baseAddress! + offset, g.baseAddress! + k * width, m.baseAddress! + offset,
                                            v.baseAddress! + offset, count: width, rate: rate, beta1: b1, beta2: b2, epsilon: eps)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The Adam update over `count` consecutive elements, 16 lanes at a time.
    @inline(__always)
    private static func update(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                               _ v: UnsafeMutablePointer<Float>, count: Int, rate: Float, beta1: Float, beta2: Float, epsilon: Float) {
        typealias Lanes = SIMD16<Float>
        let width = Lanes.scalarCount
        var i = 0
        while i + width <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
            let mi = beta1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + (1 - beta1) * gi
            let vi = beta2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + (1 - beta2) * gi * gi
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: Lanes.self) - rate * mi / (VectorMath.squareRoot(vi) + epsilon)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: Lanes.self)
            i += width
        }
        while i < count {
            let gi = g[i]
            let mi = beta1 * m[i] + (1 - beta1) * gi
            let vi = beta2 * v[i] + (1 - beta2) * gi * gi
            m[i] = mi
            v[i] = vi
            w[i] -= rate * mi / (vi.squareRoot() + epsilon)
            i += 1
        }
    }
}
