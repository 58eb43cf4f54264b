import Foundation

/// Reads a labelled table from a CSV file: a header row of column names, then one item per row
/// with numeric feature columns and one label column. Labels that are all non-negative integers
/// are class ids (through `ClassNumbering`: names "0", "1", … for the usual dense numbering, the
/// ids themselves for sparse ones); otherwise each distinct text is a class (names sorted).
/// Item ids are "FILE:LINE"; values must lie in the Float32 range.
/// Fields may be double-quoted; blank lines are skipped.
///
/// Spec: `csv:FILE` with options `label=NAME` (default: the last column), `sep=,|;|tab`,
/// `test=N|FRACTION` (the last rows; default 20 %), `validation=N|FRACTION` (seeded, default
/// 10 %), `seed` (20), `standardize=false` (default true). Dense features → Gaussian reconstruction.
///
/// ```swift
/// let data = try CSVLoader.load(path: "iris.csv", options: ["label": "species", "test": "30"])
/// ```
public enum CSVLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "csv", known: ["label", "sep", "test", "validation", "seed", "standardize"])
        let separator: Character = try o.choice("sep", [",": ",", ";": ";", "tab": "\t", "\t": "\t"], default: ",")
        let lines = try ByteText(path: path).lines().filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first else {
            throw SemanticHashingError.malformedInput(location: path, reason: "empty file: expected a header row")
        }
        let header = try fields(headerLine.text, separator: separator, location: "\(path):\(headerLine.number)")
        guard header.count >= 2 else {
            throw SemanticHashingError.malformedInput(location: "\(path):\(headerLine.number)", reason: "need at least one feature column and a label column")
        }
        let labelColumn: Int
        if let name = options["label"] {
            guard let k = header.firstIndex(of: name) else {
                throw o.invalid("label", "no column '\(name)' in \(path) (columns: \(header.prefix(20).joined(separator: ", ")))")
            }
            labelColumn = k
        } else {
            labelColumn = header.count - 1
        }
        var features: [Float] = []
        var labelTexts: [String] = []
        var lineNumbers: [Int] = []
        let width = header.count - 1
        for (number, text) in lines.dropFirst() {
            let location = "\(path):\(number)"
            let f = try fields(text, separator: separator, location: location)
            guard f.count == header.count else {
                throw SemanticHashingError.malformedInput(location: location, reason: "\(f.count) fields but the header has \(header.count) columns")
            }
            for (k, field) in f.enumerated() where k != labelColumn {
                guard let v = Double(field.trimmingCharacters(in: .whitespaces)) else {
                    throw SemanticHashingError.malformedInput(location: location, reason: "column '\(header[k])': '\(field)' is not a number")
                }
                guard LoaderLimits.fitsFloat(v) else {
                    throw SemanticHashingError.malformedInput(location: location, reason: "column '\(header[k])': \(LoaderLimits.valueProblem(v))")
                }
                features.append(Float(v))
            }
            let label = f[labelColumn].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { throw SemanticHashingError.malformedInput(location: location, reason: "empty label") }
            labelTexts.append(label)
            lineNumbers.append(number)
        }
        guard !labelTexts.isEmpty else { throw SemanticHashingError.malformedInput(location: path, reason: "no data rows after the header") }
        let n = labelTexts.count
        let labels: Labels
        let classNames: [String]
        let numeric = labelTexts.compactMap { Int($0) }
        if numeric.count == n, numeric.allSatisfy({ $0 >= 0 }) {
            let numbering = try ClassNumbering(ids: Set(numeric), base: 0, nameCount: nil, source: "\(path), column '\(header[labelColumn])'")
            labels = Labels(singleLabel: numeric.map(numbering.index(of:)), classCount: numbering.count)
            classNames = numbering.names
        } else {
            classNames = Array(Set(labelTexts)).sorted()
            guard classNames.count <= LoaderLimits.maximumClasses else {
                throw SemanticHashingError.malformedInput(location: "\(path), column '\(header[labelColumn])'",
                                                          reason: "\(classNames.count) distinct labels exceed the limit of \(LoaderLimits.maximumClasses) classes")
            }
            let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
            labels = Labels(singleLabel: labelTexts.map { index[$0]! }, classCount: classNames.count)
        }
        let testCount = try o.rowCount("test", total: n, defaultFraction: 0.2, source: path)
        let validationCount = try o.rowCount("validation", total: n - testCount, defaultFraction: 0.1, source: path)
        let file = (path as NSString).lastPathComponent
        var data = try DenseDatasetBuilder.build(
            name: (file as NSString).deletingPathExtension,
            features: Matrix(rows: n, columns: width, storage: features), labels: labels, ids: lineNumbers.map { "\(file):\($0)" },
            classNames: classNames, testCount: testCount, validationCount: validationCount,
            seed: try o.seed(default: 20), standardize: try o.flag("standardize", default: true),
            settings: [("format", "csv"), ("file", path), ("label column", header[labelColumn]), ("test", "last \(testCount) rows")])
        data.featureNames = header.enumerated().filter { $0.offset != labelColumn }.map(\.element)
        return data
    }

    /// Splits one CSV line into fields, honouring double quotes ("" inside quotes is a quote).
    static func fields(_ line: Substring, separator: Character, location: String) throws -> [String] {
        var out: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character?
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { current.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else { current.append(c) }
            } else if c == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty {
                inQuotes = true
                current = ""
            } else if c == separator {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !inQuotes else { throw SemanticHashingError.malformedInput(location: location, reason: "unterminated quoted field") }
        out.append(current)
        return out
    }
}
