import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor (standard input, a pipe, a file) in constant memory: a
/// 64 KB buffer and the current line, never the whole input. A line ends at "\n" (a trailing
/// "\r" is dropped too); the last line needs no newline. A line longer than `maximumLineLength`
/// bytes is an error naming it, so a stream without newlines cannot exhaust memory.
///
/// `hasPendingInput` says whether another line can be read without waiting, so a consumer can
/// batch what has already arrived and still answer an interactive writer line by line.
///
/// ```swift
/// var reader = LineReader(fileDescriptor: 0, source: "<stdin>")
/// while let line = try reader.next() { print(line.number, line.bytes.count) }
/// ```
public struct LineReader {
    public struct Line {
        /// 1-based line number.
        public var number: Int
        /// The line's bytes without the line break.
        public var bytes: [UInt8]
    }

    public let source: String
    public let maximumLineLength: Int
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0, end = 0
    private var atEnd = false
    private var lineNumber = 0

    public init(fileDescriptor: Int32, source: String, maximumLineLength: Int = 64 << 20, bufferSize: Int = 64 << 10) {
        descriptor = fileDescriptor
        self.source = source
        self.maximumLineLength = maximumLineLength
        buffer = [UInt8](repeating: 0, count: max(bufferSize, 16))
    }

    /// Whether a whole line is buffered, or the descriptor has bytes (or end of input) ready now.
    public var hasPendingInput: Bool {
        if atEnd || buffer[start..<end].contains(0x0A) { return true }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }

    /// The next line, or nil at the end of the input.
    public mutating func next() throws -> Line? {
        var line: [UInt8] = []
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                line += buffer[start..<newline]
                start = newline + 1
                return try finish(line)
            }
            line += buffer[start..<end]
            start = 0
            end = 0
            guard line.count <= maximumLineLength else {
                throw SemanticHashingError.malformedInput(location: "\(source):\(lineNumber + 1)",
                                                          reason: "line longer than \(maximumLineLength) bytes")
            }
            if atEnd { return line.isEmpty ? nil : try finish(line) }
            let got = buffer.withUnsafeMutableBytes { raw in systemRead(descriptor, raw.baseAddress!, raw.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SemanticHashingError.io(path: source, reason: "cannot read (\(String(cString: strerror(errno))))")
            }
            if got == 0 { atEnd = true } else { end = got }
        }
    }

    private mutating func finish(_ line: [UInt8]) throws -> Line {
        lineNumber += 1
        guard line.count <= maximumLineLength else {
            throw SemanticHashingError.malformedInput(location: "\(source):\(lineNumber)", reason: "line longer than \(maximumLineLength) bytes")
        }
        var bytes = line
        if bytes.last == 0x0D { bytes.removeLast() }
        return Line(number: lineNumber, bytes: bytes)
    }
}

/// read(2), named apart from `LineReader.next` and from Foundation's overloads.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
