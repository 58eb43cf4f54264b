/// Iterative Quantization's rotation (Gong & Lazebnik, CVPR 2011): the orthogonal R that brings
/// the rows of a centred, projected data matrix V (n × B) close to the vertices of the hypercube,
/// by alternating minimisation of the quantisation loss.
///
/// ```
/// Q(B, R) = ‖B − V·R‖²_F,   B ∈ {−1, +1}^{n×B},  RᵀR = I
/// R₀ = orth(G), G ~ N(0, 1)^{B×B} (seeded)
/// step t:  B_t = sgn(V·R_{t−1})                  (+1 where > 0, else −1: the code's own rule)
///          R_t = U·Wᵀ,  Vᵀ·B_t = U·Σ·Wᵀ           (orthogonal Procrustes: argmax tr(Rᵀ·Vᵀ·B_t))
/// ```
/// Each half-step minimises Q over one argument with the other fixed, so
/// Q(B_t, R_t) ≥ Q(B_{t+1}, R_t) ≥ Q(B_{t+1}, R_{t+1}): the recorded losses never rise.
///
/// ```swift
/// let itq = IterativeQuantization.rotation(for: v, iterations: 50, seed: 20)
/// let rotated = LinearAlgebra.product(v, itq.rotation)
/// ```
public enum IterativeQuantization {
    public struct Result: Sendable {
        /// R (B × B), orthogonal.
        public var rotation: Matrix
        /// Q(B_t, R_t) for t = 0 … iterations, with B₀ = sgn(V·R₀); non-increasing.
        public var losses: [Double]
    }

    public static func rotation(for v: Matrix, iterations: Int, seed: UInt64) -> Result {
        precondition(iterations >= 0, "IterativeQuantization: negative iteration count")
        let bits = v.columns
        var rng = RandomSource(seed: seed)
        var gaussian = Matrix(rows: bits, columns: bits)
        for i in gaussian.storage.indices { gaussian.storage[i] = rng.normal() }
        var r = Orthonormalization.orthonormalColumns(of: gaussian)
        var rotated = LinearAlgebra.product(v, r)
        var losses = [quantizationLoss(rotated)]
        for _ in 0..<iterations {
            let signs = Matrix(rows: rotated.rows, columns: bits, storage: rotated.storage.map { $0 > 0 ? 1 : -1 })
            let m = LinearAlgebra.product(v, transposeA: true, signs)
            r = SingularValueDecomposition(m).orthogonalFactor()
            rotated = LinearAlgebra.product(v, r)
            losses.append(quantizationLoss(rotated, signs: signs))
        }
        return Result(rotation: r, losses: losses)
    }

    /// ‖sgn(Z) − Z‖²_F, the loss with B at its optimum for Z = V·R.
    static func quantizationLoss(_ rotated: Matrix) -> Double {
        var s = 0.0
        for z in rotated.storage {
            let e = Double(z > 0 ? 1 : -1) - Double(z)
            s += e * e
        }
        return s
    }

    /// ‖B − Z‖²_F for given signs B.
    static func quantizationLoss(_ rotated: Matrix, signs: Matrix) -> Double {
        var s = 0.0
        for (z, b) in zip(rotated.storage, signs.storage) {
            let e = Double(b) - Double(z)
            s += e * e
        }
        return s
    }
}
