import Foundation

/// Turns dense feature rows with labels (npy, csv, Fashion-MNIST) into a `Dataset`: a test part
/// (the last rows, or a separate set), a seeded validation part carved from the rest, features
/// z-scored with the training part's per-column mean and standard deviation (so no test
/// statistics leak into training), and a Gaussian reconstruction.
///
/// ```swift
/// let data = try DenseDatasetBuilder.build(name: "csv", features: x, labels: y, classNames: names,
///                                          testCount: 200, validationCount: 100, seed: 20, standardize: true,
///                                          settings: [("format", "csv")])
/// ```
public enum DenseDatasetBuilder {
    /// `features`/`labels` hold all items; the last `testCount` are the test split (or pass
    /// `test` separately with `testCount: 0`).
    /// `ids`/`testIDs`: the items' ids (see `DataSplit.ids`), if known.
    public static func build(name: String, features: Matrix, labels: Labels, ids: [String]? = nil,
                             test: (Matrix, Labels)? = nil, testIDs: [String]? = nil,
                             classNames: [String], testCount: Int, validationCount: Int, seed: UInt64,
                             standardize: Bool, settings: [(key: String, value: String)]) throws -> Dataset {
        let n = features.rows
        let all = DataSplit(features: .dense(features), labels: labels, ids: ids)
        let testSplit: DataSplit
        let pool: DataSplit
        if let (tx, ty) = test {
            testSplit = DataSplit(features: .dense(tx), labels: ty, ids: testIDs)
            pool = all
        } else {
            guard testCount > 0, testCount < n else {
                throw SemanticHashingError.invalidArgument(name: "\(name) test rows", reason: "\(testCount) test rows out of \(n) leaves no training or no test items")
            }
            testSplit = all.gatherRows(Array((n - testCount)..<n))
            pool = all.gatherRows(Array(0..<(n - testCount)))
        }
        guard validationCount < pool.count else {
            throw SemanticHashingError.invalidArgument(name: "\(name) validation rows", reason: "\(validationCount) validation rows out of \(pool.count) training rows")
        }
        var (train, validation) = SplitCarving.validation(from: pool, count: validationCount, seed: seed)
        var test = testSplit
        var notes = settings
        if standardize, case .dense(let x) = train.features {
            let (mean, scale) = columnStatistics(x)
            func apply(_ s: inout DataSplit) {
                if case .dense(var m) = s.features {
                    // Drop the split's reference first so `m` is unique and is updated in place.
                    s.features = .dense(Matrix(rows: 0, columns: 0))
                    let c = m.columns
                    m.storage.withUnsafeMutableBufferPointer { p in
                        for i in 0..<m.rows { for j in 0..<c { p[i * c + j] = (p[i * c + j] - mean[j]) / scale[j] } }
                    }
                    s.features = .dense(m)
                }
            }
            apply(&train)
            if validation != nil { apply(&validation!) }
            apply(&test)
            let constant = scale.filter { $0 == 1 }.count
            notes.append(("standardised", "z-score per feature with the training part's mean/std (\(constant) constant features left centred)"))
        } else {
            notes.append(("standardised", "no"))
        }
        notes.append(("validation", validationCount == 0 ? "none" : "\(validationCount) seeded training rows (seed \(seed))"))
        return Dataset(name: name, train: train, validation: validation, test: test, classNames: classNames,
                       reconstruction: .gaussian, preprocessing: .none, settings: notes)
    }

    /// Per-column mean and standard deviation (population); a zero deviation becomes 1 so
    /// constant columns stay finite.
    static func columnStatistics(_ x: Matrix) -> (mean: [Float], scale: [Float]) {
        let n = x.rows, c = x.columns
        var sum = [Double](repeating: 0, count: c), sumSq = [Double](repeating: 0, count: c)
        x.storage.withUnsafeBufferPointer { p in
            for i in 0..<n { for j in 0..<c { let v = Double(p[i * c + j]); sum[j] += v; sumSq[j] += v * v } }
        }
        var mean = [Float](repeating: 0, count: c), scale = [Float](repeating: 1, count: c)
        guard n > 0 else { return (mean, scale) }
        for j in 0..<c {
            let m = sum[j] / Double(n)
            let variance = max(0, sumSq[j] / Double(n) - m * m)
            mean[j] = Float(m)
            let s = variance.squareRoot()
            scale[j] = s > 1e-6 ? Float(s) : 1
        }
        return (mean, scale)
    }

    /// Class labels from numbers: 1-D class ids (non-negative integers, through `ClassNumbering`)
    /// or rows of a 0/1 matrix. Returns the labels and the class names.
    static func labels(classIDs: [Double], source: String, location: (Int) -> String) throws -> (Labels, [String]) {
        var ids: [Int] = []
        ids.reserveCapacity(classIDs.count)
        for (i, v) in classIDs.enumerated() {
            guard v.isFinite, v >= 0, v.rounded() == v, v <= Double(Int32.max) else {
                throw SemanticHashingError.malformedInput(location: location(i), reason: "label \(v) is not a non-negative integer class id (up to \(Int32.max))")
            }
            ids.append(Int(v))
        }
        let numbering = try ClassNumbering(ids: Set(ids), base: 0, nameCount: nil, source: source)
        return (Labels(singleLabel: ids.map(numbering.index(of:)), classCount: numbering.count), numbering.names)
    }

    static func labels(indicatorRows values: [Double], columns: Int, location: (Int) -> String) throws -> Labels {
        var sets: [[Int]] = []
        let n = columns == 0 ? 0 : values.count / columns
        for i in 0..<n {
            var s: [Int] = []
            for j in 0..<columns {
                let v = values[i * columns + j]
                guard v == 0 || v == 1 else {
                    throw SemanticHashingError.malformedInput(location: location(i), reason: "multi-hot label value \(v) is not 0 or 1")
                }
                if v == 1 { s.append(j) }
            }
            sets.append(s)
        }
        return Labels(multiLabel: sets, classCount: columns)
    }
}
