/// A model that maps feature vectors to binary codes: bit j of item i is set when its code value
/// v_ij is positive. Every model kind (the VAEs, the classical baselines) conforms, so training,
/// the model file, encoding, indexing and evaluation treat them alike.
///
/// ```
/// code(x)_j = [ v(x)_j > 0 ],   v = codeValues(x)      (n × B)
/// ```
///
/// ```swift
/// let values = model.codeValues(data.test.features)       // n × B floats, chunked
/// let codes = BinaryCodes(thresholding: values)            // or model.codes(…), memory flat in n
/// ```
public protocol HashingModel: AnyObject, Sendable {
    var configuration: ModelConfiguration { get }
    /// The code values of a batch small enough to hold its intermediate activations.
    func batchCodeValues(_ x: FeatureMatrix) -> Matrix
    /// Predicted label distributions ŷ (n × C), or nil for a model without a classifier.
    func labelProbabilities(_ x: FeatureMatrix) -> Matrix?
    /// Every tensor that defines the model, by name, in a fixed order (what a model file stores).
    var state: [(name: String, value: Matrix)] { get }
    /// Replaces every tensor from `tensors`; names and shapes must match `state`.
    func load(state tensors: [String: Matrix]) throws
}

extension HashingModel {
    /// The code values of every row of `x`, computed `chunkSize` rows at a time.
    public func codeValues(_ x: FeatureMatrix, chunkSize: Int = 2048) -> Matrix {
        let bits = configuration.bits
        if x.rows <= chunkSize { return batchCodeValues(x) }
        var out = Matrix(rows: x.rows, columns: bits)
        var start = 0
        while start < x.rows {
            let end = min(start + chunkSize, x.rows)
            let part = batchCodeValues(x.gatherRows(start..<end))
            out.storage.withUnsafeMutableBufferPointer { o in
                for i in 0..<part.storage.count { o[start * bits + i] = part.storage[i] }
            }
            start = end
        }
        return out
    }

    /// Checks `tensors` against `state` (same names, same shapes) before anything is replaced.
    public func checkShapes(of tensors: [String: Matrix]) throws {
        for (name, current) in state { _ = try checkedTensor(tensors, name, rows: current.rows, columns: current.columns) }
    }
}

/// `tensors[name]`, checked to be present and rows × columns (the file reader has already
/// rejected values that are not finite).
func checkedTensor(_ tensors: [String: Matrix], _ name: String, rows: Int, columns: Int) throws -> Matrix {
    guard let t = tensors[name] else { throw SemanticHashingError.malformedInput(location: "model", reason: "missing tensor '\(name)'") }
    guard t.rows == rows && t.columns == columns else {
        throw SemanticHashingError.malformedInput(location: "model", reason: "tensor '\(name)' is \(t.rows)×\(t.columns), expected \(rows)×\(columns)")
    }
    return t
}
