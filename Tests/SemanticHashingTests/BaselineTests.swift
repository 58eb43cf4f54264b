import Foundation
import XCTest
@testable import SemanticHashing

/// The four classical baselines on small generated data with known answers: ITQ's rotation and
/// loss, LSH's seeded hyperplanes, SSH against a dense eigendecomposition of its matrix,
/// label-ITQ on separable classes; plus seeds, sparse = dense, state round trips and errors.
final class BaselineTests: XCTestCase {
    // MARK: ITQ

    func testITQRotationIsOrthogonalAndItsLossNeverRises() throws {
        let data = try SyntheticCorpus.load(argument: "docs=400,val=0,test=1,vocab=150,classes=4,seed=3", options: [:])
        let centred = CenteredFeatures(data.train.features)
        let v = centred.times(PrincipalComponents.fit(centred, count: 8, seed: 1).directions)
        let result = IterativeQuantization.rotation(for: v, iterations: 50, seed: 2)
        assertOrthonormalColumns(result.rotation, accuracy: 1e-5)
        XCTAssertEqual(result.losses.count, 51)
        for t in 1..<result.losses.count {
            XCTAssertLessThanOrEqual(result.losses[t], result.losses[t - 1] * (1 + 1e-6), "step \(t)")
        }
        XCTAssertLessThan(result.losses[50], 0.95 * result.losses[0])
        // The recorded loss is ‖sgn(V·R) − V·R‖² for the returned R.
        XCTAssertEqual(IterativeQuantization.quantizationLoss(LinearAlgebra.product(v, result.rotation)), result.losses[50],
                       accuracy: 1e-4 * result.losses[50])
    }

    func testITQFindsTheRotationOfARotatedHypercube() {
        // Points at the corners (±1, ±1) turned by 30°: the best rotation turns them back, loss 0.
        let angle = Float.pi / 6
        let turn = Matrix([[cos(angle), sin(angle)], [-sin(angle), cos(angle)]])
        var rng = RandomSource(seed: 4)
        let corners = Matrix(rows: 200, columns: 2, storage: (0..<400).map { _ in rng.uniform() < 0.5 ? -1 : 1 })
        let v = LinearAlgebra.product(corners, turn)
        let result = IterativeQuantization.rotation(for: v, iterations: 50, seed: 5)
        XCTAssertEqual(result.losses.last!, 0, accuracy: 1e-6)
        // V·R is ±1, the corners again up to a signed permutation of the axes.
        let back = LinearAlgebra.product(v, result.rotation)
        for x in back.storage { XCTAssertEqual(abs(x), 1, accuracy: 1e-4) }
    }

    func testITQProjectionIsPCAThenRotation() throws {
        let data = try SyntheticCorpus.load(argument: "docs=300,val=0,test=1,vocab=120,classes=3,seed=6", options: [:])
        let model = try ITQBaseline.fit(data.train, bits: 6, seed: 7)
        let w = model.hash.weights
        assertOrthonormalColumns(w, accuracy: 1e-5)     // P·R: orthonormal directions, rotated
        // b = −μ·W, so the training items' values have zero mean.
        let values = model.codeValues(data.train.features)
        for j in 0..<6 {
            let mean = (0..<values.rows).reduce(0.0) { $0 + Double(values[$1, j]) } / Double(values.rows)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
        }
        // The span of W is the PCA subspace: projecting the top principal directions on it keeps them.
        let pca = PrincipalComponents.fit(data.train.features, count: 6, seed: 99)
        let kept = LinearAlgebra.product(w, transposeA: true, pca.directions)
        var captured: Float = 0
        for x in kept.storage { captured += x * x }
        XCTAssertEqual(captured, 6, accuracy: 1e-3)
    }

    // MARK: LSH

    func testLSHIsSeededRandomHyperplanesThroughTheMean() throws {
        let x = Matrix([[1, 0, 2], [3, 1, 0], [2, 2, 1], [0, 1, 1]])
        let split = DataSplit(features: .dense(x), labels: Labels(singleLabel: [0, 1, 0, 1], classCount: 2))
        let model = try LSHBaseline.fit(split, bits: 5, seed: 42)
        var rng = RandomSource(seed: 42)
        let expectedW = Matrix(rows: 3, columns: 5, storage: (0..<15).map { _ in rng.normal() })
        XCTAssertEqual(model.hash.weights, expectedW)
        let mean: [Float] = [1.5, 1, 1]
        let values = model.codeValues(.dense(x))
        for i in 0..<4 {
            for j in 0..<5 {
                let expected = (0..<3).reduce(Float(0)) { $0 + (x[i, $1] - mean[$1]) * expectedW[$1, j] }
                XCTAssertEqual(values[i, j], expected, accuracy: 1e-5)
            }
        }
        XCTAssertEqual(try LSHBaseline.fit(split, bits: 5, seed: 42), model)
        XCTAssertNotEqual(try LSHBaseline.fit(split, bits: 5, seed: 43).hash.weights, model.hash.weights)
        // More bits than features is fine for random hyperplanes.
        XCTAssertEqual(try LSHBaseline.fit(split, bits: 70, seed: 1).bits, 70)
    }

    // MARK: SSH

    func testSSHDirectionsAreOrthonormalEigenvectorsOfItsMatrix() throws {
        let data = try SyntheticCorpus.load(argument: "docs=240,val=0,test=1,vocab=60,classes=3,seed=8", options: [:])
        let (masked, _) = SupervisionMask.apply(to: data, level: 0.3, seed: 9)
        try checkSSHAgainstDense(masked, bits: 4, eta: 0.1)
    }

    func testSSHMultiLabelMatchesDenseMatrix() throws {
        let data = try SyntheticCorpus.load(argument: "docs=240,val=0,test=1,vocab=60,classes=4,multilabel=true,seed=10", options: [:])
        let (masked, _) = SupervisionMask.apply(to: data, level: 0.5, seed: 9)
        try checkSSHAgainstDense(masked, bits: 5, eta: 0.3)
    }

    func testSSHWithoutLabelsFailsWithAClearError() {
        let toy = ToyCorpus(classes: 3, itemsPerClass: 10, seed: 1)
        let unlabelled = DataSplit(features: toy.features, labels: toy.labels.keepingOnly([]))
        assertInvalidArgument("ssh", "no item of the training data has a label; SSH needs some (use itq without labels)") {
            try SSHBaseline.fit(unlabelled, bits: 4, seed: 1)
        }
        assertInvalidArgument("label-itq", "no item of the training data has a label; label-itq needs some (use itq without labels)") {
            try LabelITQBaseline.fit(unlabelled, bits: 4, seed: 1)
        }
    }

    // MARK: label-ITQ

    func testLabelITQGivesEachSeparableClassItsOwnCorner() throws {
        // 4 classes, 3 bits, no padding: the centred class probabilities sit near a regular
        // tetrahedron, which ITQ turns onto 4 corners of the cube, pairwise 2 bits apart.
        let toy = ToyCorpus(classes: 4, itemsPerClass: 40, seed: 11)
        let split = DataSplit(features: toy.features, labels: toy.labels.keepingOnly(Set(stride(from: 0, to: 160, by: 5))))
        let model = try LabelITQBaseline.fit(split, bits: 3, seed: 12)
        XCTAssertEqual(model.inputProjection, Matrix(rows: toy.features.columns, columns: 3))
        let codes = model.codes(toy.features)
        var codeOfClass: [Int: UInt64] = [:]
        for i in 0..<codes.count {
            let code = codes.words[i]
            if let seen = codeOfClass[toy.classOf[i]] { XCTAssertEqual(code, seen, "item \(i)") } else { codeOfClass[toy.classOf[i]] = code }
        }
        let distinct = Array(codeOfClass.values)
        XCTAssertEqual(Set(distinct).count, 4)
        for a in 0..<4 { for b in (a + 1)..<4 { XCTAssertEqual((distinct[a] ^ distinct[b]).nonzeroBitCount, 2) } }
    }

    func testLabelITQWithPaddingRetrievesTheRightClass() throws {
        let toy = ToyCorpus(classes: 4, itemsPerClass: 40, seed: 13)
        let split = DataSplit(features: toy.features, labels: toy.labels.keepingOnly(Set(stride(from: 0, to: 160, by: 10))))
        let model = try LabelITQBaseline.fit(split, bits: 12, seed: 14)
        XCTAssertNotEqual(model.inputProjection, Matrix(rows: toy.features.columns, columns: 12))   // 9 padding bits
        let codes = model.codes(toy.features)
        let metrics = RetrievalMetrics.evaluate(queryCodes: codes, queryLabels: toy.labels, databaseCodes: codes,
                                                databaseLabels: toy.labels, cutoffs: [20])
        XCTAssertGreaterThan(metrics.at(20)!.precision, 0.98)
    }

    func testLabelITQOnMultiLabelData() throws {
        let toy = ToyCorpus(classes: 3, itemsPerClass: 40, seed: 15, multiLabel: true)
        let split = DataSplit(features: toy.features, labels: toy.labels.keepingOnly(Set(stride(from: 0, to: 120, by: 3))))
        let model = try LabelITQBaseline.fit(split, bits: 8, seed: 16)
        XCTAssertTrue(model.classifier.isMultiLabel)
        XCTAssertEqual(model.state.first { $0.name == "classifier.multi_label" }?.value.storage, [1])
        let codes = model.codes(toy.features)
        let metrics = RetrievalMetrics.evaluate(queryCodes: codes, queryLabels: toy.labels, databaseCodes: codes,
                                                databaseLabels: toy.labels, cutoffs: [20])
        XCTAssertGreaterThan(metrics.at(20)!.precision, 0.95)
    }

    // MARK: every baseline

    func testEveryBaselineIsReproducibleFromItsSeed() throws {
        let split = try maskedSynthetic()
        for fit in Self.fits {
            let a = try fit.fit(split, 8, 20), b = try fit.fit(split, 8, 20)
            XCTAssertEqual(a.state.map(\.name), b.state.map(\.name), fit.name)
            for (x, y) in zip(a.state, b.state) { XCTAssertEqual(x.value, y.value, "\(fit.name) \(x.name)") }
            if fit.name != "ssh" {   // SSH's answer does not depend on the seed, only its rounding does
                let c = try fit.fit(split, 8, 21)
                XCTAssertNotEqual(a.state.map(\.value), c.state.map(\.value), fit.name)
            }
        }
    }

    func testSparseAndDenseInputGiveTheSameCodes() throws {
        let toy = ToyCorpus(classSizes: [15, 25, 35, 45], seed: 17)
        let labels = toy.labels.keepingOnly(Set(stride(from: 0, to: 120, by: 4)))
        let sparse = DataSplit(features: toy.features, labels: labels)
        let dense = DataSplit(features: .dense(toy.features.denseMatrix), labels: labels)
        for fit in Self.fits {
            let fromSparse = try fit.fit(sparse, 6, 3), fromDense = try fit.fit(dense, 6, 3)
            // One model, either input kind: the same values up to rounding.
            let a = fromSparse.codeValues(sparse.features), b = fromSparse.codeValues(dense.features)
            for k in a.storage.indices { XCTAssertEqual(a.storage[k], b.storage[k], accuracy: 1e-4, "\(fit.name) encode") }
            // Fitted on either kind: the same bits, and the same values within float tolerance up to
            // the order and sign of columns, which ITQ's local search may settle differently when two
            // directions tie and the BLAS rounds differently (seen with OpenBLAS 0.3.21 on some CPUs).
            let c = fromDense.codeValues(dense.features)
            let scale = a.storage.reduce(Float(0)) { max($0, abs($1)) }
            for i in 0..<a.rows {
                let x = (0..<a.columns).map { abs(a[i, $0]) }.sorted(), y = (0..<c.columns).map { abs(c[i, $0]) }.sorted()
                for k in x.indices { XCTAssertEqual(x[k], y[k], accuracy: 2e-3 * scale, "\(fit.name) fit, item \(i)") }
            }
            XCTAssertEqual(fromSparse.codes(sparse.features), fromDense.codes(dense.features), fit.name)
        }
    }

    func testStateRoundTripsAndBadStateIsNamed() throws {
        let split = try maskedSynthetic()
        for fit in Self.fits {
            let model = try fit.fit(split, 8, 5)
            let state = Dictionary(uniqueKeysWithValues: model.state.map { ($0.name, $0.value) })
            let restored = try fit.restore(state)
            XCTAssertEqual(restored.codeValues(split.features), model.codeValues(split.features), fit.name)
            var missing = state
            missing["projection.bias"] = nil
            assertMalformed("\(fit.name) model", reasonContains: "missing tensor 'projection.bias'") { try fit.restore(missing) }
            var wrong = state
            wrong["projection.bias"] = Matrix(rows: 1, columns: 7)
            assertMalformed("\(fit.name) model", reasonContains: "tensor 'projection.bias' has 7 columns, expected 8") { try fit.restore(wrong) }
        }
        let linear = ["projection.weight", "projection.bias"]
        XCTAssertEqual(try LSHBaseline.fit(split, bits: 8, seed: 1).state.map(\.name), linear)
        XCTAssertEqual(try LabelITQBaseline.fit(split, bits: 8, seed: 1).state.map(\.name),
                       ["classifier.weight", "classifier.bias", "classifier.multi_label", "probability_projection.weight",
                        "input_projection.weight", "projection.bias"])
    }

    func testBitLimitsAndSettingsAreChecked() throws {
        let toy = ToyCorpus(classes: 3, itemsPerClass: 10, seed: 1)   // 32 features, 30 items
        assertInvalidArgument("bits", "itq can make at most 30 bits here (one principal direction per bit, from 32 features and 30 items), 31 requested") {
            try ITQBaseline.fit(toy.split, bits: 31, seed: 1)
        }
        assertInvalidArgument("bits", "0 is not a positive number of bits") { try LSHBaseline.fit(toy.split, bits: 0, seed: 1) }
        assertInvalidArgument("bits", "ssh can make at most 32 bits here (one eigenvector per bit, from 32 features), 33 requested") {
            try SSHBaseline.fit(toy.split, bits: 33, seed: 1)
        }
        assertInvalidArgument("sshEta", "-1.0 is not a finite number ≥ 0") {
            try SSHBaseline.fit(toy.split, bits: 3, seed: 1, settings: BaselineSettings(sshEta: -1))
        }
        // label-itq: 2 probability directions (3 classes) + 30 principal directions.
        XCTAssertEqual(try LabelITQBaseline.fit(toy.split, bits: 32, seed: 1).bits, 32)
        assertInvalidArgument("bits", "label-itq can make at most 32 bits here (2 probability directions plus one principal direction per 32 features and 30 items), 33 requested") {
            try LabelITQBaseline.fit(toy.split, bits: 33, seed: 1)
        }
    }

    func testSettingsAreCodableWithDocumentedDefaults() throws {
        let defaults = BaselineSettings()
        XCTAssertEqual([defaults.itqIterations, defaults.classifierIterations], [50, 300])
        XCTAssertEqual([defaults.sshEta, defaults.classifierL2, defaults.classifierTolerance, defaults.paddingScale], [0.1, 1e-4, 1e-5, 0.5])
        let decoded = try JSONDecoder().decode(BaselineSettings.self, from: JSONEncoder().encode(defaults))
        XCTAssertEqual(decoded, defaults)
    }

    // MARK: helpers

    /// A baseline type, erased for loops over all four.
    struct Fit: Sendable {
        var name: String
        var fit: @Sendable (DataSplit, Int, UInt64) throws -> any HashingBaseline
        var restore: @Sendable ([String: Matrix]) throws -> any HashingBaseline
    }

    static let fits: [Fit] = [
        Fit(name: "lsh", fit: { try LSHBaseline.fit($0, bits: $1, seed: $2) }, restore: { try LSHBaseline(state: $0) }),
        Fit(name: "itq", fit: { try ITQBaseline.fit($0, bits: $1, seed: $2) }, restore: { try ITQBaseline(state: $0) }),
        Fit(name: "ssh", fit: { try SSHBaseline.fit($0, bits: $1, seed: $2) }, restore: { try SSHBaseline(state: $0) }),
        Fit(name: "label-itq", fit: { try LabelITQBaseline.fit($0, bits: $1, seed: $2) }, restore: { try LabelITQBaseline(state: $0) }),
    ]

    private func maskedSynthetic() throws -> DataSplit {
        let data = try SyntheticCorpus.load(argument: "docs=300,val=0,test=1,vocab=100,classes=4,seed=2", options: [:])
        return SupervisionMask.apply(to: data, level: 0.2, seed: 3).train
    }

    /// SSH's directions against the top eigenvectors of M built densely in Double.
    private func checkSSHAgainstDense(_ split: DataSplit, bits: Int, eta: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try SSHBaseline.fit(split, bits: bits, seed: 3, settings: BaselineSettings(sshEta: eta))
        let w = model.hash.weights
        assertOrthonormalColumns(w, accuracy: 1e-5, file: file, line: line)

        let x = split.features.denseMatrix
        let n = x.rows, d = x.columns
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(x[i, j]) / Double(n) } }
        let labelled = (0..<n).filter { !split.labels.classesOf($0).isEmpty }
        let l = Double(labelled.count)
        var m = [Double](repeating: 0, count: d * d)
        func centred(_ i: Int, _ j: Int) -> Double { Double(x[i, j]) - mean[j] }
        for i in 0..<n { for a in 0..<d { let xa = centred(i, a); for b in 0..<d { m[a * d + b] += eta * xa * centred(i, b) / Double(n) } } }
        // (1/l²)·X̄_lᵀ·(S·X̄_l), S from the label sets pair by pair.
        var sx = [[Double]](repeating: [Double](repeating: 0, count: d), count: labelled.count)
        for (r, p) in labelled.enumerated() {
            for q in labelled {
                let yp = Set(split.labels.classesOf(p)), yq = Set(split.labels.classesOf(q))
                let s = 2 * Double(yp.intersection(yq).count) / Double(yp.count * yq.count).squareRoot() - 1
                for b in 0..<d { sx[r][b] += s * centred(q, b) }
            }
        }
        for (r, p) in labelled.enumerated() {
            for a in 0..<d { let xa = centred(p, a) / (l * l); for b in 0..<d { m[a * d + b] += xa * sx[r][b] } }
        }
        let reference = SymmetricEigendecomposition(symmetric: m, size: d)
        // The span of the top `bits` eigenvectors, and each separated eigenvector.
        var captured = 0.0
        for j in 0..<bits {
            let v = reference.vector(j)
            var best = 0.0
            for c in 0..<bits {
                let dot = (0..<d).reduce(0.0) { $0 + v[$1] * Double(w[$1, c]) }
                captured += dot * dot
                best = max(best, abs(dot))
            }
            let gap = min(reference.values[j] - reference.values[j + 1], j > 0 ? reference.values[j - 1] - reference.values[j] : .infinity)
            if gap > 0.02 * abs(reference.values[j]) {
                XCTAssertEqual(abs((0..<d).reduce(0.0) { $0 + v[$1] * Double(w[$1, j]) }), 1, accuracy: 1e-4, "eigenvector \(j)", file: file, line: line)
            }
        }
        XCTAssertEqual(captured, Double(bits), accuracy: 1e-3, file: file, line: line)
        XCTAssertGreaterThan(reference.values[bits - 1] - reference.values[bits], 0.02 * abs(reference.values[bits - 1]),
                             "the test needs a gap below the top \(bits)", file: file, line: line)
    }
}

/// Asserts that `body` throws `invalidArgument(name, reason)` exactly.
func assertInvalidArgument(_ name: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
    do {
        _ = try body()
        XCTFail("expected invalidArgument(\(name))", file: file, line: line)
    } catch let error as SemanticHashingError {
        XCTAssertEqual(error, .invalidArgument(name: name, reason: reason), file: file, line: line)
    } catch {
        XCTFail("expected invalidArgument, got \(error)", file: file, line: line)
    }
}
