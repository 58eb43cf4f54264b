/// A classical baseline (LSH, ITQ, SSH, label-ITQ) behind the `HashingModel` protocol, so the
/// model file, encoding, indexing and evaluation treat it as they treat the VAEs.
///
/// ```
/// fit:     baseline = Kind.fit(training items, bits, seed, configuration.baseline)
/// values:  baseline.codeValues(x)        state: the baseline's named tensors
/// ```
///
/// ```swift
/// let model = try ClassicalModel.fit(configuration: config, on: maskedTraining, seed: 20)
/// let codes = BinaryCodes(thresholding: model.codeValues(data.test.features))
/// ```
public final class ClassicalModel: HashingModel, @unchecked Sendable {
    // `baseline` is set once by `fit` or `load(state:)` before the model is shared.
    public let configuration: ModelConfiguration
    public private(set) var baseline: (any HashingBaseline)?

    /// An unfitted model of this configuration, to be filled by `load(state:)`.
    public init(configuration: ModelConfiguration) {
        precondition(configuration.preset.family == .classical, "ClassicalModel: \(configuration.preset.rawValue) is not a classical model")
        self.configuration = configuration
    }

    /// Fits the configuration's baseline on `data` (its labels as masked: empty = unlabelled).
    public static func fit(configuration c: ModelConfiguration, on data: DataSplit, seed: UInt64) throws -> ClassicalModel {
        let model = ClassicalModel(configuration: c)
        switch c.preset {
        case .lsh: model.baseline = try LSHBaseline.fit(data, bits: c.bits, seed: seed, settings: c.baseline)
        case .itq: model.baseline = try ITQBaseline.fit(data, bits: c.bits, seed: seed, settings: c.baseline)
        case .ssh: model.baseline = try SSHBaseline.fit(data, bits: c.bits, seed: seed, settings: c.baseline)
        case .labelITQ: model.baseline = try LabelITQBaseline.fit(data, bits: c.bits, seed: seed, settings: c.baseline)
        default: preconditionFailure("ClassicalModel: checked in init")
        }
        return model
    }

    public func batchCodeValues(_ x: FeatureMatrix) -> Matrix {
        guard let baseline else { preconditionFailure("ClassicalModel: encoding before fit or load") }
        return baseline.codeValues(x)
    }

    public func labelProbabilities(_ x: FeatureMatrix) -> Matrix? {
        (baseline as? LabelITQBaseline)?.classifier.probabilities(x)
    }

    public var state: [(name: String, value: Matrix)] { baseline?.state ?? [] }

    public func load(state tensors: [String: Matrix]) throws {
        let loaded: any HashingBaseline
        switch configuration.preset {
        case .lsh: loaded = try LSHBaseline(state: tensors)
        case .itq: loaded = try ITQBaseline(state: tensors)
        case .ssh: loaded = try SSHBaseline(state: tensors)
        default: loaded = try LabelITQBaseline(state: tensors)
        }
        guard loaded.bits == configuration.bits, loaded.inputDimensions == configuration.inputDimensions else {
            throw SemanticHashingError.malformedInput(
                location: "model", reason: "the \(configuration.preset.rawValue) tensors make \(loaded.bits)-bit codes of \(loaded.inputDimensions) features; the configuration says \(configuration.bits) bits of \(configuration.inputDimensions)")
        }
        baseline = loaded
    }
}
