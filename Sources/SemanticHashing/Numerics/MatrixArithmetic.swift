/// Elementwise updates of a matrix in place, the small steps between the products of a backward pass.
///
/// ```
/// m.scale(by: s)               m ← s·m
/// m.add(x, scaledBy: s)        m ← m + s·x        (same shape)
/// ```
///
/// ```swift
/// var gradient = reconstructionGradient
/// gradient.add(pairwiseGradient, scaledBy: alpha)
/// ```
extension Matrix {
    public mutating func scale(by s: Float) {
        storage.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= s } }
    }

    public mutating func add(_ x: Matrix, scaledBy s: Float = 1) {
        precondition(x.rows == rows && x.columns == columns, "Matrix.add: \(x.rows)×\(x.columns) onto \(rows)×\(columns)")
        x.storage.withUnsafeBufferPointer { xp in
            storage.withUnsafeMutableBufferPointer { yp in for i in yp.indices { yp[i] += s * xp[i] } }
        }
    }
}
