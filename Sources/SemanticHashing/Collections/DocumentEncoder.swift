/// Raw text to binary codes with a trained model, batch after batch, exactly as training saw its
/// text: the model file's fitted vectoriser, then the model's code values, then the sign:
///
/// ```
/// code(d)_j = [ v(x(d))_j > 0 ],   x = the stored vectoriser's features of document d
/// ```
/// Memory is that of one batch (plus the vectoriser's bounded word cache), so a stream of any
/// length is encoded in constant memory.
///
/// ```swift
/// var encoder = try DocumentEncoder(model: try ModelFile.read(from: "docs.semhash"), source: "docs.semhash")
/// let codes = encoder.codes(for: ["cheap flights to rome", "orbit of the moon"])
/// ```
public struct DocumentEncoder {
    public let model: ModelFile
    public let fingerprint: ModelFingerprint
    private var vectorizer: StreamingTextVectorizer

    /// Fails when the model was trained on feature vectors (it cannot read text) or when its
    /// vectoriser cannot run here (WordNet missing).
    public init(model: ModelFile, source: String, fingerprint known: ModelFingerprint? = nil) throws {
        guard case .text(let v) = model.preprocessing else {
            throw SemanticHashingError.invalidArgument(
                name: source, reason: "was trained on feature vectors (\(model.metadata.dataset)), not raw text, so it cannot encode documents")
        }
        try v.checkReproducible()
        self.model = model
        fingerprint = known ?? model.fingerprint
        vectorizer = StreamingTextVectorizer(v)
    }

    public var bits: Int { model.model.configuration.bits }

    /// The codes of `texts`, in order.
    public mutating func codes(for texts: [String]) -> BinaryCodes {
        guard !texts.isEmpty else { return BinaryCodes(bits: bits) }
        let features = vectorizer.transform(texts).features
        return BinaryCodes(thresholding: model.model.codeValues(.sparse(features)))
    }

    /// Known words of `text`, of how many (see `StreamingTextVectorizer.wordCoverage`).
    public mutating func wordCoverage(of text: String) -> (known: Int, words: Int) {
        vectorizer.wordCoverage(of: text)
    }

    /// The provenance an index built with this encoder records.
    public func provenance(path: String) -> IndexProvenance {
        IndexProvenance(model: model, fingerprint: fingerprint, path: path)
    }
}

extension IndexProvenance {
    /// "SSB-VAE, 32 bits, trained on text:docs (docs.semhash)".
    public init(model: ModelFile, fingerprint: ModelFingerprint? = nil, path: String) {
        let config = model.model.configuration
        let file = path.split(separator: "/").last.map(String.init) ?? path
        self.init(fingerprint: fingerprint ?? model.fingerprint,
                  description: "\(config.preset.paperName), \(config.bits) bits, trained on \(model.metadata.dataset) (\(file))")
    }
}
