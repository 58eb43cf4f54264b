/// What every classical baseline offers: code values for any features (bit j of an item is set
/// when its value j is > 0) and its whole fitted state as named Float matrices.
///
/// ```
/// code(x)_j = [codeValues(x)_j > 0],   j < bits
/// init(state: Dictionary(uniqueKeysWithValues: m.state)) reproduces m exactly
/// ```
///
/// ```swift
/// let itq = try ITQBaseline.fit(data.database, bits: 32, seed: 20)
/// let codes = itq.codes(data.test.features)
/// ```
public protocol HashingBaseline: Sendable {
    /// The model's name on the command line: "lsh", "itq", "ssh", "label-itq".
    static var modelName: String { get }
    var bits: Int { get }
    /// D, the number of input features.
    var inputDimensions: Int { get }
    /// Every tensor that defines the fitted model, by name, in a fixed order.
    var state: [(name: String, value: Matrix)] { get }
    /// Rebuilds the model from `state`; throws naming a missing tensor or a wrong shape.
    init(state: [String: Matrix]) throws
    /// n × bits code values.
    func codeValues(_ x: FeatureMatrix) -> Matrix
}

extension HashingBaseline {
    /// The codes of every row of `x`.
    public func codes(_ x: FeatureMatrix) -> BinaryCodes {
        BinaryCodes(thresholding: codeValues(x))
    }
}

/// The checks and look-ups the baselines share.
enum BaselineSupport {
    /// Rows whose label set is not empty, ascending.
    static func labelledRows(_ labels: Labels) -> [Int] {
        labels.labelledItems
    }

    /// Throws unless 1 ≤ bits ≤ limit (the number of directions the model can produce).
    static func checkBits(_ bits: Int, limit: Int, model: String, why: String) throws {
        guard bits >= 1 else { throw SemanticHashingError.invalidArgument(name: "bits", reason: "\(bits) is not a positive number of bits") }
        guard bits <= limit else {
            throw SemanticHashingError.invalidArgument(name: "bits", reason: "\(model) can make at most \(limit) bits here (\(why)), \(bits) requested")
        }
    }

    static func checkNotEmpty(_ data: DataSplit, model: String) throws {
        guard data.count > 0 && data.features.columns > 0 else {
            throw SemanticHashingError.invalidArgument(name: model, reason: "the training data is empty (\(data.count) items, \(data.features.columns) features)")
        }
    }

    /// `state[name]`, checked to be rows × columns (nil = any).
    static func tensor(_ state: [String: Matrix], _ name: String, rows: Int? = nil, columns: Int? = nil, model: String) throws -> Matrix {
        guard let t = state[name] else {
            throw SemanticHashingError.malformedInput(location: "\(model) model", reason: "missing tensor '\(name)'")
        }
        if let rows, t.rows != rows {
            throw SemanticHashingError.malformedInput(location: "\(model) model", reason: "tensor '\(name)' has \(t.rows) rows, expected \(rows)")
        }
        if let columns, t.columns != columns {
            throw SemanticHashingError.malformedInput(location: "\(model) model", reason: "tensor '\(name)' has \(t.columns) columns, expected \(columns)")
        }
        return t
    }

    /// Independent seeds for the stages of a fit, drawn from the model seed.
    static func stageSeeds(_ seed: UInt64, count: Int) -> [UInt64] {
        var rng = RandomSource(seed: seed)
        return (0..<count).map { _ in rng.next() }
    }
}
