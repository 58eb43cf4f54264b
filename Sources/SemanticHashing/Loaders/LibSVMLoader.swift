import Foundation

/// Reads SVMlight/libsvm files: one item per line, `<label>[,<label>…] <index>:<value> …` with
/// 1-based feature indices; a line holding only its label is an empty document, a line starting
/// with `index:value` has no label, `#` starts a comment.
///
/// Spec: `libsvm:TRAIN[,TEST][?key=value&…]` with the options
/// - `test=FILE` the test file (instead of the second path);
/// - `values=log1p` the file holds log(1 + count): the reconstruction target becomes
///   count = round(exp(v) − 1) (otherwise the target is the features themselves);
/// - `features=N` the column count (default: the lines of `vocab=FILE` / a `vocab.txt` beside
///   TRAIN, else the largest index seen in either file);
/// - `classes=FILE` class names, one a line (default: a `classes.txt` beside TRAIN, else the
///   class ids through `ClassNumbering`: "0", "1", … for the usual dense numbering, the ids
///   themselves for sparse ids such as {3, 99999999});
/// - `validation=N` the last N rows of TRAIN are the validation split (default: the `val`
///   entry of a `split.txt` beside TRAIN, else no validation split);
/// - `labels=0based|1based` how class numbers count (default 0based);
/// - `name=NAME` the dataset's short name (default: the folder holding TRAIN).
///
/// Item ids are "FILE:LINE". Feature indices are bounded by `LoaderLimits.maximumFeatures`,
/// values by the Float32 range.
///
/// ```swift
/// let data = try LibSVMLoader.load(paths: "ref/train.svm,ref/test.svm", options: ["values": "log1p"])
/// ```
public enum LibSVMLoader {
    /// The rows of one libsvm file, as read (indices already 0-based, labels the class ids as
    /// written, not yet mapped to class indices).
    struct Rows {
        var rowStart: [Int] = [0]
        var columns: [Int32] = []
        var values: [Double] = []
        var labelOffsets: [Int] = [0]
        var labels: [Int32] = []
        /// 1-based line number of every row, so later checks can still name the line.
        var lineNumbers: [Int] = []
        var maxIndex = 0
        var hasMultiLabelRow = false
        var count: Int { rowStart.count - 1 }

        /// The line of the row holding label entry `k`.
        func line(ofLabel k: Int) -> Int {
            let row = (labelOffsets.lastIndex { $0 <= k } ?? 0)
            return row < lineNumbers.count ? lineNumbers[row] : 0
        }
    }

    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "libsvm",
                                  known: ["test", "values", "features", "classes", "validation", "labels", "name", "vocab"])
        let (trainPath, testPath) = try o.trainTestPaths(paths)
        let logValues = try o.choice("values", ["raw": false, "plain": false, "log1p": true], default: false)
        let base = try o.classBase() ?? 0
        let directory = folder(of: trainPath)
        func beside(_ name: String) -> String? {
            let p = (directory.isEmpty ? name : directory + "/" + name)
            return FileManager.default.fileExists(atPath: p) ? p : nil
        }

        let vocabPath = options["vocab"] ?? beside("vocab.txt")
        let featureNames = try vocabPath.map { try readNameList($0) }
        var featureCount = try o.positiveInt("features", maximum: LoaderLimits.maximumFeatures) ?? featureNames?.count
        if let names = featureNames, let n = featureCount, names.count != n {
            throw o.invalid("features", "\(vocabPath ?? "the vocabulary") lists \(names.count) names")
        }
        if let names = featureNames, names.count > LoaderLimits.maximumFeatures, let p = vocabPath {
            throw SemanticHashingError.malformedInput(location: p, reason: "\(names.count) feature names exceed the limit of \(LoaderLimits.maximumFeatures)")
        }
        let classesPath = options["classes"] ?? beside("classes.txt")
        let classNamesFromFile = try classesPath.map { try readNameList($0) }

        var train = try parse(ByteText(path: trainPath), featureCount: featureCount, base: base, logValues: logValues)
        var test = try parse(ByteText(path: testPath), featureCount: featureCount, base: base, logValues: logValues)
        if featureCount == nil { featureCount = max(train.maxIndex, test.maxIndex) }
        let columns = featureCount ?? 0

        if let names = classNamesFromFile {
            for (rows, path) in [(train, trainPath), (test, testPath)] {
                if let k = rows.labels.firstIndex(where: { Int($0) - base >= names.count }) {
                    throw SemanticHashingError.malformedInput(location: "\(path):\(rows.line(ofLabel: k))",
                                                              reason: "class \(rows.labels[k]) is not among the \(names.count) classes of \(classesPath ?? "")")
                }
            }
        }
        guard !train.labels.isEmpty || !test.labels.isEmpty else {
            throw SemanticHashingError.malformedInput(location: trainPath, reason: "no item has a label")
        }
        let numbering = try ClassNumbering(ids: Set(train.labels.map(Int.init)).union(test.labels.map(Int.init)), base: base,
                                           nameCount: classNamesFromFile?.count, source: "\(trainPath), \(testPath)")
        train.labels = train.labels.map { Int32(numbering.index(of: Int($0))) }
        test.labels = test.labels.map { Int32(numbering.index(of: Int($0))) }
        let classNames = classNamesFromFile ?? numbering.names
        let classCount = classNames.count
        let multi = train.hasMultiLabelRow || test.hasMultiLabelRow

        let validationCount: Int
        if let n = try o.nonNegativeInt("validation") {
            guard n < train.count else { throw o.invalid("validation", "\(trainPath) has only \(train.count) rows") }
            validationCount = n
        } else if let splitPath = beside("split.txt") {
            validationCount = try readSplitFile(splitPath, rows: train.count)
            guard validationCount < train.count else {
                throw SemanticHashingError.malformedInput(location: splitPath, reason: "\(validationCount) validation rows but \(trainPath) has only \(train.count) rows")
            }
        } else {
            validationCount = 0
        }

        var trainAll = makeSplit(train, columns: columns, classCount: classCount, multi: multi, logValues: logValues, path: trainPath)
        var testSplit = makeSplit(test, columns: columns, classCount: classCount, multi: multi, logValues: logValues, path: testPath)
        if let names = featureNames {
            // With a vocabulary, show an item as its strongest terms (the file has no raw text).
            trainAll.texts = termTexts(train, names: names)
            testSplit.texts = termTexts(test, names: names)
        }
        let (trainSplit, validation) = SplitCarving.lastRows(of: trainAll, count: validationCount)

        var name = options["name"] ?? (directory as NSString).lastPathComponent
        if name.isEmpty || name == "." { name = "libsvm" }
        var settings: [(key: String, value: String)] = [
            ("format", "libsvm"), ("train file", trainPath), ("test file", testPath),
            ("values", logValues ? "log(1 + count); target = round(exp(v) - 1)" : "as stored; target = features"),
            ("class numbers", classNamesFromFile != nil ? "\(base)-based, named by \(classesPath ?? "")" : numbering.summary),
            ("validation", validationCount == 0 ? "none" : "last \(validationCount) rows of the train file"),
        ]
        if let p = classesPath { settings.append(("class names", p)) }
        if let p = vocabPath { settings.append(("feature names", "\(p) (texts = each item's 10 strongest terms)")) }
        return Dataset(name: name, train: trainSplit, validation: validation, test: testSplit, classNames: classNames,
                       featureNames: featureNames, reconstruction: .distribution, preprocessing: .none, settings: settings)
    }

    /// Each row's up to 10 highest-valued terms, strongest first: "term term …".
    static func termTexts(_ r: Rows, names: [String]) -> [String] {
        (0..<r.count).map { i in
            let range = r.rowStart[i]..<r.rowStart[i + 1]
            let top = range.sorted { r.values[$0] > r.values[$1] || (r.values[$0] == r.values[$1] && $0 < $1) }.prefix(10)
            return top.map { k in Int(r.columns[k]) < names.count ? names[Int(r.columns[k])] : "#\(r.columns[k])" }.joined(separator: " ")
        }
    }

    /// Builds a split: features as Float, the count target for log1p files, labels.
    static func makeSplit(_ r: Rows, columns: Int, classCount: Int, multi: Bool, logValues: Bool, path: String) -> DataSplit {
        let features = SparseMatrix(rows: r.count, columns: columns, rowStart: r.rowStart, columnIndices: r.columns,
                                    values: r.values.map { Float($0) })
        var target: FeatureMatrix?
        if logValues {
            target = .sparse(SparseMatrix(rows: r.count, columns: columns, rowStart: r.rowStart, columnIndices: r.columns,
                                          values: r.values.map { Float((Foundation.exp($0) - 1).rounded()) }))
        }
        let labels = Labels(classCount: classCount, isMultiLabel: multi, offsets: r.labelOffsets, classes: r.labels)
        let file = (path as NSString).lastPathComponent
        return DataSplit(features: .sparse(features), reconstructionTarget: target, labels: labels,
                         ids: r.lineNumbers.map { "\(file):\($0)" })
    }

    /// Reads the rows of one file. `featureCount` (when known) bounds the indices.
    static func parse(_ text: ByteText, featureCount: Int?, base: Int, logValues: Bool) throws -> Rows {
        var r = Rows()
        try text.bytes.withUnsafeBufferPointer { b in
            let n = text.count
            var i = 0
            var line = 1
            var rowEntries: [(Int32, Double)] = []
            while i < n {
                while ByteParse.isBlank(b[i]) { i += 1 }
                if b[i] == ByteParse.newline { i += 1; line += 1; continue }
                if b[i] == ByteParse.hash {
                    while !ByteParse.isLineEnd(b[i]) { i += 1 }
                    continue
                }
                if b[i] == 0 { break }
                // Labels: the first token, unless it already is an index:value pair.
                var j = i
                var tokenHasColon = false
                while !ByteParse.isBlank(b[j]) && !ByteParse.isLineEnd(b[j]) {
                    if b[j] == ByteParse.colon { tokenHasColon = true; break }
                    j += 1
                }
                var labelCount = 0
                if !tokenHasColon {
                    let labelStart = i
                    while true {
                        guard let (v, e) = ByteParse.signedInt(b, i) else {
                            throw text.malformed(line: line, "label '\(ByteParse.token(b, i))' is not an integer class number")
                        }
                        // Stored as written; `ClassNumbering` maps the ids seen to class indices.
                        let label = v
                        guard label >= base, label <= Int(Int32.max) else {
                            throw text.malformed(line: line, "class number \(v) is out of range (\(base)-based class numbers up to \(Int32.max))")
                        }
                        r.labels.append(Int32(label))
                        labelCount += 1
                        i = e
                        if b[i] == ByteParse.comma { i += 1; continue }
                        guard ByteParse.isBlank(b[i]) || ByteParse.isLineEnd(b[i]) || b[i] == ByteParse.hash else {
                            throw text.malformed(line: line, "label '\(ByteParse.token(b, labelStart))' is not an integer class number")
                        }
                        break
                    }
                    if labelCount > 1 {
                        r.hasMultiLabelRow = true
                        // Labels within an item are kept sorted and distinct, as `Labels` expects.
                        let start = r.labels.count - labelCount
                        let sorted = Array(Set(r.labels[start...])).sorted()
                        r.labels.replaceSubrange(start..., with: sorted)
                    }
                }
                // index:value pairs.
                rowEntries.removeAll(keepingCapacity: true)
                var previous = 0
                var ordered = true
                while true {
                    while ByteParse.isBlank(b[i]) { i += 1 }
                    if ByteParse.isLineEnd(b[i]) || b[i] == ByteParse.hash { break }
                    guard let (index, e1) = ByteParse.unsignedInt(b, i), b[e1] == ByteParse.colon else {
                        throw text.malformed(line: line, "'\(ByteParse.token(b, i))' is not an index:value pair")
                    }
                    guard index >= 1 else {
                        throw text.malformed(line: line, "feature index 0: indices are 1-based")
                    }
                    if let limit = featureCount, index > limit {
                        throw text.malformed(line: line, "feature index \(index) is beyond the \(limit) features")
                    }
                    guard index <= LoaderLimits.maximumFeatures else {
                        throw text.malformed(line: line, "feature index \(index) is beyond the limit of \(LoaderLimits.maximumFeatures) features")
                    }
                    guard let (value, e2) = ByteParse.double(b, e1 + 1),
                          ByteParse.isBlank(b[e2]) || ByteParse.isLineEnd(b[e2]) || b[e2] == ByteParse.hash else {
                        throw text.malformed(line: line, "value '\(ByteParse.token(b, e1 + 1))' of feature \(index) is not a number")
                    }
                    guard LoaderLimits.fitsFloat(value) else {
                        throw text.malformed(line: line, "feature \(index): \(LoaderLimits.valueProblem(value))")
                    }
                    // The count target round(exp(v) − 1) must be a finite Float too (v ≤ ~88.7).
                    if logValues && !LoaderLimits.fitsFloat(Foundation.exp(value) - 1) {
                        throw text.malformed(line: line, "value \(value) of feature \(index) is too large for log(1 + count): exp(v) − 1 is beyond the Float32 range")
                    }
                    if logValues && value < 0 {
                        throw text.malformed(line: line, "value \(value) of feature \(index) is negative, impossible for log(1 + count)")
                    }
                    if index <= previous { ordered = false }
                    previous = index
                    r.maxIndex = max(r.maxIndex, index)
                    rowEntries.append((Int32(index - 1), value))
                    i = e2
                }
                if !ordered {
                    rowEntries.sort { $0.0 < $1.0 }
                    for k in 1..<rowEntries.count where rowEntries[k].0 == rowEntries[k - 1].0 {
                        throw text.malformed(line: line, "feature index \(rowEntries[k].0 + 1) appears twice")
                    }
                }
                for (c, v) in rowEntries { r.columns.append(c); r.values.append(v) }
                r.rowStart.append(r.columns.count)
                r.labelOffsets.append(r.labels.count)
                r.lineNumbers.append(line)
                while !ByteParse.isLineEnd(b[i]) { i += 1 }
            }
        }
        guard r.count > 0 else {
            throw SemanticHashingError.malformedInput(location: text.path, reason: "empty file: no data rows")
        }
        return r
    }

    /// Reads a `split.txt` ("n_train_part 9054\nn_val_part 1006", or "train N" / "val: M") and
    /// returns the validation size, checking it against the rows of the train file.
    static func readSplitFile(_ path: String, rows: Int) throws -> Int {
        var trainPart: Int?
        var valPart: Int?
        for (number, line) in try ByteText(path: path).lines() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" || $0 == "=" })
            if fields.isEmpty { continue }
            guard fields.count == 2, let n = Int(fields[1]), n >= 0 else {
                throw SemanticHashingError.malformedInput(location: "\(path):\(number)", reason: "expected 'NAME COUNT', got '\(line)'")
            }
            let key = fields[0].lowercased()
            if key.contains("val") || key.contains("cv") { valPart = n } else if key.contains("train") { trainPart = n } else {
                throw SemanticHashingError.malformedInput(location: "\(path):\(number)", reason: "unknown part '\(fields[0])' (expected train or val)")
            }
        }
        guard let val = valPart else {
            throw SemanticHashingError.malformedInput(location: path, reason: "no validation size (a line 'n_val_part M')")
        }
        if let t = trainPart, t + val != rows {
            throw SemanticHashingError.malformedInput(location: path, reason: "train \(t) + val \(val) ≠ \(rows) rows of the train file")
        }
        return val
    }

    /// One name per line (class or feature names); blank trailing lines ignored.
    static func readNameList(_ path: String) throws -> [String] {
        let names = try ByteText(path: path).lines().map { String($0.text) }
        guard !names.isEmpty else {
            throw SemanticHashingError.malformedInput(location: path, reason: "empty file: expected one name per line")
        }
        return names
    }

    static func positiveInt(_ s: String, name: String) throws -> Int {
        guard let v = Int(s), v > 0 else { throw SemanticHashingError.invalidArgument(name: name, reason: "'\(s)' is not a positive integer") }
        return v
    }
}
