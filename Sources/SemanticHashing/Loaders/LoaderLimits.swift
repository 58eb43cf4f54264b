/// The bounds every loader checks sizes and values from file contents against, before it
/// allocates anything.
///
/// ```
/// class count      ≤ 65 536                 (class ids are mapped through the ids seen, so only
///                                             a file with that many distinct labels hits this)
/// feature count    ≤ 16 777 216 = 2²⁴        (a feature index or column count no content backs)
/// matrix dimension ≤ 16 777 216              (MAT rows/columns, npy rows of zero-width arrays)
/// inflated size    ≤ 1 GiB                   (zlib/gzip output)
/// a stored value   |v| ≤ 3.4028235e38       (Float32 range: the models compute in Float32,
///                                             so 1e300 would silently become inf)
/// ```
///
/// A limit that is hit is a `malformedInput` error naming the file and the value, never a
/// truncation or a crash.
///
/// ```swift
/// guard LoaderLimits.fitsFloat(v) else { throw … "value \(v) is beyond the Float32 range" }
/// ```
public enum LoaderLimits {
    public static let maximumClasses = 1 << 16
    public static let maximumFeatures = 1 << 24
    public static let maximumDimension = 1 << 24
    public static let maximumInflatedBytes = 1 << 30

    /// Whether `v` is finite and stays finite as a Float32.
    @inline(__always)
    public static func fitsFloat(_ v: Double) -> Bool {
        v.isFinite && abs(v) <= Double(Float.greatestFiniteMagnitude)
    }

    /// The reason text for a value that fails `fitsFloat`.
    public static func valueProblem(_ v: Double) -> String {
        v.isFinite ? "value \(v) is beyond the Float32 range (±3.4e38)" : "value \(v) is NaN or infinite"
    }
}
