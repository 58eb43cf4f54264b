import XCTest
@testable import SemanticHashing

/// Central finite differences against analytic gradients, reusable by every layer and loss test.
///
/// ```
/// ∂f/∂θ_k ≈ (f(θ + h·e_k) − f(θ − h·e_k)) / 2h
/// ```
enum GradientChecker {
    /// Compares `analytic` with finite differences of `loss` with respect to the entries of `values`
    /// (perturbed in place through `set`). Checks at most `samples` entries, spread over the tensor.
    static func check(_ name: String, count: Int, analytic: (Int) -> Float, get: (Int) -> Float, set: (Int, Float) -> Void,
                      loss: () -> Float, step: Float = 1e-2, tolerance: Float = 2e-2, absoluteTolerance: Float = 1e-3,
                      samples: Int = 40,
                      file: StaticString = #filePath, line: UInt = #line) {
        _ = compare(name, count: count, analytic: analytic, get: get, set: set, loss: loss, step: step, tolerance: tolerance,
                    absoluteTolerance: absoluteTolerance, samples: samples) { message in
            XCTFail(message, file: file, line: line)
        }
    }

    /// The comparison behind `check`: calls `fail` for every entry whose difference exceeds the
    /// allowance and returns the worst ratio difference / allowance (≤ 1 means every entry passed).
    /// Tests that show a check can fail compare against a deliberately wrong gradient with it.
    @discardableResult
    static func compare(_ name: String, count: Int, analytic: (Int) -> Float, get: (Int) -> Float, set: (Int, Float) -> Void,
                        loss: () -> Float, step: Float = 1e-2, tolerance: Float = 2e-2, absoluteTolerance: Float = 1e-3,
                        samples: Int = 40, fail: (String) -> Void = { _ in }) -> Float {
        let stride = max(1, count / samples)
        var worst: Float = 0
        for k in Swift.stride(from: 0, to: count, by: stride) {
            let original = get(k)
            set(k, original + step)
            let plus = loss()
            set(k, original - step)
            let minus = loss()
            set(k, original)
            let numeric = (plus - minus) / (2 * step)
            let a = analytic(k)
            // Absolute floor for float rounding in the differences, relative part for large gradients.
            let allowed = absoluteTolerance + tolerance * max(abs(numeric), abs(a))
            worst = max(worst, abs(numeric - a) / allowed)
            if abs(numeric - a) > allowed { fail("\(name)[\(k)]: analytic \(a), numeric \(numeric)") }
        }
        return worst
    }

    /// Checks ∂loss/∂m for a matrix `m` held by the caller.
    static func check(_ name: String, matrix m: inout Matrix, analytic: Matrix, loss: (Matrix) -> Float,
                      step: Float = 1e-2, tolerance: Float = 2e-2, file: StaticString = #filePath, line: UInt = #line) {
        var copy = m
        check(name, count: m.count, analytic: { analytic.storage[$0] }, get: { copy.storage[$0] },
              set: { copy.storage[$0] = $1 }, loss: { loss(copy) }, step: step, tolerance: tolerance, file: file, line: line)
        m = copy
    }

    /// Checks the gradient a `Parameter` holds against finite differences of `loss`.
    static func check(_ parameter: Parameter, analytic: Matrix, loss: () -> Float, step: Float = 1e-2, tolerance: Float = 2e-2,
                      file: StaticString = #filePath, line: UInt = #line) {
        check(parameter.name, count: parameter.value.count, analytic: { analytic.storage[$0] },
              get: { parameter.value.storage[$0] }, set: { parameter.value.storage[$0] = $1 },
              loss: loss, step: step, tolerance: tolerance, file: file, line: line)
    }

    static func random(_ rows: Int, _ columns: Int, seed: UInt64, scale: Float = 1) -> Matrix {
        var rng = RandomSource(seed: seed)
        var m = Matrix(rows: rows, columns: columns)
        for i in m.storage.indices { m.storage[i] = scale * rng.uniform(-1, 1) }
        return m
    }
}
