import Foundation
import SemanticHashing

/// `search --model M --query TEXT`: raw text through the model's stored vectoriser, then its code.
func queryCodeFromModel(modelPath: String, text: String, bits: Int) throws -> BinaryCodes {
    let file = try ModelFile.read(from: modelPath)
    guard file.model.configuration.bits == bits else {
        throw UsageError(description: "the model makes \(file.model.configuration.bits)-bit codes, the index holds \(bits)-bit codes")
    }
    guard case .text(let vectorizer) = file.preprocessing else {
        throw SemanticHashingError.invalidArgument(
            name: "--query", reason: "\(modelPath) was trained on feature vectors (\(file.metadata.dataset)), not raw text; use --query-code or --stdin")
    }
    try vectorizer.checkReproducible()
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw SemanticHashingError.invalidArgument(name: "--query", reason: "is empty")
    }
    let features = vectorizer.transform([text]).features
    if features.nonZeroCount == 0 {
        printError("warning: no word of the query is in the model's vocabulary; its code is the model's code for an empty document")
    }
    return BinaryCodes(thresholding: file.model.codeValues(.sparse(features)))
}

/// `index --model M --data DATASET`: the codes of the dataset's database (train + val), with ids
/// "row [class] text" so search results are readable.
func indexCodesFromModel(modelPath: String, dataSpec: String) throws -> CodeListing {
    let file = try ModelFile.read(from: modelPath)
    let dataset = try DatasetSpec(parsing: dataSpec).load()
    guard dataset.featureCount == file.model.configuration.inputDimensions else {
        throw SemanticHashingError.invalidArgument(name: "--data", reason: "has \(dataset.featureCount) features, the model expects \(file.model.configuration.inputDimensions)")
    }
    let database = dataset.database
    let codes = BinaryCodes(thresholding: file.model.codeValues(database.features))
    let ids = (0..<database.count).map { i -> String in
        let classes = database.labels.classesOf(i).map { dataset.classNames[Int($0)] }.joined(separator: ",")
        let text = database.texts.map { " " + String($0[i].prefix(100)).replacingOccurrences(of: "\n", with: " ") } ?? ""
        return "\(i) [\(classes)]\(text)"
    }
    return CodeListing(codes: codes, ids: ids)
}
