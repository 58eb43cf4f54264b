import XCTest
@testable import SemanticHashing

/// The classical baselines as models: trained through the same entry point as the VAEs, written
/// to and read from model files bit for bit, and encoding raw text through the stored vectoriser.
final class ClassicalModelFileTests: XCTestCase {
    func testEveryBaselineRoundTripsThroughTheModelFile() throws {
        let data = try SyntheticCorpus.load(argument: "docs=300,val=30,test=60,vocab=200,classes=4,seed=3", options: [:])
        let masked = SupervisionMask.apply(to: data, level: 0.3, seed: 4)
        for preset in [ModelPreset.lsh, .itq, .ssh, .labelITQ] {
            let config = ModelConfiguration(preset: preset, bits: 8, inputDimensions: data.featureCount, classCount: data.classCount,
                                            multiLabel: false)
            let (model, history) = try ModelTraining.fit(config, on: masked.train, options: TrainingOptions(seed: 9))
            XCTAssertTrue(history.isEmpty)
            let metadata = ModelMetadata(dataset: "synthetic", datasetName: "synthetic", classNames: data.classNames, supervision: 0.3,
                                         labelledItems: masked.labeledRows.count, training: TrainingOptions(seed: 9), trainSeconds: 0,
                                         finalLosses: [:], created: "", backend: "", version: "")
            let bytes = try ModelFile(model: model, preprocessing: .none, metadata: metadata).encoded()
            let back = try ModelFile.decode(bytes, path: "m.semhash")
            XCTAssertEqual(back.model.configuration.preset, preset)
            XCTAssertEqual(back.model.codeValues(data.test.features), model.codeValues(data.test.features), "\(preset)")
            XCTAssertEqual(try back.encoded(), bytes, "\(preset): byte-for-byte")
            // A stored projection of the wrong width is refused, naming the file.
            var tensors = Dictionary(uniqueKeysWithValues: model.state)
            tensors["projection.bias"] = Matrix(rows: 1, columns: 3)
            XCTAssertThrowsError(try ModelTraining.emptyModel(config).load(state: tensors))
        }
    }

    func testBaselineEncodesRawTextThroughTheStoredVectorizer() throws {
        let dir = try TempDirectory()
        var lines: [String] = []
        let topics = ["sport": "football goal match league striker", "food": "recipe oven flour butter sauce", "space": "rocket orbit planet launch telescope"]
        for (label, words) in topics { for i in 0..<20 { lines.append("\(words) item\(i) daily news \(label)") } }
        let path = try dir.write("docs.txt", lines.joined(separator: "\n") + "\n")
        let data = try TextCorpusLoader.load(path: path, options: ["lemmatizer": "none"])
        guard case .text(let vectorizer) = data.preprocessing else { return XCTFail("text data has a vectoriser") }
        let config = ModelConfiguration(preset: .labelITQ, bits: 4, inputDimensions: data.featureCount, classCount: data.classCount, multiLabel: false)
        let (model, _) = try ModelTraining.fit(config, on: data.database, options: TrainingOptions(seed: 1))
        let metadata = ModelMetadata(dataset: "text", datasetName: "text", classNames: data.classNames, supervision: 1, labelledItems: 0,
                                     training: TrainingOptions(), trainSeconds: 0, finalLosses: [:], created: "", backend: "", version: "")
        let back = try ModelFile.decode(try ModelFile(model: model, preprocessing: data.preprocessing, metadata: metadata).encoded(), path: "m")
        guard case .text(let stored) = back.preprocessing else { return XCTFail("the vectoriser is stored") }
        let query = "rocket launch into orbit"
        XCTAssertEqual(back.model.codeValues(.sparse(stored.transform([query]).features)),
                       model.codeValues(.sparse(vectorizer.transform([query]).features)))
        // The query lands nearest to a space document.
        let codes = BinaryCodes(thresholding: back.model.codeValues(data.database.features))
        let q = BinaryCodes(thresholding: back.model.codeValues(.sparse(stored.transform([query]).features)))
        let spaceClass = data.classNames.firstIndex(of: "space")!
        let nearest = (0..<codes.count).min { q.distance(0, to: codes, $0) < q.distance(0, to: codes, $1) }!
        XCTAssertEqual(Int(data.database.labels.classesOf(nearest).first!), spaceClass)
    }
}
