/// Whether a dataset's features are what a model reads. Text models read the columns of their own
/// fitted vocabulary; a text dataset loaded on its own fits a vocabulary of its own, and when that
/// differs (another folder, other options) its columns mean other terms — codes computed from
/// them would be silently wrong. Feature-vector models need the same number of columns.
///
/// ```
/// compatible ⇔ columns = model inputs  ∧  (model reads text ⇒ same vectoriser settings, vocabulary and idf)
/// ```
///
/// ```swift
/// try file.checkInputs(of: dataset, source: "text:docs")
/// ```
extension ModelFile {
    public func checkInputs(of dataset: Dataset, source: String) throws {
        if case .text(let mine) = preprocessing {
            guard case .text(let theirs) = dataset.preprocessing else {
                throw SemanticHashingError.invalidArgument(
                    name: "--data", reason: "the model reads raw text through its vectoriser, but \(source) holds ready-made feature vectors whose columns cannot be checked against its vocabulary")
            }
            guard mine.settings == theirs.settings, mine.vocabulary == theirs.vocabulary,
                  mine.inverseDocumentFrequency == theirs.inverseDocumentFrequency else {
                let shared = Set(mine.vocabulary).intersection(theirs.vocabulary).count
                throw SemanticHashingError.invalidArgument(
                    name: "--data", reason: "\(source) was vectorised with its own vocabulary (\(shared) of its \(theirs.vocabulary.count) terms are among the model's \(mine.vocabulary.count)\(mine.settings == theirs.settings ? "" : "; other vectoriser settings")), so its columns are not the model's inputs")
            }
        }
        let inputs = model.configuration.inputDimensions
        guard dataset.featureCount == inputs else {
            throw SemanticHashingError.invalidArgument(
                name: "--data", reason: "\(source) has \(dataset.featureCount) features, the model reads \(inputs)")
        }
    }
}
