import Foundation

/// Reads a dataset in the VDSH MAT-file layout (`ng20.tfidf.mat`, `tmc.tfidf.mat`, …): feature
/// matrices `train`, `test`, `cv` (sparse or dense, items × features) and label matrices
/// `gnd_train`, `gnd_test`, `gnd_cv`, each either one-hot/multi-hot rows (items × classes) or a
/// column of class numbers. Matrices stored the other way round (features × items) are
/// recognised by matching the label count. All-zero training rows are dropped (design.md, Datasets).
///
/// Spec: `mat:FILE` with options `labels=0based|1based` (class numbers; default: 1-based when
/// no class number is 0, as MATLAB writes them), `classes=FILE` (names, one a line),
/// `validation=N|FRACTION` and `seed` (only used when the file has no `cv`; default 10 %, 20).
///
/// ```swift
/// let ng20 = try MATLoader.load(path: "ng20.tfidf.mat", options: [:])
/// ```
public enum MATLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        let known: Set<String> = ["labels", "classes", "validation", "seed"]
        if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw SemanticHashingError.invalidArgument(name: "mat", reason: "unknown option '\(bad)'; valid: \(known.sorted().joined(separator: ", "))")
        }
        let vars = try MATFileReader.read(path: path)
        func need(_ name: String) throws -> MATFileReader.Array {
            guard let v = vars[name] else {
                let have = vars.keys.sorted().joined(separator: ", ")
                throw SemanticHashingError.malformedInput(location: path, reason: "no numeric variable '\(name)' (found: \(have.isEmpty ? "none" : have))")
            }
            return v
        }
        var parts: [(name: String, features: FeatureMatrix, labels: LabelColumn)] = []
        for part in ["train", "test", "cv"] {
            if part == "cv" && vars["cv"] == nil { continue }
            let x = try need(part)
            let g = try need("gnd_" + part)
            let (features, labels) = try orient(features: x, labels: g, name: part, path: path)
            parts.append((part, features, labels))
        }
        guard parts[0].features.columns == parts[1].features.columns,
              parts.count < 3 || parts[2].features.columns == parts[0].features.columns else {
            throw SemanticHashingError.malformedInput(location: path, reason: "train, test and cv have different feature counts (\(parts.map { $0.features.columns }))")
        }

        // Class numbers or indicator rows, consistently across the parts.
        let isIndicator = parts.allSatisfy { if case .indicator = $0.labels { return true }; return false }
        let isNumbers = parts.allSatisfy { if case .numbers = $0.labels { return true }; return false }
        guard isIndicator || isNumbers else {
            throw SemanticHashingError.malformedInput(location: path, reason: "label matrices mix class-number columns and indicator rows")
        }
        var labelSets: [[[Int]]] = []
        var classCount = 0
        if isNumbers {
            let all = parts.flatMap { if case .numbers(let v) = $0.labels { return v }; return [] }
            let oneBased: Bool
            switch options["labels"] {
            case nil: oneBased = !all.contains(0)
            case "0based"?: oneBased = false
            case "1based"?: oneBased = true
            case let v?: throw SemanticHashingError.invalidArgument(name: "mat labels", reason: "'\(v)' is not one of 0based, 1based")
            }
            for p in parts {
                guard case .numbers(let v) = p.labels else { continue }
                var sets: [[Int]] = []
                for (i, x) in v.enumerated() {
                    let c = oneBased ? x - 1 : x
                    guard x.rounded() == x, c >= 0, c < Double(Int32.max) else {
                        throw SemanticHashingError.malformedInput(location: "\(path), variable gnd_\(p.name)", reason: "item \(i): \(x) is not a \(oneBased ? "1" : "0")-based class number")
                    }
                    sets.append([Int(c)])
                    classCount = max(classCount, Int(c) + 1)
                }
                labelSets.append(sets)
            }
        } else {
            for p in parts {
                guard case .indicator(let sets, let width) = p.labels else { continue }
                labelSets.append(sets)
                classCount = max(classCount, width)
            }
        }
        let multi = labelSets.contains { $0.contains { $0.count > 1 } }
        var classNames = (0..<classCount).map(String.init)
        if let file = options["classes"] {
            classNames = try LibSVMLoader.readNameList(file)
            guard classNames.count >= classCount else {
                throw SemanticHashingError.malformedInput(location: file, reason: "\(classNames.count) names but the labels use \(classCount) classes")
            }
            classCount = classNames.count
        }
        var splits: [DataSplit] = []
        for (p, sets) in zip(parts, labelSets) {
            let labels = multi ? Labels(multiLabel: sets, classCount: classCount)
                               : Labels(classCount: classCount, isMultiLabel: false, offsets: Array(0...sets.count), classes: sets.map { Int32($0.first ?? 0) })
            splits.append(DataSplit(features: p.features, labels: labels))
        }
        // The reference drops training items without any non-zero feature.
        let train = splits[0]
        let keep = (0..<train.count).filter { rowHasNonZero(train.features, $0) }
        let dropped = train.count - keep.count
        var trainSplit = dropped > 0 ? train.gatherRows(keep) : train
        var validation: DataSplit? = splits.count > 2 ? splits[2] : nil
        var validationNote = "cv variable (\(validation?.count ?? 0) items)"
        if validation == nil {
            let seed = try SplitCarving.seed(option: options["seed"], defaultSeed: 20)
            let n = try SplitCarving.count(option: options["validation"], name: "mat validation", total: trainSplit.count, defaultFraction: 0.1)
            (trainSplit, validation) = SplitCarving.validation(from: trainSplit, count: n, seed: seed)
            validationNote = n == 0 ? "none" : "\(n) seeded training items (seed \(seed)); the file has no cv"
        }
        let negative: Bool
        switch trainSplit.features {
        case .sparse(let s): negative = s.values.contains { $0 < 0 }
        case .dense(let d): negative = d.storage.contains { $0 < 0 }
        }
        let settings: [(key: String, value: String)] = [
            ("format", "MAT-file v5 (VDSH layout)"), ("file", path),
            ("labels", isNumbers ? "class-number columns" : "indicator rows"),
            ("validation", validationNote),
            ("dropped all-zero train rows", "\(dropped)"),
            ("values", "as stored; target = features"),
        ]
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Dataset(name: name.isEmpty ? "mat" : name, train: trainSplit, validation: validation, test: splits[1],
                       classNames: classNames, reconstruction: negative ? .gaussian : .distribution, preprocessing: .none,
                       settings: settings)
    }

    /// Labels of one part as read: class numbers, or the set of non-zero columns per item.
    enum LabelColumn {
        case numbers([Double])
        case indicator(sets: [[Int]], width: Int)
    }

    static func rowHasNonZero(_ f: FeatureMatrix, _ i: Int) -> Bool {
        switch f {
        case .sparse(let s): return s.row(i).contains { $0.value != 0 }
        case .dense(let d): return d.row(i).contains { $0 != 0 }
        }
    }

    /// Decides which axis holds the items (the one whose length matches the labels) and returns
    /// item-major features and labels.
    static func orient(features x: MATFileReader.Array, labels g: MATFileReader.Array, name: String, path: String) throws
        -> (FeatureMatrix, LabelColumn) {
        let location = "\(path), variable gnd_\(name)"
        func matchesItems(_ n: Int) -> Bool { n == x.rows || n == x.columns }
        // Class-number vector (n×1 or 1×n).
        let items: Int
        let labels: LabelColumn
        if (g.columns == 1 || g.rows == 1) && matchesItems(max(g.rows, g.columns)) {
            items = max(g.rows, g.columns)
            switch g {
            case .dense(_, _, let v): labels = .numbers(v)
            case .sparse(let s):
                var v = [Double](repeating: 0, count: items)
                let csr = g.columns == 1 ? s.toCSR() : s.transposedCSR()
                for i in 0..<items { v[i] = Double(csr.row(i).first?.value ?? 0) }
                labels = .numbers(v)
            }
        } else {
            let itemsInRows = matchesItems(g.rows)
            guard itemsInRows || matchesItems(g.columns) else {
                throw SemanticHashingError.malformedInput(location: location, reason: "labels are \(g.rows)×\(g.columns) but '\(name)' is \(x.rows)×\(x.columns)")
            }
            items = itemsInRows ? g.rows : g.columns
            let width = itemsInRows ? g.columns : g.rows
            var sets = [[Int]](repeating: [], count: items)
            switch g {
            case .dense(let r, let c, let v):
                for j in 0..<c { for i in 0..<r where v[j * r + i] != 0 { if itemsInRows { sets[i].append(j) } else { sets[j].append(i) } } }
            case .sparse(let s):
                let csr = itemsInRows ? s.toCSR() : s.transposedCSR()
                for i in 0..<items { sets[i] = csr.row(i).filter { $0.value != 0 }.map(\.column) }
            }
            labels = .indicator(sets: sets.map { $0.sorted() }, width: width)
        }
        let itemsInRows = x.rows == items
        let features: FeatureMatrix
        switch x {
        case .sparse(let s): features = .sparse(itemsInRows ? s.toCSR() : s.transposedCSR())
        case .dense(let r, let c, let v):
            // Column-major storage: element (i, j) at v[j * r + i].
            let m = itemsInRows ? Matrix(rows: r, columns: c, storage: (0..<(r * c)).map { k in Float(v[(k % c) * r + k / c]) })
                                : Matrix(rows: c, columns: r, storage: v.map { Float($0) })
            features = .dense(m)
        }
        return (features, labels)
    }
}
