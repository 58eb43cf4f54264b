import Foundation
import SemanticHashing

/// A model file read once per process, with its fingerprint (what indexes record).
struct LoadedModel {
    let path: String
    let file: ModelFile
    let fingerprint: ModelFingerprint

    init(path: String) throws {
        self.path = path
        file = try ModelFile.read(from: path)
        fingerprint = file.fingerprint
    }

    var bits: Int { file.model.configuration.bits }
    var provenance: IndexProvenance { IndexProvenance(model: file, fingerprint: fingerprint, path: path) }
    var readsText: Bool { if case .text = file.preprocessing { return true } else { return false } }

    /// A dataset as this model sees it: text through the model's stored vectoriser.
    func load(_ spec: DatasetSpec) throws -> Dataset {
        guard case .text(let vectorizer) = file.preprocessing else { return try spec.load() }
        try vectorizer.checkReproducible()
        return try spec.load(vectorizer: vectorizer)
    }

    /// Raw text to codes with this model (an error for a model trained on feature vectors).
    func encoder(option: String = "--model") throws -> DocumentEncoder {
        do {
            return try DocumentEncoder(model: file, source: path, fingerprint: fingerprint)
        } catch let SemanticHashingError.invalidArgument(_, reason) {
            throw UsageError(description: "\(option): \(path) \(reason)")
        }
    }

    /// Refuses an index whose codes another model made (or of another length); warns when the
    /// index records no model, so nothing can be checked.
    func check(against collection: IndexedCollection, indexPath: String) throws {
        if let recorded = collection.provenance {
            guard recorded.fingerprint == fingerprint else {
                throw SemanticHashingError.invalidArgument(
                    name: "--model", reason: "\(path) is model \(fingerprint) (\(provenance.description)), but \(indexPath) was built with model \(recorded.fingerprint) (\(recorded.description)); its codes are not comparable. Use that model, or rebuild the index with 'semhash index --model \(path) --data …'")
            }
        } else if collection.count > 0 {
            printError("warning: \(indexPath) records no model (built from bare codes), so it cannot be checked that \(path) made its codes")
        }
        guard collection.bits == bits else {
            throw SemanticHashingError.invalidArgument(
                name: "--model", reason: "\(path) makes \(bits)-bit codes, \(indexPath) holds \(collection.bits)-bit codes")
        }
    }
}

/// Which items of a dataset a command takes.
enum DatasetPart: String, CaseIterable {
    case train, val, database, test, all

    static func option(default value: DatasetPart) -> OptionSpec {
        .choice("--split", "PART", "Items of the dataset (database = train + val; all = every document)",
                allCases.map(\.rawValue), default: value.rawValue)
    }

    /// The named splits this part holds, in index order.
    func splits(of dataset: Dataset) throws -> [(name: String, split: DataSplit)] {
        switch self {
        case .train: return [("train", dataset.train)]
        case .val:
            guard let v = dataset.validation else {
                throw SemanticHashingError.invalidArgument(name: "--split", reason: "the dataset has no validation split")
            }
            return [("val", v)]
        case .database: return [("train", dataset.train)] + (dataset.validation.map { [("val", $0)] } ?? [])
        case .test: return [("test", dataset.test)]
        case .all: return try DatasetPart.database.splits(of: dataset) + [("test", dataset.test)]
        }
    }
}

/// The ids of a split's items: the loader's (relative path, FILE:LINE, row), else split and row.
func itemIDs(of split: DataSplit, named name: String) -> [String] {
    split.ids ?? (0..<split.count).map { "\(name):\($0)" }
}

/// The documents of a dataset spec encoded with `model`, with ids, classes and snippets. Text is
/// always vectorised by the model's own vectoriser (one vocabulary per model: nothing is refitted,
/// so a document keeps its code however the collection grows):
/// - a `text:` dataset with `part` all: every raw document in file order (`DatasetDocuments`), as
///   `encode --stdin` would see it;
/// - otherwise the loader's splits; feature datasets must match the model's inputs (`checkInputs`).
func encodeDataset(_ specText: String, part: DatasetPart, model: LoadedModel, idPrefix: String, snippetLength: Int,
                   option: String = "--data") throws -> IndexedCollection {
    let spec = try usageChecked(option) { try DatasetSpec(parsing: specText) }
    if model.readsText && part == .all && DatasetDocuments.canRead(spec) {
        var documents = try DatasetDocuments.read(spec)
        if !idPrefix.isEmpty { for i in documents.indices { documents[i].id = idPrefix + documents[i].id } }
        var encoder = try model.encoder()
        var builder = IndexedCollectionBuilder(bits: model.bits, provenance: model.provenance, snippetLength: snippetLength)
        for start in stride(from: 0, to: documents.count, by: 1024) {
            let batch = Array(documents[start ..< min(start + 1024, documents.count)])
            builder.add(batch, codes: encoder.codes(for: batch.map(\.text)))
        }
        return builder.build()
    }
    let dataset = try model.load(spec)
    try model.file.checkInputs(of: dataset, source: specText)
    var parts: [(collection: IndexedCollection, source: String)] = []
    for (name, split) in try part.splits(of: dataset) {
        let codes = BinaryCodes(thresholding: model.file.model.codeValues(split.features))
        let snippets = split.texts.map { texts in texts.map { IndexedItem.snippet(of: $0, limit: snippetLength) } }
        let collection = IndexedCollection(codes: codes, ids: itemIDs(of: split, named: name).map { idPrefix + $0 },
                                           labels: split.labels, classNames: dataset.classNames,
                                           snippets: snippetLength > 0 ? snippets : nil, provenance: model.provenance)
        parts.append((collection, "\(specText) (\(name))"))
    }
    return try IndexedCollection.merging(parts)
}

/// Prints the code usage of `codes` (one line) and its warnings to standard error; returns it.
@discardableResult
func reportCodeUsage(_ codes: BinaryCodes, of what: String, quiet: Bool = false) -> CodeUsage {
    let usage = CodeUsage(codes)
    if !quiet { printError("code usage of \(what): \(usage.summary)") }
    for warning in usage.warnings(code: { codes.hexString(at: $0) }) { printError("warning: \(warning)") }
    return usage
}

extension LatentInputReadout.Choice {
    /// {"chosen": source, "neighbourhood_agreement": {source: share, …}} for `train` and `tune --json`;
    /// nil when nothing was weighed (only the latent was possible).
    var json: [String: Any]? {
        scores.isEmpty ? nil
            : ["chosen": chosen.rawValue, "neighbourhood_agreement": Dictionary(uniqueKeysWithValues: scores.map { ($0.source.rawValue, $0.agreement) }),
               "neighbours_by_tfidf": neighboursByTFIDF]
    }
}

extension CodeUsage {
    var json: [String: Any] {
        ["codes": count, "distinct": distinctCodes, "largestBucket": largestBucket, "largestShare": largestShare,
         "constantBits": constantBits, "meanImbalance": meanImbalance, "bucketEntropy": bucketEntropy,
         "onesShare": onesShare]
    }
}

/// `train` reports how the new model's codes use the code space on the training items, and where
/// one code holds too many of a VAE's items, the option that spreads them.
func reportTrainingCodeUsage(_ file: ModelFile, on split: DataSplit, quiet: Bool) {
    let config = file.model.configuration
    if !quiet, let readout = (file.model as? HashingVAE)?.readout, let first = readout.fitAttempts.first,
       let kept = readout.fitAttempts.last, kept.splitBits > 0 {
        printError("readout: one code held \(String(format: "%.1f %%", 100 * first.largestShare)) of the training items; " +
                   "refitted with \(kept.splitBits) of the \(config.bits) bits split off for within-class differences (docs/design.md, section 5)")
    }
    if !quiet, let readout = (file.model as? HashingVAE)?.readout, readout.pseudoLabelledItems > 0 {
        printError("readout: the input classifier was refitted with \(readout.pseudoLabelledItems) pseudo-labelled items beside the labelled ones: " +
                   "the unlabelled items that it and the model's classifier are surest of, class by class (docs/design.md, section 5)")
    }
    if !quiet, let choice = (file.model as? HashingVAE)?.inputReadoutChoice, let chosen = choice.scores.first(where: { $0.source == choice.chosen }) {
        let names: [LatentInputReadout.Source: String] = [.latent: "the latent", .rotatedLatent: "the latent rotated by ITQ",
                                                         .both: "the latent beside the input's principal components",
                                                         .input: "the input's principal components (the itq baseline's code; --model itq gives it without training)"]
        let short: [LatentInputReadout.Source: String] = [.latent: "latent", .rotatedLatent: "rotated latent", .both: "latent + components",
                                                         .input: "components"]
        let others = choice.scores.filter { $0.source != choice.chosen }.map { "\(short[$0.source]!) \(String(format: "%.1f %%", 100 * $0.agreement))" }
        // A supervised model reads the class from its classifiers; the choice is where its other bits come from.
        let supervised = (file.model as? HashingVAE)?.readout != nil
        let source = supervised && chosen.source == .input ? "the input's principal components" : names[chosen.source]!
        printError("readout: \(supervised ? "the bits beside the class directions" : "codes") read from \(source): they keep \(String(format: "%.1f %%", 100 * chosen.agreement)) of each item's " +
                   "100 nearest input neighbours\(choice.neighboursByTFIDF ? " (the counts weighted by idf)" : "") among its 100 nearest codes " +
                   "(\(others.joined(separator: ", ")); docs/design.md, section 5)")
    }
    let usage = reportCodeUsage(BinaryCodes(thresholding: file.model.codeValues(split.features)), of: "the training items", quiet: quiet)
    if !quiet && config.preset.family == .vae && config.bitBalance == 0 && usage.count >= CodeUsage.warningMinimumCount && usage.largestShare > CodeUsage.largestShareWarning {
        printError("note: --bit-balance 10 spreads the items over more codes, at some cost in precision by class (docs/design.md, section 4)")
    }
}

/// Standard output or a file written atomically at `finish` (temporary file, then rename):
/// lines go out as they are written, so a pipe sees each batch at once.
final class OutputSink {
    private let handle: FileHandle
    private let target: String?
    private let temporary: String?

    init(path: String?) throws {
        target = path
        guard let path else {
            handle = FileHandle.standardOutput
            temporary = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)").path
        guard FileManager.default.createFile(atPath: temp, contents: nil), let h = FileHandle(forWritingAtPath: temp) else {
            throw SemanticHashingError.io(path: path, reason: "cannot create a file here")
        }
        handle = h
        temporary = temp
    }

    deinit {
        if let temporary, FileManager.default.fileExists(atPath: temporary) { try? FileManager.default.removeItem(atPath: temporary) }
    }

    func write(_ text: String) throws {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw SemanticHashingError.io(path: target ?? "<stdout>", reason: "cannot write (\(error.localizedDescription))")
        }
    }

    func finish() throws {
        guard let temporary, let target else { return }
        try handle.close()
        if rename(temporary, target) != 0 {
            throw SemanticHashingError.io(path: target, reason: "cannot rename the temporary file into place (\(String(cString: strerror(errno))))")
        }
    }
}
