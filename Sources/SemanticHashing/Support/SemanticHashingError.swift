/// Errors about input that comes from a user or a file. Each names where the problem is.
public enum SemanticHashingError: Error, CustomStringConvertible, Equatable {
    /// A malformed file: `location` is e.g. "train.svm:12" or "ng20.mat, offset 1024".
    case malformedInput(location: String, reason: String)
    /// A file or directory that cannot be read or written.
    case io(path: String, reason: String)
    /// A bad value for a named option, field or parameter.
    case invalidArgument(name: String, reason: String)

    public var description: String {
        switch self {
        case let .malformedInput(location, reason): return "\(location): \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .invalidArgument(name, reason): return "\(name): \(reason)"
        }
    }
}
