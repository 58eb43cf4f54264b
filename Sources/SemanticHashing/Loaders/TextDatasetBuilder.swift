/// One labelled raw document of a text loader.
struct LabelledDocument {
    /// What the vectoriser reads.
    var text: String
    /// Class index into the dataset's class names.
    var label: Int
    /// A short text for showing the item in results.
    var display: String
    /// Where the document came from (`DataSplit.ids`).
    var id: String
}

/// Builds a `Dataset` from labelled raw documents: fits a `TextVectorizer`, encodes every split and
/// assembles labels, texts, settings and the stored preprocessing. Shared by the text loaders so
/// they differ only in how they read and split their sources.
///
/// Rows of the documents the vectoriser was fitted on come straight from the fit (no second
/// tokenisation); the other splits go through `transform`. The reconstruction target is the raw
/// counts when the encoder input is log(1 + tf), otherwise the features themselves.
///
/// ```swift
/// let data = try TextDatasetBuilder.build(name: "snippets", source: dir, documents: docs,
///     train: p.train, validation: p.validation, test: testRows, classNames: names,
///     settings: .snippets, loaderSettings: [("seed", "20")])
/// ```
enum TextDatasetBuilder {
    static func build(name: String, source: String, documents: [LabelledDocument],
                      train: [Int], validation: [Int], test: [Int], classNames: [String],
                      settings: TextVectorizerSettings, fitOnValidation: Bool = false,
                      dropEmptyTrainingRows: Bool = false, prefitted: TextVectorizer? = nil,
                      loaderSettings: [(key: String, value: String)], notes: [String] = []) throws -> Dataset {
        guard !train.isEmpty else {
            throw SemanticHashingError.malformedInput(location: source, reason: "no training documents")
        }
        guard !test.isEmpty else {
            throw SemanticHashingError.malformedInput(location: source, reason: "no test documents")
        }
        // With a prefitted vectoriser (a model's) nothing is fitted: every split goes through its
        // vocabulary, and no row is dropped, since every document is to be encoded.
        let fitRows = prefitted == nil ? (fitOnValidation ? train + validation : train) : []
        var notes = notes, fitSettings = settings
        let lemmatizerFellBack = prefitted == nil && settings.lemmatizer.resolved != settings.lemmatizer
        if lemmatizerFellBack {
            // Not silent: the vocabulary, and so every code, differs from a machine with WordNet.
            notes.append("no WordNet database at \(WordNetLemmatizer.defaultDirectory) (install wordnet-base or set WNSEARCHDIR): "
                         + "words are stemmed with Porter2 instead, so the vocabulary and the codes differ from a machine that has it")
            fitSettings.lemmatizer = settings.lemmatizer.resolved
        }
        let fitted = prefitted.map { (vectorizer: $0, features: SparseMatrix(rows: 0, columns: $0.featureCount, rowStart: [0], columnIndices: [], values: []),
                                      counts: SparseMatrix(rows: 0, columns: $0.featureCount, rowStart: [0], columnIndices: [], values: [])) }
            ?? TextVectorizer.fitTransform(fitRows.map { documents[$0].text }, settings: fitSettings)
        let vectorizer = fitted.vectorizer
        let settings = vectorizer.settings
        let dropEmptyTrainingRows = dropEmptyTrainingRows && prefitted == nil
        guard vectorizer.featureCount > 0 else {
            throw SemanticHashingError.malformedInput(
                location: source, reason: "no term of the \(fitRows.count) training documents survives the vectoriser's rules (stop words, length, document frequency"
                    + (settings.minDocumentFrequency > 1 ? ": a term must occur in \(settings.minDocumentFrequency) of them; ?min-df=1 keeps every term)" : ")"))
        }
        var rowInFit: [Int: Int] = [:]
        for (r, d) in fitRows.enumerated() { rowInFit[d] = r }
        let keepsCounts = settings.valueTransform == .log1p

        func split(_ rows: [Int]) -> DataSplit {
            let features: SparseMatrix, counts: SparseMatrix
            let fitPositions = rows.compactMap { rowInFit[$0] }
            if fitPositions.count == rows.count {
                features = fitted.features.gatherRows(fitPositions)
                counts = fitted.counts.gatherRows(fitPositions)
            } else {
                (features, counts) = vectorizer.transform(rows.map { documents[$0].text })
            }
            return DataSplit(features: .sparse(features), reconstructionTarget: keepsCounts ? .sparse(counts) : nil,
                             labels: Labels(singleLabel: rows.map { documents[$0].label }, classCount: classNames.count),
                             texts: rows.map { documents[$0].display }, ids: rows.map { documents[$0].id })
        }

        /// The rows of a split whose documents have no term (a text split's features are sparse).
        func termlessRows(_ s: DataSplit) -> Set<Int> {
            guard case .sparse(let x) = s.features else { return [] }
            return Set((0..<x.rows).filter { x.rowStart[$0] == x.rowStart[$0 + 1] })
        }

        var trainSplit = split(train)
        var dropped = 0
        if dropEmptyTrainingRows {
            let termless = termlessRows(trainSplit)
            dropped = termless.count
            if dropped > 0 { trainSplit = trainSplit.gatherRows((0..<trainSplit.count).filter { !termless.contains($0) }) }
        }
        let validationSplit = validation.isEmpty ? nil : split(validation)
        let testSplit = split(test)
        // Not silent: documents without a term all get the empty document's code.
        let splits = [trainSplit, validationSplit, testSplit].compactMap { $0 }
        let empty = splits.reduce(0) { $0 + termlessRows($1).count }
        if empty > 0 {
            let rarity = settings.minDocumentFrequency > 1
                ? " (here a term must occur in \(settings.minDocumentFrequency) training documents; ?min-df=1 keeps the terms of one)" : ""
            let (have, they) = empty == 1 ? ("has", "it gets") : ("have", "they all get")
            notes.append("\(empty) of \(splits.reduce(0) { $0 + $1.count }) documents \(have) no term of the vocabulary: the vectoriser's "
                         + "rules dropped every word of \(empty == 1 ? "it" : "them")\(rarity), so \(they) the code of an empty document")
        }

        var info: [(key: String, value: String)] = [("source", source)]
        info += loaderSettings
        info.append(("items", "\(trainSplit.count) train / \(validationSplit?.count ?? 0) validation / \(testSplit.count) test"
                     + (dropped > 0 ? " (\(dropped) all-zero training rows dropped)" : "")))
        info.append(("vectoriser fitted on", prefitted != nil ? "(given: the model's own)"
                     : "\(fitRows.count) documents (\(fitOnValidation ? "train + validation" : "train part only"))"))
        info += settings.summary
        if settings.lemmatizer == .wordnet, let wn = WordNetLemmatizer.shared {
            info = info.map { $0.key == "lemmatizer" ? ("lemmatizer", "wordnet (\(wn.directory))") : $0 }
        }
        info.append(("vocabulary", "\(vectorizer.featureCount) terms"))

        var dataset = Dataset(name: name, train: trainSplit, validation: validationSplit, test: testSplit,
                              classNames: classNames, featureNames: vectorizer.vocabulary, reconstruction: .distribution,
                              preprocessing: .text(vectorizer), settings: info, notes: notes)
        if lemmatizerFellBack { dataset.substitutions = [("lemmatizer", fitSettings.lemmatizer.rawValue)] }
        return dataset
    }

    /// The body of a document that opens with a mail/HTTP-style header block: lines "Key: value"
    /// (or continuation lines starting with a blank; the first line may also be an HTTP status
    /// line or an mbox "From " line) up to the first blank line. A document without such a block,
    /// or whose block is all there is, is returned whole. For display only: the vectoriser still
    /// reads the whole document.
    static func bodyAfterHeaderBlock(_ text: String) -> Substring {
        func isHeaderLine(_ line: Substring, first: Bool) -> Bool {
            if first && (line.hasPrefix("HTTP/") || line.hasPrefix("From ")) { return true }
            if !first && (line.first == " " || line.first == "\t") { return true }
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return false }
            let key = line[..<colon]
            return key.first!.isLetter && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
        var position = text.startIndex
        var first = true
        while position < text.endIndex {
            let end = text[position...].firstIndex(of: "\n") ?? text.endIndex
            var line = text[position..<end]
            if line.last == "\r" { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if first { return text[...] }
                let body = text[(end < text.endIndex ? text.index(after: end) : end)...]
                return body.contains(where: { !$0.isWhitespace }) ? body : text[...]
            }
            guard isHeaderLine(line, first: first) else { return text[...] }
            first = false
            position = end < text.endIndex ? text.index(after: end) : end
        }
        return text[...]
    }

    /// `text` with runs of white space collapsed, cut to about `limit` code points.
    static func displayText(_ text: some StringProtocol, limit: Int = 200) -> String {
        // Scalars with an ASCII fast path: Character properties cost ~100 ns each, which showed
        // up as a tenth of the 20 Newsgroups load time.
        var out = String.UnicodeScalarView()
        var length = 0
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let blank = scalar.isASCII ? (scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D))
                                       : scalar.properties.isWhitespace
            if blank { pendingSpace = length > 0; continue }
            if length >= limit { out.append("…"); break }
            if pendingSpace { out.append(" "); pendingSpace = false; length += 1 }
            out.append(scalar)
            length += 1
        }
        return String(out)
    }
}
