import Foundation
import XCTest
@testable import SemanticHashing

/// L-BFGS on known minima; the logistic losses against hand values and finite differences; the
/// fitted classifier on separable data.
final class ClassifierTests: XCTestCase {
    func testLBFGSFindsTheRosenbrockMinimum() {
        let outcome = LBFGSMinimizer(maximumIterations: 500, gradientTolerance: 1e-8, valueTolerance: 0).minimize(from: [-1.2, 1]) { p in
            let (x, y) = (p[0], p[1])
            return ((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
                    [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
        }
        XCTAssertEqual(outcome.x[0], 1, accuracy: 1e-6)
        XCTAssertEqual(outcome.x[1], 1, accuracy: 1e-6)
        XCTAssertEqual(outcome.reason, .gradientTolerance)
    }

    func testLBFGSSolvesAQuadraticExactly() {
        // f = ½·Σ a_i (x_i − c_i)²: minimum at c, value 0.
        let a = [1.0, 10, 100, 0.5], c = [3.0, -1, 0.25, 8]
        let outcome = LBFGSMinimizer(gradientTolerance: 1e-10, valueTolerance: 0).minimize(from: [0, 0, 0, 0]) { x in
            (zip(zip(a, c), x).reduce(0) { $0 + 0.5 * $1.0.0 * ($1.1 - $1.0.1) * ($1.1 - $1.0.1) },
             (0..<4).map { a[$0] * (x[$0] - c[$0]) })
        }
        for i in 0..<4 { XCTAssertEqual(outcome.x[i], c[i], accuracy: 1e-9) }
        XCTAssertLessThan(outcome.iterations, 30)
    }

    func testSoftmaxLossValueByHand() {
        // One item, z = (0, ln 3): p = (1/4, 3/4); y = class 1: loss = −ln(3/4); λ = 0.5, ‖W‖² = 1 + 1 (two entries).
        let w = Matrix([[0, Float(log(3.0))]]), b = Matrix([[0, 0]])
        let x = FeatureMatrix.dense(Matrix([[1]]))
        let result = LogisticRegression.loss(weights: w, bias: b, features: x, targets: Matrix([[0, 1]]), multiLabel: false, l2: 0.5)
        XCTAssertEqual(result.value, -log(0.75) + 0.25 * log(3.0) * log(3.0), accuracy: 1e-6)
        XCTAssertEqual(result.biasGradient.storage[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(result.biasGradient.storage[1], -0.25, accuracy: 1e-6)
        XCTAssertEqual(result.weightGradient.storage[1], -0.25 + 0.5 * Float(log(3.0)), accuracy: 1e-6)
    }

    func testOneVsRestLossValueByHand() {
        // z = (0, 2): y = (1, 0): loss = ln 2 + softplus(2) = ln 2 + ln(1 + e²).
        let w = Matrix([[0, 2]]), b = Matrix([[0, 0]])
        let result = LogisticRegression.loss(weights: w, bias: b, features: .dense(Matrix([[1]])), targets: Matrix([[1, 0]]),
                                             multiLabel: true, l2: 0)
        XCTAssertEqual(result.value, log(2.0) + log(1 + exp(2.0)), accuracy: 1e-6)
        XCTAssertEqual(result.biasGradient.storage[0], -0.5, accuracy: 1e-6)
        XCTAssertEqual(result.biasGradient.storage[1], Float(1 / (1 + exp(-2.0))), accuracy: 1e-6)
    }

    func testLossGradientsAgainstFiniteDifferences() {
        let x = SparseMatrix(rows: 5, columns: 6, entries: [(0, 0, 1.5), (0, 3, 0.5), (1, 1, 2), (2, 2, 1), (2, 5, 1.2),
                                                            (3, 4, 0.7), (3, 0, 0.3), (4, 3, 1.1)])
        for multiLabel in [false, true] {
            let targets = multiLabel ? Labels(multiLabel: [[0, 2], [1], [2], [0, 1], [1, 2]], classCount: 3).indicatorMatrix()
                                     : Labels(singleLabel: [0, 1, 2, 0, 1], classCount: 3).indicatorMatrix()
            for features in [FeatureMatrix.sparse(x), .dense(x.densified())] {
                var w = GradientChecker.random(6, 3, seed: 31, scale: 0.8)
                var b = GradientChecker.random(1, 3, seed: 32, scale: 0.5)
                let analytic = LogisticRegression.loss(weights: w, bias: b, features: features, targets: targets, multiLabel: multiLabel, l2: 0.3)
                let bias = b
                GradientChecker.check("W (multiLabel \(multiLabel))", matrix: &w, analytic: analytic.weightGradient, loss: {
                    Float(LogisticRegression.loss(weights: $0, bias: bias, features: features, targets: targets, multiLabel: multiLabel, l2: 0.3).value)
                }, step: 1e-2, tolerance: 1e-2)
                let weights = w
                GradientChecker.check("b (multiLabel \(multiLabel))", matrix: &b, analytic: analytic.biasGradient, loss: {
                    Float(LogisticRegression.loss(weights: weights, bias: $0, features: features, targets: targets, multiLabel: multiLabel, l2: 0.3).value)
                }, step: 1e-2, tolerance: 1e-2)
            }
        }
    }

    func testFittedClassifierSeparatesToyClasses() {
        let toy = ToyCorpus(classes: 4, itemsPerClass: 30, seed: 5)
        let (model, outcome) = LogisticRegression.fit(features: toy.features, labels: toy.labels, l2: 1e-3)
        XCTAssertNotEqual(outcome.reason, .maximumIterations)
        XCTAssertFalse(model.isMultiLabel)
        let p = model.probabilities(toy.features)
        for i in 0..<p.rows {
            XCTAssertEqual(p.row(i).reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(p.row(i).indices.max { p[i, $0] < p[i, $1] }, toy.classOf[i])
        }
        // Same data, same model: the fit is deterministic.
        XCTAssertEqual(LogisticRegression.fit(features: toy.features, labels: toy.labels, l2: 1e-3).model, model)
    }

    func testMultiLabelClassifierPredictsEachClassIndependently() {
        let toy = ToyCorpus(classes: 3, itemsPerClass: 30, seed: 6, multiLabel: true)
        let model = LogisticRegression.fit(features: toy.features, labels: toy.labels, l2: 1e-3).model
        XCTAssertTrue(model.isMultiLabel)
        let p = model.probabilities(toy.features)
        for i in 0..<p.rows {
            let predicted = Set((0..<3).filter { p[i, $0] > 0.5 })
            XCTAssertEqual(predicted, Set(toy.labels.classesOf(i).map(Int.init)), "item \(i)")
        }
    }
}

/// Separable bag-of-words data: class c owns words [c·8, c·8 + 8); every item has 5 words of
/// each of its classes and 2 of a shared noise block (the last 8 words).
struct ToyCorpus {
    var features: FeatureMatrix
    var labels: Labels
    /// The first class of each item.
    var classOf: [Int]

    init(classes: Int, itemsPerClass: Int, seed: UInt64, multiLabel: Bool = false) {
        self.init(classSizes: Array(repeating: itemsPerClass, count: classes), seed: seed, multiLabel: multiLabel)
    }

    /// Classes of different sizes have different variances, so their principal directions are
    /// well separated (equal sizes make them a degenerate eigenspace).
    init(classSizes: [Int], seed: UInt64, multiLabel: Bool = false) {
        var rng = RandomSource(seed: seed)
        let classes = classSizes.count
        let vocabulary = 8 * classes + 8
        var entries: [(Int, Int, Float)] = []
        var sets: [[Int]] = []
        var order: [Int] = []
        for (c, size) in classSizes.enumerated() { order += Array(repeating: c, count: size) }
        rng.shuffle(&order)
        for (i, c) in order.enumerated() {
            var set = [c]
            if multiLabel && rng.uniform() < 0.4 { set.append((c + 1 + rng.integer(below: classes - 1)) % classes) }
            for k in set { for _ in 0..<5 { entries.append((i, 8 * k + rng.integer(below: 8), 1)) } }
            for _ in 0..<2 { entries.append((i, 8 * classes + rng.integer(below: 8), 1)) }
            sets.append(set.sorted())
        }
        let counts = SparseMatrix(rows: order.count, columns: vocabulary, entries: entries)
        features = .sparse(counts.mapValues { Float(log1p(Double($0))) })
        labels = multiLabel ? Labels(multiLabel: sets, classCount: classes) : Labels(singleLabel: order, classCount: classes)
        classOf = order
    }

    var split: DataSplit { DataSplit(features: features, labels: labels) }
}
