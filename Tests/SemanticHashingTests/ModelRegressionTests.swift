import XCTest
@testable import SemanticHashing

/// Every model, trained for a few epochs on a fixed seed, must keep producing the codes recorded
/// here: refactoring the model or the trainer may not change what they compute. The codes are of
/// the 40 test items of a small synthetic corpus; the recorded margins (smallest |code value|) are
/// far above float rounding, so both compute backends and any thread count give these bits.
///
/// To re-record after an intended change, run with `SEMHASH_RECORD_CODES=1` and paste the printed
/// table over `expected`.
final class ModelRegressionTests: XCTestCase {
    struct Case {
        var name: String
        var preset: ModelPreset
        var multiLabel = false
        var variant: ModelVariant = .reference
        var dense = false
    }

    static let cases: [Case] = [
        Case(name: "vdsh", preset: .vdsh),
        Case(name: "bvae", preset: .bvae),
        Case(name: "vdsh-s", preset: .vdshS),
        Case(name: "phs-gs", preset: .phsGS),
        Case(name: "phs-gs principled", preset: .phsGS, variant: .principled),
        Case(name: "ssb-vae", preset: .ssbVAE),
        Case(name: "ssb-vae multi-label", preset: .ssbVAE, multiLabel: true),
        Case(name: "phs-gs multi-label principled", preset: .phsGS, multiLabel: true, variant: .principled),
        Case(name: "vdsh-s gaussian decoder", preset: .vdshS, dense: true),
    ]

    /// Codes of the 40 test items, and the last epoch's mean total loss.
    static let expected: [String: (codes: String, loss: Float)] = [
        "vdsh": ("cd4eeb0e7f0aef8379cb2f89af89765fed8de7805895eb08ecc97b890788ad019c85ac007b89bf8b7fd74c85e88bbf8929a9af8027a2a725fcb97c116f007f03af8b33aaff81a4a0a1807d457616a684", 7.0560923),
        "bvae": ("fd4eef0eb70aaf2b7b4baf89b709765bfd8daf087085d309ed097b09a708bf099d81af0bff89bf0b7f837c81e88bbf897ba9af0127a2af27bcb93c012700ff03a70bb32aff01a429a589fd4c7e06afae", 5.743239),
        "vdsh-s": ("dd5ecb0e7f0aaf03794f2f89af09765f6dcdaf0058958b08fc4d7b890709bf051c85ac057b89bf0b7fd74c85a8cbbf8939a9af0127a2af25bcb93c116f007f03af0b3322df01a4ada4815d457616ae86", 7.6201344),
        "phs-gs": ("dd4fef0f7f0aaea379cfaf89af09765fedcdaf875c95ab59accd7b898789ac059d85ac25ef8baf8b7f574c85a8cbab89adafaf0327a2af25bc193c812700ef03af03a36bbf81a4a9a481cd4d7617ae86", 65.66255),
        "phs-gs principled": ("d95fef4f7f0aaf2b7b4faf89af09765fedcdaf0358d58b59ac4d7b8b8709ac059cc5ac23bb89af0b7f575c85a8cbab89a98daf0327a2af67bc193c012700af03af4bb36bbf01a42da681dd4d7656aec6", 27.254457),
        "ssb-vae": ("d94fef4f7f0aae8379cfaf89af09765fedcdaf025c95af49eccd7b8b46c9ac079dc5ac25ef8baf8b7f574c85accfab81ad8daf0327a2af65bc193cc1af00ef03ae43b36bbf05a4a5ac815c457657acc7", 90.78037),
        "ssb-vae multi-label": ("bc055009f70ad4cdb489ada9af0998ddac1df74ba8c37f4e5c85bc83bd05ab89bf09274a9c9dbf09e789f70bef0ab60950a29d85ac85345854c4565636157c81bd89a4dffbedbd09bb08f705535878a9", 302.07822),
        "phs-gs multi-label principled": ("ad055081bf0a8ccdb48ba5a9af2998edac15a70ba9c72f4e7c85ac83bb01aba9af20a762bcf9af20e799bf0aaf42b60931a29dc5acc7345854c556563610dc81bd89aec3ebefa728af08e7015358b8b9", 53.989643),
        "vdsh-s gaussian decoder": ("db4ecb0e7f0aef8b7b4b7fc9af89765f79c966845885cb08ec895a895289bf091cc5aca25b887b8b7f575c84ac8fbb897989ed8023a2af25fcb93c916f107f03ae0b33a2df01acadab815cc57c17ae86", 39.785545),
    ]

    /// The 40 test codes (hex, concatenated), the smallest |code value| among them and the last
    /// epoch's mean loss.
    static func codes(for c: Case) throws -> (hex: String, margin: Float, loss: Float) {
        let multi = c.multiLabel ? ",multilabel=true" : ""
        var data = try SyntheticCorpus.load(argument: "docs=240,val=24,test=40,vocab=300,classes=4,length=30,seed=5\(multi)", options: [:])
        if c.dense {
            // Continuous features through the Gaussian decoder: the dense log-counts, centred.
            func centred(_ s: DataSplit) -> DataSplit {
                guard case .sparse(let x) = s.features else { return s }
                var m = x.densified()
                for i in m.storage.indices { m.storage[i] -= 0.1 }
                return DataSplit(features: .dense(m), labels: s.labels)
            }
            data = Dataset(name: data.name, train: centred(data.train), validation: data.validation.map(centred),
                           test: centred(data.test), classNames: data.classNames, reconstruction: .gaussian)
        }
        let config = ModelConfiguration(preset: c.preset, bits: 16, inputDimensions: data.featureCount, classCount: data.classCount,
                                        multiLabel: data.isMultiLabel, reconstruction: data.reconstruction,
                                        weights: LossWeights(alpha: 0.5, beta: 0.1, gamma: 2), variant: c.variant,
                                        hiddenDimensions: 32)
        let model = HashingVAE(configuration: config, seed: 11)
        let masked = SupervisionMask.apply(to: data, level: 0.5, seed: 3)
        let history = try Trainer(options: TrainingOptions(epochs: 3, batchSize: 40, seed: 11)).train(model, on: masked.train)
        let values = model.codeValues(data.test.features)
        let codes = BinaryCodes(thresholding: values)
        let hex = (0..<codes.count).map { codes.hexString(at: $0) }.joined()
        return (hex, values.storage.map(abs).min() ?? 0, history.last?.losses.total ?? .nan)
    }

    func testEveryModelKeepsItsCodes() throws {
        let record = ProcessInfo.processInfo.environment["SEMHASH_RECORD_CODES"] != nil
        for c in Self.cases {
            let (hex, margin, loss) = try Self.codes(for: c)
            if record {
                print("        \"\(c.name)\": (\"\(hex)\", \(loss)),  // margin \(margin)")
                continue
            }
            guard let expected = Self.expected[c.name] else { return XCTFail("no recorded codes for \(c.name)") }
            XCTAssertEqual(hex, expected.codes, c.name)
            XCTAssertEqual(loss, expected.loss, accuracy: 1e-4 * abs(expected.loss), c.name)
        }
    }
}
