import Foundation

/// The loss weights chosen per (dataset, model, bits, supervision level): the reference's
/// `reference-hyperparameters.csv` format, which `semhash experiment` reads and `semhash tune` writes.
///
/// ```
/// dataset,model,supervision,alpha,beta,gamma,bits,repetitions
/// snippets,SSB-VAE,0.1,0.0001,0.015625,10000,16,5
/// ```
///
/// Datasets match case-insensitively; models by any name `ModelPreset(name:)` accepts; levels
/// after rounding to 9 decimals.
///
/// ```swift
/// let table = try HyperparameterTable.read(path: "reference-hyperparameters.csv")
/// let w = try table.weights(dataset: "snippets", model: .ssbVAE, bits: 16, level: 0.1)
/// ```
public struct HyperparameterTable: Sendable, Equatable {
    public static let header = "dataset,model,supervision,alpha,beta,gamma,bits,repetitions"

    /// One row of the table.
    public struct Entry: Sendable, Equatable {
        public var dataset: String
        public var model: ModelPreset
        public var level: Double
        public var weights: LossWeights
        public var bits: Int
        public var repetitions: Int

        public init(dataset: String, model: ModelPreset, level: Double, weights: LossWeights, bits: Int, repetitions: Int) {
            self.dataset = dataset
            self.model = model
            self.level = SupervisionLevels.rounded(level)
            self.weights = weights
            self.bits = bits
            self.repetitions = repetitions
        }

        func matches(dataset: String, model: ModelPreset, bits: Int, level: Double) -> Bool {
            self.dataset.lowercased() == dataset.lowercased() && self.model == model && self.bits == bits
                && SupervisionLevels.same(self.level, level)
        }

        var csvLine: String {
            [dataset, model.paperName, CSVField.number(level), CSVField.number(weights.alpha), CSVField.number(weights.beta),
             CSVField.number(weights.gamma), String(bits), String(repetitions)].joined(separator: ",")
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads a table; a malformed row is an error naming the file, line and field.
    public static func read(path: String) throws -> HyperparameterTable {
        let text = String(decoding: try readFile(path), as: UTF8.self)
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws -> HyperparameterTable {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let head = lines.first else { throw SemanticHashingError.malformedInput(location: "\(source):1", reason: "empty file; expected the header '\(header)'") }
        let columns = head.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for name in header.split(separator: ",").map(String.init) {
            guard let i = columns.firstIndex(of: name) else {
                throw SemanticHashingError.malformedInput(location: "\(source):1", reason: "missing column '\(name)'; expected '\(header)'")
            }
            index[name] = i
        }
        var entries: [Entry] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let location = "\(source):\(offset + 1)"
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == columns.count else {
                throw SemanticHashingError.malformedInput(location: location, reason: "\(fields.count) fields, the header has \(columns.count)")
            }
            func field(_ name: String) -> String { fields[index[name]!] }
            func number(_ name: String) throws -> Double {
                guard let v = Double(field(name)), v.isFinite else {
                    throw SemanticHashingError.malformedInput(location: location, reason: "\(name) '\(field(name))' is not a number")
                }
                return v
            }
            func integer(_ name: String) throws -> Int {
                guard let v = Int(field(name)), v > 0 else {
                    throw SemanticHashingError.malformedInput(location: location, reason: "\(name) '\(field(name))' is not a positive integer")
                }
                return v
            }
            guard let model = ModelPreset(name: field("model")) else {
                throw SemanticHashingError.malformedInput(location: location, reason: "unknown model '\(field("model"))'; valid: \(ModelPreset.allCases.map(\.paperName).joined(separator: ", "))")
            }
            entries.append(Entry(dataset: field("dataset"), model: model, level: try number("supervision"),
                                 weights: LossWeights(alpha: try number("alpha"), beta: try number("beta"), gamma: try number("gamma")),
                                 bits: try integer("bits"), repetitions: try integer("repetitions")))
        }
        return HyperparameterTable(entries: entries)
    }

    /// The entry for a cell, or nil.
    public func entry(dataset: String, model: ModelPreset, bits: Int, level: Double) -> Entry? {
        entries.first { $0.matches(dataset: dataset, model: model, bits: bits, level: level) }
    }

    /// The weights for a cell; an error naming the cell (and `source`) when the table has no row.
    public func weights(dataset: String, model: ModelPreset, bits: Int, level: Double, source: String = "the hyper-parameter table") throws -> LossWeights {
        guard let e = entry(dataset: dataset, model: model, bits: bits, level: level) else {
            throw SemanticHashingError.invalidArgument(
                name: "hyper-parameter table",
                reason: "\(source) has no row for dataset=\(dataset), model=\(model.paperName), bits=\(bits), supervision=\(CSVField.number(level)); add one, or give every weight explicitly")
        }
        return e.weights
    }

    /// Replaces the entry for the same (dataset, model, bits, level), or appends it.
    public mutating func upsert(_ entry: Entry) {
        if let i = entries.firstIndex(where: { $0.matches(dataset: entry.dataset, model: entry.model, bits: entry.bits, level: entry.level) }) {
            entries[i] = entry
        } else {
            entries.append(entry)
        }
    }

    public var csvText: String {
        ([Self.header] + entries.map(\.csvLine)).joined(separator: "\n") + "\n"
    }

    /// Writes the table atomically (temporary file + rename).
    public func write(to path: String) throws {
        try AtomicFile.write(csvText, to: path)
    }
}
