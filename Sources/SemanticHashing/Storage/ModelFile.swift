import Foundation

/// What a model file records beside the weights.
public struct ModelMetadata: Codable, Sendable {
    /// The dataset spec the model was trained on, as given.
    public var dataset: String
    public var datasetName: String
    public var classNames: [String]
    /// Supervision level p, or nil when explicit labelled rows were given.
    public var supervision: Double?
    public var labelledItems: Int
    public var training: TrainingOptions
    public var trainSeconds: Double
    public var finalLosses: [String: Double]
    public var created: String
    public var backend: String
    public var version: String

    public init(dataset: String, datasetName: String, classNames: [String], supervision: Double?, labelledItems: Int,
                training: TrainingOptions, trainSeconds: Double, finalLosses: [String: Double], created: String,
                backend: String, version: String) {
        self.dataset = dataset
        self.datasetName = datasetName
        self.classNames = classNames
        self.supervision = supervision
        self.labelledItems = labelledItems
        self.training = training
        self.trainSeconds = trainSeconds
        self.finalLosses = finalLosses
        self.created = created
        self.backend = backend
        self.version = version
    }
}

/// A trained model on disk: self-describing, checksummed, written atomically.
///
/// ```
/// bytes 0..<8   "SEMHASHM"
///       8..<12  format version (UInt32, little-endian)
///      12..<16  CRC-32 of everything after byte 24
///      16..<24  header length H (UInt64)
///      24..<24+H  JSON header: configuration, preprocessing, metadata, tensor table
///      then     the tensors' Float32 values, little-endian, in table order
/// ```
///
/// ```swift
/// try ModelFile(model: model, preprocessing: data.preprocessing, metadata: meta).write(to: "m.semhash")
/// let loaded = try ModelFile.read(from: "m.semhash")
/// ```
public struct ModelFile {
    public static let magic = Array("SEMHASHM".utf8)
    public static let formatVersion: UInt32 = 1

    struct Header: Codable {
        var configuration: ModelConfiguration
        var preprocessing: Preprocessing
        var metadata: ModelMetadata
        var tensors: [TensorEntry]
    }

    struct TensorEntry: Codable {
        var name: String
        var rows: Int
        var columns: Int
    }

    public var model: any HashingModel
    public var preprocessing: Preprocessing
    public var metadata: ModelMetadata

    public init(model: any HashingModel, preprocessing: Preprocessing, metadata: ModelMetadata) {
        self.model = model
        self.preprocessing = preprocessing
        self.metadata = metadata
    }

    public func encoded() throws -> Data {
        let state = model.state
        let header = Header(configuration: model.configuration, preprocessing: preprocessing, metadata: metadata,
                            tensors: state.map { TensorEntry(name: $0.name, rows: $0.value.rows, columns: $0.value.columns) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var payload = try encoder.encode(header)
        let headerLength = UInt64(payload.count)
        // Tensors are stored little-endian; on a big-endian host swap each value first.
        for (_, tensor) in state {
            let littleEndian = tensor.storage.map { $0.bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { payload.append(contentsOf: $0) }
        }
        var out = Data(Self.magic)
        withUnsafeBytes(of: Self.formatVersion.littleEndian) { out.append(contentsOf: $0) }
        let crc = payload.withUnsafeBytes { bytes -> UInt32 in var c = CRC32(); c.update(bytes); return c.value }
        withUnsafeBytes(of: crc.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: headerLength.littleEndian) { out.append(contentsOf: $0) }
        out.append(payload)
        return out
    }

    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    public static func read(from path: String) throws -> ModelFile {
        try decode(try readFile(path), path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> ModelFile {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> SemanticHashingError { .malformedInput(location: path, reason: reason) }
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw fail("not a semhash model file (the first bytes are not \"SEMHASHM\")")
        }
        func uint32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        func uint64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        let version = uint32(8)
        guard version == formatVersion else {
            throw fail("model format version \(version) is not supported (this semhash reads version \(formatVersion))")
        }
        let storedCRC = uint32(12)
        let actualCRC = CRC32.checksum(bytes[24...])
        guard storedCRC == actualCRC else { throw fail("checksum mismatch: the file is corrupted or truncated") }
        let headerLength = uint64(16)
        guard headerLength <= UInt64(bytes.count - 24) else { throw fail("header length \(headerLength) exceeds the file") }
        let headerEnd = 24 + Int(headerLength)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[24..<headerEnd]))
        } catch {
            throw fail("unreadable header (\(error))")
        }
        do {
            try header.configuration.validate()
        } catch let SemanticHashingError.invalidArgument(name, reason) {
            throw fail("its configuration is invalid: \(name) \(reason)")
        }
        var tensors: [String: Matrix] = [:]
        var offset = headerEnd
        for entry in header.tensors {
            // Shapes come from the file: multiply with overflow checks and compare with the bytes
            // that are really there before allocating anything.
            guard entry.rows >= 0, entry.columns >= 0 else {
                throw fail("tensor '\(entry.name)' has a negative shape \(entry.rows)×\(entry.columns)")
            }
            let (count, overflow) = entry.rows.multipliedReportingOverflow(by: entry.columns)
            let available = (bytes.count - offset) / 4
            guard !overflow, count <= available else {
                throw fail("tensor '\(entry.name)' of \(entry.rows)×\(entry.columns) values runs past the end of the file (offset \(offset), room for \(available) values)")
            }
            var values = [Float](repeating: 0, count: count)
            let badIndex: Int? = bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    let v = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)))
                    if !v.isFinite { return i }
                    values[i] = v
                }
                return nil
            }
            if let i = badIndex {
                let value = Float(bitPattern: UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self) }))
                throw fail("tensor '\(entry.name)' holds \(value) at row \(i / max(entry.columns, 1)), column \(i % max(entry.columns, 1)) (offset \(offset + 4 * i)); weights must be finite")
            }
            offset += 4 * count
            tensors[entry.name] = Matrix(rows: entry.rows, columns: entry.columns, storage: values)
        }
        guard offset == bytes.count else { throw fail("\(bytes.count - offset) unexpected bytes after the last tensor") }
        // The configuration's sizes come from the file too: the model built from them must not be
        // larger than the weights stored (a VAE's first layer alone is inputs × hidden values, a
        // classical model's projection inputs × bits).
        let stored = (offset - headerEnd) / 4
        let c = header.configuration
        let width = c.preset.family == .vae ? c.hiddenDimensions : c.bits
        let (firstLayer, overflow) = c.inputDimensions.multipliedReportingOverflow(by: width)
        let (secondLayer, overflow2) = width.multipliedReportingOverflow(by: width)
        guard !overflow, !overflow2, firstLayer <= stored, secondLayer <= stored, c.classCount <= stored, c.bits <= stored else {
            throw fail("the configuration (\(c.inputDimensions) inputs, \(c.hiddenDimensions) hidden, \(c.classCount) classes) needs more weights than the \(stored) stored")
        }
        let model = ModelTraining.emptyModel(header.configuration)
        do {
            try model.load(state: tensors)
        } catch let SemanticHashingError.malformedInput(_, reason) {
            throw fail(reason)
        }
        return ModelFile(model: model, preprocessing: header.preprocessing, metadata: header.metadata)
    }
}
