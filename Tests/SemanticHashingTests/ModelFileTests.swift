import XCTest
@testable import SemanticHashing

final class ModelFileTests: XCTestCase {
    private func tinyModelFile() -> ModelFile {
        let config = ModelConfiguration(preset: .ssbVAE, bits: 8, inputDimensions: 12, classCount: 3, multiLabel: false,
                                        hiddenDimensions: 6)
        let model = HashingVAE(configuration: config, seed: 5)
        let metadata = ModelMetadata(dataset: "synthetic", datasetName: "synthetic", classNames: ["a", "b", "c"], supervision: 0.1,
                                     labelledItems: 3, training: TrainingOptions(), trainSeconds: 1.5, finalLosses: ["total": 2],
                                     created: "2026-11-25T00:00:00Z", backend: "test", version: "0")
        let vectorizer = TextVectorizer.fit(["red apple", "green apple pie", "blue sky"], settings: .snippets)
        return ModelFile(model: model, preprocessing: .text(vectorizer), metadata: metadata)
    }

    private var input: FeatureMatrix {
        .sparse(SparseMatrix(rows: 3, columns: 12, entries: [(0, 1, 1), (1, 5, 2), (2, 11, 0.5), (2, 0, 1)]))
    }

    func testRoundTripGivesIdenticalStateAndCodes() throws {
        let original = tinyModelFile()
        let data = try original.encoded()
        let loaded = try ModelFile.decode(data, path: "m.semhash")
        XCTAssertEqual(loaded.model.configuration, original.model.configuration)
        for ((n1, t1), (n2, t2)) in zip(original.model.state, loaded.model.state) {
            XCTAssertEqual(n1, n2)
            XCTAssertEqual(t1, t2, "tensor \(n1) differs")
        }
        XCTAssertEqual(loaded.model.codeValues(input), original.model.codeValues(input))
        XCTAssertEqual(loaded.metadata.classNames, ["a", "b", "c"])
        guard case .text(let v) = loaded.preprocessing else { return XCTFail("preprocessing lost") }
        XCTAssertEqual(v.vocabulary, { if case .text(let o) = original.preprocessing { return o.vocabulary } else { return [] } }())
        // Encoding twice gives the same bytes.
        XCTAssertEqual(try loaded.encoded(), data)
    }

    func testCorruptedTruncatedAndForeignFilesAreClearErrors() throws {
        let data = try tinyModelFile().encoded()
        var corrupted = data
        corrupted[corrupted.count - 3] ^= 0x40
        XCTAssertThrowsError(try ModelFile.decode(corrupted, path: "bad.semhash")) { error in
            XCTAssertTrue("\(error)".contains("bad.semhash") && "\(error)".contains("checksum"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.decode(data.prefix(data.count / 2), path: "cut.semhash")) { error in
            XCTAssertTrue("\(error)".contains("cut.semhash"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.decode(Data("hello, I am not a model".utf8), path: "x.txt")) { error in
            XCTAssertTrue("\(error)".contains("not a semhash model file"), "\(error)")
        }
        var future = data
        future[8] = 99
        XCTAssertThrowsError(try ModelFile.decode(future, path: "new.semhash")) { error in
            XCTAssertTrue("\(error)".contains("version 99"), "\(error)")
        }
    }

    func testWriteIsAtomicAndReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semhash-modelfile-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.semhash").path
        let file = tinyModelFile()
        try file.write(to: path)
        XCTAssertEqual(try ModelFile.read(from: path).model.codeValues(input), file.model.codeValues(input))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["m.semhash"], "no temporary left behind")
        XCTAssertThrowsError(try ModelFile.read(from: dir.appendingPathComponent("missing.semhash").path))
    }
}

final class TrainingTests: XCTestCase {
    private func corpus() throws -> Dataset {
        try DatasetSpec(parsing: "synthetic:docs=600,test=200,vocab=300,classes=4,seed=3").load()
    }

    func testSameSeedTrainsBitIdenticalModels() throws {
        let data = try corpus()
        func train() throws -> HashingVAE {
            let config = ModelConfiguration(preset: .ssbVAE, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                            multiLabel: false, hiddenDimensions: 32)
            let model = HashingVAE(configuration: config, seed: 7)
            try Trainer(options: TrainingOptions(epochs: 2, seed: 7)).train(model, on: SupervisionMask.apply(to: data, level: 0.2, seed: 7).train)
            return model
        }
        let a = try train(), b = try train()
        for ((name, x), (_, y)) in zip(a.state, b.state) { XCTAssertEqual(x, y, "\(name) differs between identical runs") }
    }

    func testSSBVAELearnsTopicsFromAFewLabels() throws {
        let data = try DatasetSpec(parsing: "synthetic:docs=800,test=200,vocab=200,classes=4,difficulty=0.3,seed=3").load()
        let config = ModelConfiguration(preset: .ssbVAE, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: false, hiddenDimensions: 128)
        var losses: [Float] = []
        // Enough steps for BatchNorm's moving averages (momentum 0.99) to settle before inference.
        let result = try HashingRun.trainAndEvaluate(data, configuration: config, options: TrainingOptions(epochs: 25, seed: 20),
                                                     supervision: .level(0.2, seed: 20), onEpoch: { losses.append($0.losses.reconstruction) })
        XCTAssertLessThan(losses.last!, losses.first!, "reconstruction loss should fall")
        // 4 balanced topics: a random code ranks about 25 % of the top 100 in the query's topic.
        XCTAssertGreaterThan(result.metrics["p@100"]!, 0.6, "p@100 \(result.metrics["p@100"]!)")
        XCTAssertEqual(result.labelledItems, 160 + 16)
    }

    func testNonFiniteLossIsAnError() throws {
        let data = try corpus()
        let config = ModelConfiguration(preset: .ssbVAE, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: false, weights: LossWeights(alpha: 1e38, beta: 1, gamma: 1e38), hiddenDimensions: 16)
        XCTAssertThrowsError(try HashingRun.trainAndEvaluate(data, configuration: config, options: TrainingOptions(epochs: 1),
                                                             supervision: .level(0.5, seed: 1))) { error in
            XCTAssertTrue("\(error)".contains("loss became"), "\(error)")
        }
    }
}
