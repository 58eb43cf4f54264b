import Foundation

/// Reads a labelled table from a CSV file: a header row of column names, then one item per row
/// with numeric feature columns and one label column. Labels that are all non-negative integers
/// are class ids (names "0", "1", …); otherwise each distinct text is a class (names sorted).
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
        let known: Set<String> = ["label", "sep", "test", "validation", "seed", "standardize"]
        if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw SemanticHashingError.invalidArgument(name: "csv", reason: "unknown option '\(bad)'; valid: \(known.sorted().joined(separator: ", "))")
        }
        let separator: Character
        switch options["sep"] {
        case nil, ","?: separator = ","
        case ";"?: separator = ";"
        case "tab"?, "\t"?: separator = "\t"
        case let s?: throw SemanticHashingError.invalidArgument(name: "csv sep", reason: "'\(s)' is not one of ',', ';', tab")
        }
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
                throw SemanticHashingError.invalidArgument(name: "csv label", reason: "no column '\(name)' in \(path) (columns: \(header.prefix(20).joined(separator: ", ")))")
            }
            labelColumn = k
        } else {
            labelColumn = header.count - 1
        }
        var features: [Float] = []
        var labelTexts: [String] = []
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
                guard v.isFinite else {
                    throw SemanticHashingError.malformedInput(location: location, reason: "column '\(header[k])': value is NaN or infinite")
                }
                features.append(Float(v))
            }
            let label = f[labelColumn].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { throw SemanticHashingError.malformedInput(location: location, reason: "empty label") }
            labelTexts.append(label)
        }
        guard !labelTexts.isEmpty else { throw SemanticHashingError.malformedInput(location: path, reason: "no data rows after the header") }
        let n = labelTexts.count
        let labels: Labels
        let classNames: [String]
        let numeric = labelTexts.compactMap { Int($0) }
        if numeric.count == n, numeric.allSatisfy({ $0 >= 0 && $0 < 1_000_000 }) {
            let count = (numeric.max() ?? 0) + 1
            labels = Labels(singleLabel: numeric, classCount: count)
            classNames = (0..<count).map(String.init)
        } else {
            classNames = Array(Set(labelTexts)).sorted()
            let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
            labels = Labels(singleLabel: labelTexts.map { index[$0] ?? 0 }, classCount: classNames.count)
        }
        let testCount = try SplitCarving.count(option: options["test"], name: "csv test", total: n, defaultFraction: 0.2)
        let validationCount = try SplitCarving.count(option: options["validation"], name: "csv validation", total: n - testCount, defaultFraction: 0.1)
        var data = try DenseDatasetBuilder.build(
            name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
            features: Matrix(rows: n, columns: width, storage: features), labels: labels, classNames: classNames,
            testCount: testCount, validationCount: validationCount,
            seed: try SplitCarving.seed(option: options["seed"], defaultSeed: 20),
            standardize: try NPYLoader.flag(options["standardize"], name: "csv standardize", default: true),
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
