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
/// - `classes=FILE` class names, one a line (default: a `classes.txt` beside TRAIN, else "0", "1", …);
/// - `validation=N` the last N rows of TRAIN are the validation split (default: the `val`
///   entry of a `split.txt` beside TRAIN, else no validation split);
/// - `labels=0based|1based` how class numbers count (default 0based);
/// - `name=NAME` the dataset's short name (default: the folder holding TRAIN).
///
/// ```swift
/// let data = try LibSVMLoader.load(paths: "ref/train.svm,ref/test.svm", options: ["values": "log1p"])
/// ```
public enum LibSVMLoader {
    /// The rows of one libsvm file, as read (indices already 0-based, labels not yet checked
    /// against a class count).
    struct Rows {
        var rowStart: [Int] = [0]
        var columns: [Int32] = []
        var values: [Double] = []
        var labelOffsets: [Int] = [0]
        var labels: [Int32] = []
        /// 1-based line number of every row, so later checks can still name the line.
        var lineNumbers: [Int] = []
        var maxIndex = 0
        var maxLabel = -1
        var hasMultiLabelRow = false
        var count: Int { rowStart.count - 1 }
    }

    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        let known: Set<String> = ["test", "values", "features", "classes", "validation", "labels", "name", "vocab"]
        if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw SemanticHashingError.invalidArgument(name: "libsvm", reason: "unknown option '\(bad)'; valid: \(known.sorted().joined(separator: ", "))")
        }
        let parts = paths.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let trainPath = parts.first, !trainPath.isEmpty, parts.count <= 2 else {
            throw SemanticHashingError.invalidArgument(name: "libsvm", reason: "expected 'libsvm:TRAIN[,TEST]', got '\(paths)'")
        }
        guard let testPath = parts.count == 2 ? parts[1] : options["test"], !testPath.isEmpty else {
            throw SemanticHashingError.invalidArgument(name: "libsvm", reason: "no test file: give 'libsvm:TRAIN,TEST' or the option test=FILE")
        }
        let logValues: Bool
        switch options["values"] {
        case nil, "raw"?, "plain"?: logValues = false
        case "log1p"?: logValues = true
        case let v?: throw SemanticHashingError.invalidArgument(name: "libsvm values", reason: "'\(v)' is not one of log1p, raw")
        }
        let oneBased: Bool
        switch options["labels"] {
        case nil, "0based"?: oneBased = false
        case "1based"?: oneBased = true
        case let v?: throw SemanticHashingError.invalidArgument(name: "libsvm labels", reason: "'\(v)' is not one of 0based, 1based")
        }
        let directory = (trainPath as NSString).deletingLastPathComponent
        func beside(_ name: String) -> String? {
            let p = (directory.isEmpty ? name : directory + "/" + name)
            return FileManager.default.fileExists(atPath: p) ? p : nil
        }

        let vocabPath = options["vocab"] ?? beside("vocab.txt")
        let featureNames = try vocabPath.map { try readNameList($0) }
        var featureCount = try options["features"].map { try positiveInt($0, name: "libsvm features") } ?? featureNames?.count
        if let names = featureNames, let n = featureCount, names.count != n {
            throw SemanticHashingError.invalidArgument(name: "libsvm features", reason: "features=\(n) but \(vocabPath ?? "vocabulary") lists \(names.count) names")
        }
        let classesPath = options["classes"] ?? beside("classes.txt")
        let classNamesFromFile = try classesPath.map { try readNameList($0) }

        let train = try parse(ByteText(path: trainPath), featureCount: featureCount, oneBasedLabels: oneBased, logValues: logValues)
        let test = try parse(ByteText(path: testPath), featureCount: featureCount, oneBasedLabels: oneBased, logValues: logValues)
        if featureCount == nil { featureCount = max(train.maxIndex, test.maxIndex) }
        let columns = featureCount ?? 0

        let classCount: Int
        if let names = classNamesFromFile {
            classCount = names.count
            for (rows, path) in [(train, trainPath), (test, testPath)] where rows.maxLabel >= classCount {
                let k = rows.labels.firstIndex { Int($0) >= classCount } ?? 0
                let row = rows.labelOffsets.lastIndex { $0 <= k } ?? 0
                let line = row < rows.lineNumbers.count ? rows.lineNumbers[row] : 0
                throw SemanticHashingError.malformedInput(location: "\(path):\(line)", reason: "class \(rows.labels[k]) is not among the \(classCount) classes of \(classesPath ?? "")")
            }
        } else {
            classCount = max(train.maxLabel, test.maxLabel) + 1
        }
        guard classCount > 0 else {
            throw SemanticHashingError.malformedInput(location: trainPath, reason: "no item has a label")
        }
        let classNames = classNamesFromFile ?? (0..<classCount).map(String.init)
        let multi = train.hasMultiLabelRow || test.hasMultiLabelRow

        let validationCount: Int
        if let v = options["validation"] {
            guard let n = Int(v), n >= 0 else {
                throw SemanticHashingError.invalidArgument(name: "libsvm validation", reason: "'\(v)' is not a non-negative integer")
            }
            validationCount = n
        } else if let splitPath = beside("split.txt") {
            validationCount = try readSplitFile(splitPath, rows: train.count)
        } else {
            validationCount = 0
        }
        guard validationCount < train.count else {
            throw SemanticHashingError.invalidArgument(name: "libsvm validation", reason: "\(validationCount) validation rows but \(trainPath) has only \(train.count) rows")
        }

        var trainAll = makeSplit(train, columns: columns, classCount: classCount, multi: multi, logValues: logValues)
        var testSplit = makeSplit(test, columns: columns, classCount: classCount, multi: multi, logValues: logValues)
        if let names = featureNames {
            // With a vocabulary, show an item as its strongest terms (the file has no raw text).
            trainAll.texts = termTexts(train, names: names)
            testSplit.texts = termTexts(test, names: names)
        }
        let cut = train.count - validationCount
        let trainSplit = validationCount == 0 ? trainAll : trainAll.gatherRows(Array(0..<cut))
        let validation = validationCount == 0 ? nil : trainAll.gatherRows(Array(cut..<train.count))

        var name = options["name"] ?? (directory as NSString).lastPathComponent
        if name.isEmpty || name == "." { name = "libsvm" }
        var settings: [(key: String, value: String)] = [
            ("format", "libsvm"), ("train file", trainPath), ("test file", testPath),
            ("values", logValues ? "log(1 + count); target = round(exp(v) - 1)" : "as stored; target = features"),
            ("class numbers", oneBased ? "1-based" : "0-based"),
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
    static func makeSplit(_ r: Rows, columns: Int, classCount: Int, multi: Bool, logValues: Bool) -> DataSplit {
        let features = SparseMatrix(rows: r.count, columns: columns, rowStart: r.rowStart, columnIndices: r.columns,
                                    values: r.values.map { Float($0) })
        var target: FeatureMatrix?
        if logValues {
            target = .sparse(SparseMatrix(rows: r.count, columns: columns, rowStart: r.rowStart, columnIndices: r.columns,
                                          values: r.values.map { Float((Foundation.exp($0) - 1).rounded()) }))
        }
        let labels = Labels(classCount: classCount, isMultiLabel: multi, offsets: r.labelOffsets, classes: r.labels)
        return DataSplit(features: .sparse(features), reconstructionTarget: target, labels: labels)
    }

    /// Reads the rows of one file. `featureCount` (when known) bounds the indices.
    static func parse(_ text: ByteText, featureCount: Int?, oneBasedLabels: Bool, logValues: Bool) throws -> Rows {
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
                        let label = oneBasedLabels ? v - 1 : v
                        guard label >= 0, label < Int(Int32.max) else {
                            throw text.malformed(line: line, "class number \(v) is out of range (\(oneBasedLabels ? "1-based" : "0-based") class numbers)")
                        }
                        r.labels.append(Int32(label))
                        r.maxLabel = max(r.maxLabel, label)
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
                    guard index <= Int(Int32.max) else {
                        throw text.malformed(line: line, "feature index \(index) is too large")
                    }
                    guard let (value, e2) = ByteParse.double(b, e1 + 1),
                          ByteParse.isBlank(b[e2]) || ByteParse.isLineEnd(b[e2]) || b[e2] == ByteParse.hash else {
                        throw text.malformed(line: line, "value '\(ByteParse.token(b, e1 + 1))' of feature \(index) is not a number")
                    }
                    guard value.isFinite else {
                        throw text.malformed(line: line, "value of feature \(index) is not finite")
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
