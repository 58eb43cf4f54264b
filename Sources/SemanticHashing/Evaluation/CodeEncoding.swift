/// A collection's binary codes straight from a model, without its n × B code values.
///
/// ```
/// codes(x) = BinaryCodes(thresholding: batchCodeValues(chunk))   chunk after chunk of `chunkSize` rows
/// ```
/// Besides the codes (B/8 bytes an item, rounded up to whole words), memory holds one chunk's
/// activations whatever n is; `codeValues` followed by thresholding would hold 4·B bytes an item.
///
/// ```swift
/// let database = model.codes(dataset.database.features)
/// ```
extension HashingModel {
    public func codes(_ x: FeatureMatrix, chunkSize: Int = 2048) -> BinaryCodes {
        var codes = BinaryCodes(bits: configuration.bits)
        var start = 0
        while start < x.rows {
            let end = min(start + chunkSize, x.rows)
            let part = x.rows <= chunkSize ? x : x.gatherRows(start..<end)
            codes.append(contentsOf: BinaryCodes(thresholding: batchCodeValues(part)))
            start = end
        }
        return codes
    }
}
