/// Documents read from a line stream in batches: a batch ends at `maximum` documents or as soon
/// as the next line has not arrived yet, so a program feeding one document at a time and waiting
/// for its answer gets it at once, while piped files are processed in full batches.
///
/// ```
/// batch = d₁ … d_m,  m ≤ maximum,  d_{m+1} not readable without waiting (or the input ended)
/// ```
///
/// ```swift
/// var stream = DocumentStream(reader: LineReader(fileDescriptor: 0, source: "<stdin>"), format: .jsonl)
/// while let batch = try stream.nextBatch(maximum: 256) { … }
/// ```
public struct DocumentStream {
    public private(set) var reader: LineReader
    public let format: StreamedDocument.Format
    public let idPrefix: String
    /// Documents read so far.
    public private(set) var documentCount = 0
    /// Text lines with invalid UTF-8 (bytes replaced by U+FFFD), and the first such line.
    public private(set) var invalidUTF8Count = 0
    public private(set) var firstInvalidUTF8Line: Int?

    public init(reader: LineReader, format: StreamedDocument.Format, idPrefix: String = "") {
        self.reader = reader
        self.format = format
        self.idPrefix = idPrefix
    }

    /// The next batch (never empty), or nil at the end of the input.
    public mutating func nextBatch(maximum: Int) throws -> [StreamedDocument]? {
        var batch: [StreamedDocument] = []
        while batch.count < max(1, maximum) {
            if !batch.isEmpty && !reader.hasPendingInput { break }
            guard let line = try reader.next() else { break }
            guard let document = try StreamedDocument(line: line, format: format, source: reader.source, idPrefix: idPrefix) else { continue }
            if document.hadInvalidUTF8 {
                invalidUTF8Count += 1
                if firstInvalidUTF8Line == nil { firstInvalidUTF8Line = line.number }
            }
            batch.append(document)
        }
        documentCount += batch.count
        return batch.isEmpty ? nil : batch
    }

    /// A warning about replaced bytes, or nil when every line was valid UTF-8.
    public var invalidUTF8Warning: String? {
        guard let first = firstInvalidUTF8Line else { return nil }
        return "\(invalidUTF8Count) line\(invalidUTF8Count == 1 ? " was" : "s were") not valid UTF-8 (first: \(reader.source):\(first)); the invalid bytes were read as U+FFFD"
    }
}
