import CZlib
import Foundation

/// Inflates zlib streams (MAT-file v5 `miCOMPRESSED` elements) and gzip files (gzip'd IDX files)
/// with the system zlib, growing the output buffer as needed. Corrupt or truncated input becomes
/// `malformedInput` naming the caller's location.
///
/// ```swift
/// let bytes = try Zlib.inflate(compressed, format: .zlib, location: "ng20.mat, offset 128")
/// let file = try Zlib.readMaybeGzip("train-images-idx3-ubyte.gz")
/// ```
public enum Zlib {
    public enum Format: Sendable {
        /// A zlib stream (RFC 1950).
        case zlib
        /// One or more gzip members (RFC 1952), concatenated.
        case gzip
    }

    /// `limit`: the most bytes the output may hold; a stream that inflates further (a damaged
    /// or hostile file) is an error instead of an allocation failure.
    public static func inflate(_ input: [UInt8], format: Format, location: String, sizeHint: Int = 0,
                               limit: Int = LoaderLimits.maximumInflatedBytes) throws -> [UInt8] {
        // windowBits 15 = zlib header; +16 = gzip header only.
        let windowBits: Int32 = format == .zlib ? 15 : 15 + 16
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SemanticHashingError.malformedInput(location: location, reason: "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: min(limit, max(1024, sizeHint > 0 ? sizeHint : input.count * 4)))
        var produced = 0
        var consumed = 0
        try input.withUnsafeBufferPointer { inBuffer in
            guard let inBase = inBuffer.baseAddress else {
                throw SemanticHashingError.malformedInput(location: location, reason: "no compressed data")
            }
            while true {
                if produced == output.count {
                    guard output.count < limit else {
                        throw SemanticHashingError.malformedInput(location: location, reason: "compressed data inflates to more than \(limit) bytes")
                    }
                    output.append(contentsOf: [UInt8](repeating: 0, count: min(output.count, limit - output.count)))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                    stream.avail_in = UInt32(clamping: input.count - consumed)
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = UInt32(clamping: outBuffer.count - produced)
                    let inBefore = stream.avail_in, outBefore = stream.avail_out
                    let s = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(inBefore - stream.avail_in)
                    produced += Int(outBefore - stream.avail_out)
                    return s
                }
                switch status {
                case Z_STREAM_END:
                    // gzip files may hold several members; anything else after the end is ignored
                    // only when it is padding (zeros), as gzip(1) does.
                    let rest = input[consumed...]
                    if format == .gzip, rest.count >= 2, rest[rest.startIndex] == 0x1f, rest[rest.startIndex + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    if format == .gzip, rest.contains(where: { $0 != 0 }) {
                        throw SemanticHashingError.malformedInput(location: location, reason: "unexpected bytes after the gzip data")
                    }
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_out == 0 { continue }
                    throw SemanticHashingError.malformedInput(location: location, reason: "compressed data is truncated")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw SemanticHashingError.malformedInput(location: location, reason: "corrupt compressed data (\(message))")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Reads a file, inflating it when it is gzip'd (by its magic bytes, not its name).
    public static func readMaybeGzip(_ path: String) throws -> [UInt8] {
        let bytes = [UInt8](try readFile(path))
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
            return try inflate(bytes, format: .gzip, location: path)
        }
        return bytes
    }
}
