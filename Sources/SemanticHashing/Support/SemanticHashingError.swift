/// Errors about input that comes from a user or a file. Each names where the problem is: a file
/// and line or offset, a path, or the setting whose value is wrong (in the library's words, e.g.
/// "bits" or "libsvm option labels"; the command line maps them to its flags and exit codes).
public enum SemanticHashingError: Error, CustomStringConvertible, Equatable {
    /// A malformed file: `location` is e.g. "train.svm:12" or "ng20.mat, offset 1024".
    case malformedInput(location: String, reason: String)
    /// A file or directory that does not exist.
    case missingInput(path: String, reason: String)
    /// A file or directory that cannot be read or written.
    case io(path: String, reason: String)
    /// A bad value for a named setting, field or parameter.
    case invalidArgument(name: String, reason: String)
    /// Training stopped because the loss stopped being a finite number.
    case trainingDiverged(reason: String)

    public var description: String {
        switch self {
        case let .malformedInput(location, reason): return "\(location): \(reason)"
        case let .missingInput(path, reason): return "\(path): \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .invalidArgument(name, reason): return "\(name): \(reason)"
        case let .trainingDiverged(reason): return "training diverged: \(reason)"
        }
    }
}
