import Foundation

/// Reads Weka/Mulan ARFF files: `@relation`, `@attribute NAME numeric|real|integer|{v1,v2,…}`,
/// `@data`, then dense rows (`v1,v2,…`) or sparse rows (`{index value, …}`, 0-based attribute
/// indices, omitted values are 0); `%` starts a comment; names and values may be quoted.
///
/// Some attributes are labels: those named in a Mulan XML label file (`<label name="…">`, read
/// strictly by `MulanLabels`), or the last N. Several binary label attributes make a multi-label dataset (an item belongs to every
/// label whose value is 1); a single nominal label attribute with other values ({sports, news, …})
/// makes a single-label dataset with those class names. The other attributes are the features;
/// the reconstruction target is the features themselves.
///
/// Spec: `arff:TRAIN[,TEST]?labels=FILE.xml|N` plus `test=FILE`, `validation=N|FRACTION`
/// (seeded rows of TRAIN held out; default none), `seed` (default 20), `name`, and
/// `values=stored|tfidf` (default stored): `tfidf` weights the features as `TFIDF` does, with the idf
/// fitted on every row of TRAIN (validation rows included, as a vectoriser fitted on the training
/// file would); the target is then the tf-idf too. Item ids are "FILE:LINE"; values must lie in the
/// Float32 range.
///
/// ```swift
/// let data = try ARFFLoader.load(paths: "train.arff,test.arff", options: ["labels": "labels.xml"])
/// ```
public enum ARFFLoader {
    /// An attribute's declared type.
    enum AttributeKind: Equatable {
        case numeric
        /// The declared values; `numbers` holds them as numbers when every one is numeric.
        case nominal(values: [String], numbers: [Double]?)
    }

    struct Attribute: Equatable {
        var name: String
        var kind: AttributeKind
    }

    /// A parsed file: attributes, and the data as sparse rows over attribute indices (numeric
    /// attributes hold their value, nominal ones the index of their value).
    struct Table {
        var relation = ""
        var attributes: [Attribute] = []
        var rowStart = [0]
        var attributeIndices: [Int32] = []
        var values: [Double] = []
        var lineNumbers: [Int] = []
        var count: Int { rowStart.count - 1 }
    }

    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "arff", known: ["labels", "test", "validation", "seed", "name", "values"])
        let (trainPath, testPath) = try o.trainTestPaths(paths)
        guard let labelOption = options["labels"] else {
            throw SemanticHashingError.invalidArgument(name: "arff option labels", reason: "say which attributes are labels: labels=FILE.xml (Mulan) or labels=N (the last N)")
        }
        var name = options["name"] ?? ((trainPath as NSString).lastPathComponent as NSString).deletingPathExtension
        if name.isEmpty { name = "arff" }
        return try load(trainPath: trainPath, testPath: testPath, labels: labelOption, options: o,
                        defaultValidationFraction: 0, name: name, format: "arff",
                        values: try o.choice("values", ["stored": .stored, "tfidf": .tfidf], default: .stored))
    }

    /// What the encoder sees: the stored values, or their tf-idf.
    enum FeatureValues: String {
        case stored, tfidf
    }

    /// Shared by `arff:` and `tmc:`; `options` supplies `validation` and `seed`.
    static func load(trainPath: String, testPath: String, labels labelOption: String, options o: LoaderOptions,
                     defaultValidationFraction: Double, name: String, format: String,
                     values: FeatureValues, labelsLast: Bool = false) throws -> Dataset {
        let seed = try o.seed(default: 20)
        let train = try parse(ByteText(path: trainPath))
        let test = try parse(ByteText(path: testPath))
        guard train.attributes.map(\.name) == test.attributes.map(\.name) else {
            throw SemanticHashingError.malformedInput(location: testPath, reason: "its attributes differ from those of \(trainPath)")
        }
        let attributes = train.attributes
        let labelIndices: [Int]
        if let n = Int(labelOption) {
            guard n >= 1, n < attributes.count else {
                throw o.invalid("labels", "\(trainPath) has \(attributes.count) attributes, so 1…\(attributes.count - 1) of them can be labels")
            }
            labelIndices = Array((attributes.count - n)..<attributes.count)
        } else {
            let names = try MulanLabels.read(path: labelOption)
            let position = Dictionary(attributes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
            labelIndices = try names.map { label in
                guard let k = position[label] else {
                    throw SemanticHashingError.malformedInput(location: labelOption, reason: "label '\(label)' is not an attribute of \(trainPath)")
                }
                return k
            }
        }
        // Where the labels must be the trailing attributes (tmc), a label the XML misses would
        // otherwise be read silently as a feature.
        if labelsLast, let stray = ((attributes.count - labelIndices.count)..<attributes.count).first(where: { !labelIndices.contains($0) }) {
            throw SemanticHashingError.malformedInput(location: labelOption, reason: "names \(labelIndices.count) labels, but the last \(labelIndices.count) attributes of \(trainPath) include '\(attributes[stray].name)' (attribute \(stray)), which it does not name; the label attributes must come last (is a <label> missing?)")
        }
        let layout = try Layout(attributes: attributes, labelIndices: labelIndices, path: trainPath)
        var trainAll = layout.split(train, path: trainPath)
        var testSplit = layout.split(test, path: testPath)
        if values == .tfidf {
            guard case .sparse(let trainCounts) = trainAll.features, case .sparse(let testCounts) = testSplit.features else {
                preconditionFailure("ARFFLoader: splits are always sparse")
            }
            for (path, table, counts) in [(trainPath, train, trainCounts), (testPath, test, testCounts)] {
                if let k = counts.values.firstIndex(where: { $0 < 0 }) {
                    let row = counts.rowStart.lastIndex { $0 <= k }!
                    throw SemanticHashingError.malformedInput(location: "\(path):\(table.lineNumbers[row])",
                                                              reason: "values=tfidf needs non-negative features; this row has \(counts.values[k])")
                }
            }
            let idf = TFIDF.inverseDocumentFrequency(of: trainCounts)
            trainAll.features = .sparse(TFIDF.weight(trainCounts, idf: idf))
            testSplit.features = .sparse(TFIDF.weight(testCounts, idf: idf))
        }
        let valCount = try o.rowCount("validation", total: trainAll.count, defaultFraction: defaultValidationFraction, source: trainPath)
        let (trainSplit, validationSplit) = SplitCarving.validation(from: trainAll, count: valCount, seed: seed)
        let settings: [(key: String, value: String)] = [
            ("format", format), ("relation", train.relation), ("train file", trainPath), ("test file", testPath),
            ("labels", Int(labelOption) != nil ? "the last \(labelOption) attributes" : labelOption),
            ("validation", valCount == 0 ? "none" : "\(valCount) seeded rows of the train file (seed \(seed))"),
            ("values", values == .tfidf ? "tf-idf of the stored values, idf = ln((1+n)/(1+df)) + 1 over the \(trainAll.count) train-file rows, rows l2-normalised; target = features"
                                        : "as stored; target = features"),
        ]
        return Dataset(name: name, train: trainSplit, validation: validationSplit, test: testSplit,
                       classNames: layout.classNames, featureNames: layout.featureNames, reconstruction: .distribution,
                       preprocessing: .none, settings: settings)
    }

    /// Which attributes are features and which are labels, and how to turn table rows into a split.
    struct Layout {
        var featureColumn: [Int]      // attribute → feature column, or -1 for labels
        var labelSlot: [Int]          // attribute → class index (multi-label), or -1
        var attributes: [Attribute]
        var singleLabelAttribute: Int?
        var classNames: [String]
        var featureNames: [String]

        init(attributes: [Attribute], labelIndices: [Int], path: String) throws {
            self.attributes = attributes
            featureColumn = [Int](repeating: -1, count: attributes.count)
            labelSlot = [Int](repeating: -1, count: attributes.count)
            for (slot, a) in labelIndices.enumerated() { labelSlot[a] = slot }
            var names: [String] = []
            for (a, attribute) in attributes.enumerated() where labelSlot[a] < 0 {
                featureColumn[a] = names.count
                names.append(attribute.name)
            }
            guard !names.isEmpty else {
                throw SemanticHashingError.malformedInput(location: path, reason: "every attribute is a label; no features left")
            }
            featureNames = names
            if labelIndices.count == 1, let a = labelIndices.first, case .nominal(let values, let numbers) = attributes[a].kind,
               numbers.map({ Set($0) != [0, 1] }) ?? true {
                singleLabelAttribute = a
                classNames = values
            } else {
                singleLabelAttribute = nil
                classNames = labelIndices.map { attributes[$0].name }
            }
        }

        /// The numeric value of a stored entry of attribute `a`.
        func number(_ a: Int, _ stored: Double) -> Double {
            if case .nominal(_, let numbers?) = attributes[a].kind {
                let k = Int(stored)
                return k >= 0 && k < numbers.count ? numbers[k] : 0
            }
            return stored
        }

        func split(_ t: Table, path: String) -> DataSplit {
            var rowStart = [0]
            var columns: [Int32] = []
            var values: [Float] = []
            var labelOffsets = [0]
            var labels: [Int32] = []
            for r in 0..<t.count {
                var singleClass: Int32 = 0
                for k in t.rowStart[r]..<t.rowStart[r + 1] {
                    let a = Int(t.attributeIndices[k])
                    if singleLabelAttribute == a {
                        singleClass = Int32(t.values[k])
                    } else if labelSlot[a] >= 0 {
                        if number(a, t.values[k]) != 0 { labels.append(Int32(labelSlot[a])) }
                    } else {
                        let v = number(a, t.values[k])
                        if v != 0 { columns.append(Int32(featureColumn[a])); values.append(Float(v)) }
                    }
                }
                if singleLabelAttribute != nil { labels.append(singleClass) }
                // Labels are collected in attribute order; `Labels` wants each item's classes sorted.
                let start = labelOffsets[labelOffsets.count - 1]
                if labels.count - start > 1 { labels[start...].sort() }
                rowStart.append(columns.count)
                labelOffsets.append(labels.count)
            }
            let features = SparseMatrix(rows: t.count, columns: featureNames.count, rowStart: rowStart, columnIndices: columns, values: values)
            let file = (path as NSString).lastPathComponent
            return DataSplit(features: .sparse(features),
                             labels: Labels(classCount: classNames.count, isMultiLabel: singleLabelAttribute == nil,
                                            offsets: labelOffsets, classes: labels),
                             ids: t.lineNumbers.map { "\(file):\($0)" })
        }
    }

    /// Parses the header and data of one ARFF file.
    static func parse(_ text: ByteText) throws -> Table {
        var t = Table()
        var dataStart = -1
        var line = 1
        // Header: short, so per-line Strings are fine.
        try text.bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < text.count {
                var e = i
                while !ByteParse.isLineEnd(b[e]) { e += 1 }
                let raw = String(decoding: UnsafeBufferPointer(rebasing: b[i..<e]), as: UTF8.self)
                let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                let lower = s.lowercased()
                i = e + (e < text.count ? 1 : 0)
                defer { line += 1 }
                if s.isEmpty || s.hasPrefix("%") { continue }
                if lower.hasPrefix("@relation") {
                    t.relation = try unquote(String(s.dropFirst(9)).trimmingCharacters(in: .whitespaces), text: text, line: line).name
                } else if lower.hasPrefix("@attribute") {
                    t.attributes.append(try attribute(String(s.dropFirst(10)), text: text, line: line))
                } else if lower.hasPrefix("@data") {
                    dataStart = i
                    return
                } else {
                    throw text.malformed(line: line, "expected @relation, @attribute or @data, found '\(s.prefix(40))'")
                }
            }
        }
        guard dataStart >= 0 else {
            throw SemanticHashingError.malformedInput(location: text.path, reason: text.count == 0 ? "empty file" : "no @data section")
        }
        guard !t.attributes.isEmpty else { throw text.malformed(line: line - 1, "@data before any @attribute") }
        try parseData(text, from: dataStart, firstLine: line, into: &t)
        guard t.count > 0 else { throw SemanticHashingError.malformedInput(location: text.path, reason: "no data rows") }
        return t
    }

    /// Splits "NAME TYPE" where NAME may be quoted.
    static func unquote(_ s: String, text: ByteText, line: Int) throws -> (name: String, rest: String) {
        guard let first = s.first else { throw text.malformed(line: line, "missing name") }
        if first == "'" || first == "\"" {
            let body = s.dropFirst()
            guard let end = body.firstIndex(of: first) else { throw text.malformed(line: line, "unterminated quoted name") }
            return (String(body[..<end]), String(body[body.index(after: end)...]).trimmingCharacters(in: .whitespaces))
        }
        let end = s.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "{" }) ?? s.endIndex
        return (String(s[..<end]), String(s[end...]).trimmingCharacters(in: .whitespaces))
    }

    static func attribute(_ declaration: String, text: ByteText, line: Int) throws -> Attribute {
        let (name, type) = try unquote(declaration.trimmingCharacters(in: .whitespaces), text: text, line: line)
        let lower = type.lowercased()
        if ["numeric", "real", "integer"].contains(lower) { return Attribute(name: name, kind: .numeric) }
        if type.hasPrefix("{") {
            guard type.hasSuffix("}") else { throw text.malformed(line: line, "unterminated value list of attribute '\(name)'") }
            let values = type.dropFirst().dropLast().split(separator: ",").map { v -> String in
                var s = v.trimmingCharacters(in: .whitespaces)
                if s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q { s = String(s.dropFirst().dropLast()) }
                return s
            }
            guard !values.isEmpty else { throw text.malformed(line: line, "attribute '\(name)' has no values") }
            let numbers = values.map { Double($0) }
            let allNumeric = numbers.allSatisfy { $0.map(LoaderLimits.fitsFloat) ?? false }
            return Attribute(name: name, kind: .nominal(values: values, numbers: allNumeric ? numbers.compactMap { $0 } : nil))
        }
        throw text.malformed(line: line, "attribute '\(name)' has type '\(type)'; only numeric and nominal attributes are supported")
    }

    /// The data section: one row per non-blank, non-comment line.
    static func parseData(_ text: ByteText, from start: Int, firstLine: Int, into t: inout Table) throws {
        let attributes = t.attributes
        let lookup: [[String: Int]] = attributes.map { a in
            if case .nominal(let values, _) = a.kind { return Dictionary(values.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
            return [:]
        }
        let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}"), percent = UInt8(ascii: "%"),
            quote1 = UInt8(ascii: "'"), quote2 = UInt8(ascii: "\"")
        var rowIndices: [Int32] = []
        var rowValues: [Double] = []
        try text.bytes.withUnsafeBufferPointer { b in
            var i = start
            var line = firstLine
            /// Reads one value token at `i` (quoted or bare) and converts it for attribute `a`.
            func value(_ a: Int) throws -> Double {
                var tokenStart = i, tokenEnd: Int
                if b[i] == quote1 || b[i] == quote2 {
                    let q = b[i]
                    i += 1
                    tokenStart = i
                    while b[i] != q && !ByteParse.isLineEnd(b[i]) { i += 1 }
                    guard b[i] == q else { throw text.malformed(line: line, "unterminated quoted value") }
                    tokenEnd = i
                    i += 1
                } else {
                    while !ByteParse.isBlank(b[i]) && !ByteParse.isLineEnd(b[i]) && b[i] != ByteParse.comma && b[i] != closeBrace { i += 1 }
                    tokenEnd = i
                }
                let token = String(decoding: UnsafeBufferPointer(rebasing: b[tokenStart..<tokenEnd]), as: UTF8.self)
                guard tokenEnd > tokenStart else { throw text.malformed(line: line, "missing value of attribute '\(attributes[a].name)'") }
                if token == "?" { throw text.malformed(line: line, "missing value '?' of attribute '\(attributes[a].name)' is not supported") }
                switch attributes[a].kind {
                case .numeric:
                    guard let (v, e) = ByteParse.double(b, tokenStart), e == tokenEnd else {
                        throw text.malformed(line: line, "value '\(token)' of numeric attribute '\(attributes[a].name)' is not a number")
                    }
                    guard LoaderLimits.fitsFloat(v) else {
                        throw text.malformed(line: line, "attribute '\(attributes[a].name)': \(LoaderLimits.valueProblem(v))")
                    }
                    return v
                case .nominal(let values, let numbers):
                    if let k = lookup[a][token] { return Double(k) }
                    // "1.0" for a declared "1": compare numerically.
                    if let numbers, let x = Double(token), let k = numbers.firstIndex(of: x) { return Double(k) }
                    throw text.malformed(line: line, "value '\(token)' of attribute '\(attributes[a].name)' is not one of {\(values.prefix(10).joined(separator: ","))}")
                }
            }
            func skipBlanks() { while ByteParse.isBlank(b[i]) { i += 1 } }

            while i < text.count {
                skipBlanks()
                if b[i] == ByteParse.newline { i += 1; line += 1; continue }
                if b[i] == 0 { break }
                if b[i] == percent {
                    while !ByteParse.isLineEnd(b[i]) { i += 1 }
                    continue
                }
                rowIndices.removeAll(keepingCapacity: true)
                rowValues.removeAll(keepingCapacity: true)
                if b[i] == openBrace {
                    i += 1
                    var ordered = true
                    while true {
                        skipBlanks()
                        if b[i] == closeBrace { i += 1; break }
                        guard let (a, e) = ByteParse.unsignedInt(b, i) else {
                            throw text.malformed(line: line, ByteParse.isLineEnd(b[i]) ? "sparse row not closed with '}'"
                                                                                        : "'\(ByteParse.token(b, i))' is not an attribute index")
                        }
                        guard a < attributes.count else {
                            throw text.malformed(line: line, "attribute index \(a) is out of range (\(attributes.count) attributes, 0-based)")
                        }
                        i = e
                        guard ByteParse.isBlank(b[i]) else { throw text.malformed(line: line, "expected 'index value' after index \(a)") }
                        skipBlanks()
                        let v = try value(a)
                        if let last = rowIndices.last, Int(last) >= a { ordered = false }
                        rowIndices.append(Int32(a))
                        rowValues.append(v)
                        skipBlanks()
                        if b[i] == ByteParse.comma { i += 1; continue }
                        if b[i] == closeBrace { i += 1; break }
                        throw text.malformed(line: line, ByteParse.isLineEnd(b[i]) ? "sparse row not closed with '}'"
                                                                                    : "expected ',' or '}' but found '\(ByteParse.token(b, i))'")
                    }
                    if !ordered {
                        let order = rowIndices.indices.sorted { rowIndices[$0] < rowIndices[$1] }
                        let idx = order.map { rowIndices[$0] }
                        for k in 1..<idx.count where idx[k] == idx[k - 1] {
                            throw text.malformed(line: line, "attribute index \(idx[k]) appears twice")
                        }
                        rowValues = order.map { rowValues[$0] }
                        rowIndices = idx
                    }
                } else {
                    for a in 0..<attributes.count {
                        skipBlanks()
                        if ByteParse.isLineEnd(b[i]) {
                            throw text.malformed(line: line, "\(a) values but \(attributes.count) attributes")
                        }
                        let v = try value(a)
                        if v != 0 { rowIndices.append(Int32(a)); rowValues.append(v) }
                        skipBlanks()
                        if a < attributes.count - 1 {
                            guard b[i] == ByteParse.comma else {
                                throw text.malformed(line: line, ByteParse.isLineEnd(b[i]) ? "\(a + 1) values but \(attributes.count) attributes"
                                                                                            : "expected ',' but found '\(ByteParse.token(b, i))'")
                            }
                            i += 1
                        }
                    }
                }
                skipBlanks()
                if b[i] == ByteParse.comma {
                    throw text.malformed(line: line, "more values than the \(attributes.count) attributes")
                }
                guard ByteParse.isLineEnd(b[i]) || b[i] == percent else {
                    throw text.malformed(line: line, "unexpected '\(ByteParse.token(b, i))' after the row")
                }
                while !ByteParse.isLineEnd(b[i]) { i += 1 }
                t.attributeIndices.append(contentsOf: rowIndices)
                t.values.append(contentsOf: rowValues)
                t.rowStart.append(t.attributeIndices.count)
                t.lineNumbers.append(line)
            }
        }
    }
}
