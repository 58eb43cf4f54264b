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
/// Class numbers go through `ClassNumbering` (a class number of 2e9 is one class, not 2·10⁹).
/// Item ids are "FILE PART row N" (0-based row of the variable, before dropping empty rows).
///
/// ```swift
/// let ng20 = try MATLoader.load(path: "ng20.tfidf.mat", options: [:])
/// ```
public enum MATLoader {
    public static func load(path: String, options: [String: String]) throws -> Dataset {
        let o = try LoaderOptions(options, loader: "mat", known: ["labels", "classes", "validation", "seed"])
        let explicitBase = try o.classBase()
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
        var classNames: [String]
        let namesFromFile = try options["classes"].map { try LibSVMLoader.readNameList($0) }
        var numberingNote = "indicator rows"
        if isNumbers {
            let all = parts.flatMap { if case .numbers(let v) = $0.labels { return v }; return [] }
            let base = explicitBase ?? (all.contains(0) ? 0 : 1)
            var ids: [[Int]] = []
            for p in parts {
                guard case .numbers(let v) = p.labels else { continue }
                var column: [Int] = []
                column.reserveCapacity(v.count)
                for (i, x) in v.enumerated() {
                    guard x.rounded() == x, x >= Double(base), x <= Double(Int32.max) else {
                        throw SemanticHashingError.malformedInput(location: "\(path), variable gnd_\(p.name)", reason: "item \(i): \(x) is not a \(base)-based class number")
                    }
                    column.append(Int(x))
                }
                ids.append(column)
            }
            let numbering = try ClassNumbering(ids: Set(ids.joined()), base: base, nameCount: namesFromFile?.count,
                                               source: "\(path), variables gnd_*")
            labelSets = ids.map { column in column.map { [numbering.index(of: $0)] } }
            classCount = numbering.count
            classNames = numbering.names
            numberingNote = "class-number columns: " + numbering.summary
        } else {
            for p in parts {
                guard case .indicator(let sets, let width) = p.labels else { continue }
                labelSets.append(sets)
                classCount = max(classCount, width)
            }
            guard classCount <= LoaderLimits.maximumClasses else {
                throw SemanticHashingError.malformedInput(location: "\(path), variables gnd_*", reason: "\(classCount) label columns exceed the limit of \(LoaderLimits.maximumClasses) classes")
            }
            classNames = (0..<classCount).map(String.init)
        }
        let multi = labelSets.contains { $0.contains { $0.count > 1 } }
        if let names = namesFromFile, let file = options["classes"] {
            guard names.count >= classCount else {
                throw SemanticHashingError.malformedInput(location: file, reason: "\(names.count) names but the labels use \(classCount) classes")
            }
            classNames = names
            classCount = names.count
        }
        var splits: [DataSplit] = []
        for (p, sets) in zip(parts, labelSets) {
            // An all-zero indicator row is an unlabelled item, not class 0.
            var offsets = [0]
            offsets.reserveCapacity(sets.count + 1)
            for set in sets { offsets.append(offsets[offsets.count - 1] + set.count) }
            let labels = Labels(classCount: classCount, isMultiLabel: multi, offsets: offsets, classes: sets.joined().map { Int32($0) })
            let file = (path as NSString).lastPathComponent
            splits.append(DataSplit(features: p.features, labels: labels, ids: (0..<sets.count).map { "\(file) \(p.name) row \($0)" }))
        }
        // The reference drops training items without any non-zero feature.
        let train = splits[0]
        let keep = (0..<train.count).filter { rowHasNonZero(train.features, $0) }
        let dropped = train.count - keep.count
        var trainSplit = dropped > 0 ? train.gatherRows(keep) : train
        var validation: DataSplit? = splits.count > 2 ? splits[2] : nil
        var validationNote = "cv variable (\(validation?.count ?? 0) items)"
        if validation == nil {
            let seed = try o.seed(default: 20)
            let n = try o.rowCount("validation", total: trainSplit.count, defaultFraction: 0.1, source: path)
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
            ("labels", numberingNote),
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
