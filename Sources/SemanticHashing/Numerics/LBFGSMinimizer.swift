/// Limited-memory BFGS for smooth unconstrained minimisation, deterministic and full-batch
/// (Nocedal & Wright, Numerical Optimization, algorithm 7.4 with a backtracking Armijo search).
///
/// ```
/// d_t = −H_t·g_t      H_t from the last m pairs s = x_{t+1} − x_t, y = g_{t+1} − g_t (two-loop
///                     recursion), H⁰ = (sᵀy / yᵀy)·I;  the first step is −g / ‖g‖∞
/// x_{t+1} = x_t + α·d_t,  α = 1, ½, ¼, … until f(x + α·d) ≤ f(x) + 10⁻⁴·α·gᵀd
/// stop: ‖g‖∞ ≤ gradientTolerance,  or (f_t − f_{t+1}) ≤ valueTolerance·max(|f_t|, |f_{t+1}|, 1),
///       or maximumIterations, or no step of the search decreases f (rounding floor reached)
/// ```
/// A pair with sᵀy ≤ 10⁻¹⁰·‖s‖·‖y‖ is not stored (it would break positive definiteness); for the
/// convex losses it serves this never happens in exact arithmetic.
///
/// ```swift
/// let result = LBFGSMinimizer().minimize(from: x0) { x in (value: f(x), gradient: g(x)) }
/// ```
public struct LBFGSMinimizer: Sendable {
    public var history: Int
    public var maximumIterations: Int
    public var gradientTolerance: Double
    public var valueTolerance: Double

    public init(history: Int = 10, maximumIterations: Int = 200, gradientTolerance: Double = 1e-5, valueTolerance: Double = 1e-9) {
        precondition(history >= 1 && maximumIterations >= 0, "LBFGSMinimizer: history ≥ 1, iterations ≥ 0")
        self.history = history
        self.maximumIterations = maximumIterations
        self.gradientTolerance = gradientTolerance
        self.valueTolerance = valueTolerance
    }

    public enum StopReason: String, Sendable {
        case gradientTolerance, valueTolerance, maximumIterations, lineSearchFailed
    }

    public struct Outcome: Sendable {
        public var x: [Double]
        public var value: Double
        public var gradient: [Double]
        public var iterations: Int
        public var evaluations: Int
        public var reason: StopReason
    }

    public func minimize(from start: [Double], objective: ([Double]) -> (value: Double, gradient: [Double])) -> Outcome {
        var x = start
        var (f, g) = objective(x)
        var evaluations = 1
        var pairs: [(s: [Double], y: [Double], rho: Double)] = []
        var iteration = 0
        func infinityNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for i in a.indices { s += a[i] * b[i] }
            return s
        }

        while true {
            if infinityNorm(g) <= gradientTolerance {
                return Outcome(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, reason: .gradientTolerance)
            }
            if iteration >= maximumIterations {
                return Outcome(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, reason: .maximumIterations)
            }
            // Two-loop recursion: d = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: pairs.count)
            for k in stride(from: pairs.count - 1, through: 0, by: -1) {
                alphas[k] = pairs[k].rho * dot(pairs[k].s, q)
                for i in q.indices { q[i] -= alphas[k] * pairs[k].y[i] }
            }
            if let last = pairs.last {
                let gamma = dot(last.s, last.y) / dot(last.y, last.y)
                for i in q.indices { q[i] *= gamma }
            } else {
                let scale = 1 / infinityNorm(g)
                for i in q.indices { q[i] *= scale }
            }
            for k in pairs.indices {
                let beta = pairs[k].rho * dot(pairs[k].y, q)
                for i in q.indices { q[i] += (alphas[k] - beta) * pairs[k].s[i] }
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (only through rounding): restart from steepest descent.
                pairs.removeAll()
                let scale = 1 / infinityNorm(g)
                direction = g.map { -$0 * scale }
                slope = dot(g, direction)
            }

            var step = 1.0
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<40 {
                var trial = x
                for i in trial.indices { trial[i] += step * direction[i] }
                let (ft, gt) = objective(trial)
                evaluations += 1
                if ft.isFinite && ft <= f + 1e-4 * step * slope {
                    accepted = (trial, ft, gt)
                    break
                }
                step *= 0.5
            }
            guard let next = accepted else {
                return Outcome(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, reason: .lineSearchFailed)
            }
            iteration += 1
            var s = next.x
            for i in s.indices { s[i] -= x[i] }
            var y = next.g
            for i in y.indices { y[i] -= g[i] }
            let sy = dot(s, y)
            if sy > 1e-10 * dot(s, s).squareRoot() * dot(y, y).squareRoot() {
                pairs.append((s, y, 1 / sy))
                if pairs.count > history { pairs.removeFirst() }
            }
            let decrease = f - next.f
            let scale = max(abs(f), abs(next.f), 1)
            x = next.x
            f = next.f
            g = next.g
            if decrease <= valueTolerance * scale {
                return Outcome(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, reason: .valueTolerance)
            }
        }
    }
}
