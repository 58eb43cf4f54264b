import Foundation

/// The facts `semhash datasets info` prints about a loaded dataset: sizes per split, features,
/// classes, label cardinality, sparsity, unlabelled items, reconstruction kind and the loader's
/// settings; as a readable table or as one JSON object with snake_case keys.
///
/// ```swift
/// let summary = DatasetSummary(dataset: try spec.load(), spec: "synthetic", loadSeconds: 0.2)
/// print(summary.table())
/// let json = try summary.json()
/// ```
public struct DatasetSummary: Sendable {
    /// One split's figures.
    public struct Split: Sendable {
        public var name: String
        public var items: Int
        public var labelCardinality: Double
        public var unlabelledItems: Int
        public var averageNonZeros: Double
        public var hasTexts: Bool
        public var hasIDs: Bool
    }

    public var spec: String
    public var name: String
    public var features: Int
    public var classNames: [String]
    public var isMultiLabel: Bool
    public var splits: [Split]
    public var reconstruction: ReconstructionKind
    public var sparse: Bool
    public var preprocessing: String
    public var settings: [(key: String, value: String)]
    public var notes: [String]
    public var loadSeconds: Double

    public init(dataset: Dataset, spec: String, loadSeconds: Double) {
        func split(_ name: String, _ s: DataSplit) -> Split {
            let unlabelled = (0..<s.labels.count).reduce(0) { $0 + (s.labels.classesOf($1).isEmpty ? 1 : 0) }
            return Split(name: name, items: s.count, labelCardinality: s.labels.cardinality, unlabelledItems: unlabelled,
                         averageNonZeros: s.features.averageNonZeros, hasTexts: s.texts != nil, hasIDs: s.ids != nil)
        }
        self.spec = spec
        name = dataset.name
        features = dataset.featureCount
        classNames = dataset.classNames
        isMultiLabel = dataset.isMultiLabel
        splits = [split("train", dataset.train)] + (dataset.validation.map { [split("val", $0)] } ?? []) + [split("test", dataset.test)]
        reconstruction = dataset.reconstruction
        if case .sparse = dataset.train.features { sparse = true } else { sparse = false }
        switch dataset.preprocessing {
        case .none: preprocessing = "none"
        case .text: preprocessing = "text vectoriser"
        }
        settings = dataset.settings
        notes = dataset.notes
        self.loadSeconds = loadSeconds
    }

    /// A readable multi-line report.
    public func table() -> String {
        var lines: [String] = []
        let keyWidth = max(22, (settings.map { $0.key.count + 4 }.max() ?? 0))
        func row(_ key: String, _ value: String) { lines.append(key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + value) }
        row("dataset", "\(name)  (\(spec))")
        row("features", "\(features) (\(sparse ? "sparse" : "dense"))")
        row("classes", "\(classNames.count), \(isMultiLabel ? "multi-label" : "single-label")")
        row("class names", classNames.count <= 30 ? classNames.joined(separator: ", ")
            : classNames.prefix(30).joined(separator: ", ") + ", … (\(classNames.count - 30) more)")
        row("reconstruction", reconstruction.rawValue)
        row("preprocessing", preprocessing)
        lines.append("")
        let header = ["split", "items", "label card.", "unlabelled", "avg non-zeros", "texts"]
        let widths = [8, 9, 13, 12, 15, 6]
        func cells(_ values: [String]) -> String {
            zip(values, widths).enumerated().map { k, pair in
                k == 0 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: max(0, pair.1 - pair.0.count)) + pair.0
            }.joined()
        }
        lines.append(cells(header))
        for s in splits {
            lines.append(cells([s.name, "\(s.items)", String(format: "%.3f", s.labelCardinality), "\(s.unlabelledItems)",
                                String(format: "%.2f", s.averageNonZeros), s.hasTexts ? "yes" : "no"]))
        }
        let total = splits.reduce(0) { $0 + $1.items }
        lines.append(cells(["total", "\(total)", "", "", "", ""]))
        if !settings.isEmpty {
            lines.append("")
            lines.append("settings")
            for (k, v) in settings { row("  " + k, v) }
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("notes")
            for n in notes { lines.append("  " + n) }
        }
        lines.append("")
        row("load time", String(format: "%.3f s", loadSeconds))
        return lines.joined(separator: "\n")
    }

    /// The same facts as a JSON object (keys snake_case; settings as an object keyed by setting).
    public func jsonObject() -> [String: Any] {
        var settingsObject: [String: Any] = [:]
        for (k, v) in settings { settingsObject[k.replacingOccurrences(of: " ", with: "_")] = v }
        return [
            "spec": spec, "name": name, "features": features, "sparse": sparse,
            "classes": classNames.count, "class_names": classNames, "multi_label": isMultiLabel,
            "reconstruction": reconstruction.rawValue, "preprocessing": preprocessing,
            "splits": splits.map { s -> [String: Any] in
                ["name": s.name, "items": s.items, "label_cardinality": s.labelCardinality,
                 "unlabelled_items": s.unlabelledItems, "average_non_zeros": s.averageNonZeros, "has_texts": s.hasTexts,
                 "has_ids": s.hasIDs]
            },
            "settings": settingsObject, "notes": notes, "load_seconds": loadSeconds,
        ]
    }

    public func json() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
