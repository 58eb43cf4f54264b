import Foundation
import SemanticHashing

/// How a failed command ends: an exit code from sysexits.h and one message.
///
/// ```
/// 64  usage: unknown command or option, an invalid option value, options that exclude each other
/// 65  bad data: a malformed dataset, model, index or results file
/// 66  missing input: a file or directory that does not exist
/// 70  training diverged (the loss stopped being finite)
/// 74  I/O: a file that cannot be read or written
/// 78  configuration: a compute backend that cannot be used (today the binary warns and falls
///     back instead, and an invalid SEMHASH_THREADS is a warning too, so 78 is not reached)
/// ```
struct ExitStatus {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let missingInput: Int32 = 66
    static let software: Int32 = 70
    static let ioError: Int32 = 74
    static let configuration: Int32 = 78

    static let table = """
          0   success
          64  usage: unknown command or option, invalid option value, conflicting options
          65  bad data: a malformed dataset, model, index or results file
          66  missing input: a file or directory that does not exist
          70  training diverged (the loss stopped being finite)
          74  I/O error: a file that cannot be read or written
          78  configuration: invalid SEMHASH_BACKEND
        """

    var code: Int32
    var message: String

    init(_ error: Error) {
        switch error {
        case let e as SemanticHashingError:
            message = e.description
            switch e {
            case .malformedInput: code = Self.dataError
            case .missingInput: code = Self.missingInput
            case .io: code = Self.ioError
            case .invalidArgument: code = Self.usage
            case .trainingDiverged: code = Self.software
            }
        case let e as ComputeBackendError:
            code = Self.configuration
            message = e.description
        default:
            code = Self.software
            message = "\(error)"
        }
    }
}
