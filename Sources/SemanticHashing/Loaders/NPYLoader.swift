import Foundation

/// Reads NumPy `.npy` arrays: a features file (2-D) and a labels file (1-D class ids or 2-D
/// multi-hot rows). Header versions 1–3; dtypes `<f4 <f8 <i4 <i8 |u1` (also `|i1 <i2 <u2 <u4
/// <u8 |b1`); C order only.
///
/// Spec: `npy:FEATURES,LABELS` with options `test=N|FRACTION` (the last rows are the test split;
/// default 20 %), `validation=N|FRACTION` (seeded, from the rest; default 10 %), `seed` (20),
/// `standardize=false` (default true: z-score with training statistics), `classes=FILE`.
/// Features are dense, so the reconstruction is Gaussian. Item ids are "FILE row N" (0-based);
/// values must lie in the Float32 range.
///
/// ```swift
/// let data = try NPYLoader.load(paths: "x.npy,y.npy", options: ["test": "1000"])
/// ```
public enum NPYLoader {
    /// A decoded array: shape and values in C order.
    public struct Array: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Double]
    }

    public static func load(paths: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "npy", known: ["test", "validation", "seed", "standardize", "classes"])
        let parts = paths.split(separator: ",").map(String.init)
        guard parts.count == 2 else {
            throw SemanticHashingError.invalidArgument(name: "npy spec", reason: "expected 'npy:FEATURES,LABELS', got '\(paths)'")
        }
        let x = try read(path: parts[0])
        let y = try read(path: parts[1])
        guard x.shape.count == 2 else {
            throw SemanticHashingError.malformedInput(location: parts[0], reason: "features must be 2-D, shape is \(x.shape)")
        }
        let n = x.shape[0], d = x.shape[1]
        // A zero-width array stores no bytes, so nothing in the file backs its row count.
        guard d > 0, n > 0 else {
            throw SemanticHashingError.malformedInput(location: parts[0], reason: "features of shape \(x.shape) hold no values")
        }
        guard d <= LoaderLimits.maximumFeatures else {
            throw SemanticHashingError.malformedInput(location: parts[0], reason: "\(d) feature columns exceed the limit of \(LoaderLimits.maximumFeatures)")
        }
        guard y.shape.first == n, y.shape.count <= 2 else {
            throw SemanticHashingError.malformedInput(location: parts[1], reason: "labels of shape \(y.shape) do not match \(n) feature rows")
        }
        for (k, v) in x.values.enumerated() where !LoaderLimits.fitsFloat(v) {
            throw SemanticHashingError.malformedInput(location: "\(parts[0]), element \(k) (row \(k / d))", reason: LoaderLimits.valueProblem(v))
        }
        let location = { (i: Int) in "\(parts[1]), row \(i)" }
        let labels: Labels
        var classNames: [String]
        if y.shape.count == 1 {
            (labels, classNames) = try DenseDatasetBuilder.labels(classIDs: y.values, source: parts[1], location: location)
        } else {
            let width = y.shape[1]
            guard width > 0, width <= LoaderLimits.maximumClasses else {
                throw SemanticHashingError.malformedInput(location: parts[1], reason: "\(width) label columns (expected 1…\(LoaderLimits.maximumClasses))")
            }
            labels = try DenseDatasetBuilder.labels(indicatorRows: y.values, columns: width, location: location)
            classNames = (0..<width).map(String.init)
        }
        if let file = options["classes"] {
            let names = try LibSVMLoader.readNameList(file)
            guard names.count == classNames.count else {
                throw SemanticHashingError.malformedInput(location: file, reason: "\(names.count) names for \(classNames.count) classes")
            }
            classNames = names
        }
        let features = Matrix(rows: n, columns: d, storage: x.values.map { Float($0) })
        let testCount = try o.rowCount("test", total: n, defaultFraction: 0.2, source: parts[0])
        let validationCount = try o.rowCount("validation", total: n - testCount, defaultFraction: 0.1, source: parts[0])
        let file = (parts[0] as NSString).lastPathComponent
        let name = (file as NSString).deletingPathExtension
        return try DenseDatasetBuilder.build(
            name: name.isEmpty ? "npy" : name, features: features, labels: labels, ids: (0..<n).map { "\(file) row \($0)" },
            classNames: classNames, testCount: testCount, validationCount: validationCount,
            seed: try o.seed(default: 20), standardize: try o.flag("standardize", default: true),
            settings: [("format", "npy"), ("features file", parts[0]), ("labels file", parts[1]), ("test", "last \(testCount) rows")])
    }

    /// Reads one `.npy` file.
    public static func read(path: String) throws -> Array {
        let bytes = [UInt8](try readFile(path))
        func fail(_ offset: Int, _ reason: String) -> SemanticHashingError {
            .malformedInput(location: "\(path), offset \(offset)", reason: reason)
        }
        let magic: [UInt8] = [0x93] + Swift.Array("NUMPY".utf8)
        guard bytes.count >= 10, Swift.Array(bytes[0..<6]) == magic else { throw fail(0, "not an .npy file (bad magic)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail(8, "truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail(6, "unsupported .npy version \(major)")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail(headerStart, "truncated header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let order = field("fortran_order", in: header),
              let shapeText = field("shape", in: header) else {
            throw fail(headerStart, "header lacks descr, fortran_order or shape: \(header.prefix(120))")
        }
        guard order == "False" else { throw fail(headerStart, "fortran_order: True is not supported; save the array in C order") }
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let shapeInner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape: [Int] = []
        for part in shapeInner.split(separator: ",") {
            let s = part.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            guard let v = Int(s), v >= 0 else { throw fail(headerStart, "bad shape \(shapeText)") }
            shape.append(v)
        }
        guard !shape.isEmpty else { throw fail(headerStart, "scalar arrays are not supported (shape \(shapeText))") }
        let (count, overflow) = shape.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        let width: Int
        switch dtype {
        case "|u1", "<u1", "|i1", "<i1", "|b1": width = 1
        case "<i2", "<u2": width = 2
        case "<f4", "<i4", "<u4": width = 4
        case "<f8", "<i8", "<u8": width = 8
        default:
            throw fail(headerStart, "dtype '\(dtype)' is not supported (use <f4, <f8, <i4, <i8 or |u1; little-endian)")
        }
        let dataStart = headerStart + headerLength
        guard !overflow, count <= (bytes.count - dataStart) / width else {
            throw fail(dataStart, "truncated data: shape \(shape) needs \(overflow ? "too many" : String(count * width)) bytes, \(bytes.count - dataStart) present")
        }
        // Bytes past the data mean the shape is wrong (a damaged header would otherwise drop rows silently).
        guard count * width == bytes.count - dataStart else {
            throw fail(dataStart + count * width, "\(bytes.count - dataStart - count * width) bytes after the data of shape \(shape) (\(count * width) bytes); the shape or the file is damaged")
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { b in
            for k in 0..<count {
                let at = dataStart + k * width
                var raw: UInt64 = 0
                for j in stride(from: width - 1, through: 0, by: -1) { raw = raw << 8 | UInt64(b[at + j]) }
                switch dtype {
                case "<f4": values[k] = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
                case "<f8": values[k] = Double(bitPattern: raw)
                case "|i1", "<i1": values[k] = Double(Int8(truncatingIfNeeded: raw))
                case "<i2": values[k] = Double(Int16(truncatingIfNeeded: raw))
                case "<i4": values[k] = Double(Int32(truncatingIfNeeded: raw))
                case "<i8": values[k] = Double(Int64(bitPattern: raw))
                default: values[k] = Double(raw)
                }
            }
        }
        return Array(shape: shape, values: values)
    }

    /// The text of `'key': value` in the header dict (value up to the next top-level comma).
    static func field(_ key: String, in header: String) -> String? {
        guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0
        var end = rest.startIndex
        while end < rest.endIndex {
            let c = rest[end]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { end = rest.index(after: end); break } }
            else if (c == "," || c == "}") && depth == 0 { break }
            end = rest.index(after: end)
        }
        return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
    }
}
