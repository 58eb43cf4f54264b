/// The encoder input of a split: sparse (bag of words) or dense (feature vectors).
public enum FeatureMatrix: Sendable {
    case sparse(SparseMatrix)
    case dense(Matrix)

    public var rows: Int {
        switch self { case .sparse(let s): return s.rows; case .dense(let d): return d.rows }
    }
    public var columns: Int {
        switch self { case .sparse(let s): return s.columns; case .dense(let d): return d.columns }
    }
    public var averageNonZeros: Double {
        switch self {
        case .sparse(let s): return s.rows == 0 ? 0 : Double(s.nonZeroCount) / Double(s.rows)
        case .dense(let d): return d.rows == 0 ? 0 : Double(d.storage.lazy.filter { $0 != 0 }.count) / Double(d.rows)
        }
    }
    public func gatherRows(_ indices: some Collection<Int>) -> FeatureMatrix {
        switch self {
        case .sparse(let s): return .sparse(s.gatherRows(indices))
        case .dense(let d): return .dense(d.gatherRows(indices))
        }
    }
    public static func vstack(_ parts: [FeatureMatrix]) -> FeatureMatrix {
        if case .sparse = parts.first {
            return .sparse(SparseMatrix.vstack(parts.map { if case .sparse(let s) = $0 { return s }; preconditionFailure("vstack: mixed kinds") }))
        }
        return .dense(Matrix.vstack(parts.map { if case .dense(let d) = $0 { return d }; preconditionFailure("vstack: mixed kinds") }))
    }
}
