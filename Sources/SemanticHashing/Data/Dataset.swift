/// Class labels of a split: for each item, the set of classes it belongs to (empty = unlabelled).
/// Single-label data has exactly one class per labelled item.
///
/// ```
/// item i belongs to classes[offsets[i] ..< offsets[i+1]]
/// ```
public struct Labels: Sendable, Equatable {
    public let classCount: Int
    public let isMultiLabel: Bool
    public private(set) var offsets: [Int]
    public private(set) var classes: [Int32]

    public init(classCount: Int, isMultiLabel: Bool, offsets: [Int], classes: [Int32]) {
        precondition(offsets.first == 0 && offsets.last == classes.count, "Labels: bad offsets")
        precondition(classes.allSatisfy { $0 >= 0 && Int($0) < classCount }, "Labels: class outside 0..<\(classCount)")
        self.classCount = classCount
        self.isMultiLabel = isMultiLabel
        self.offsets = offsets
        self.classes = classes
    }

    /// Single-label data: one class index per item.
    public init(singleLabel: [Int], classCount: Int) {
        self.init(classCount: classCount, isMultiLabel: false, offsets: Array(0...singleLabel.count),
                  classes: singleLabel.map { Int32($0) })
    }

    /// Multi-label data: a set of class indices per item.
    public init(multiLabel sets: [[Int]], classCount: Int) {
        var offsets = [0]
        var classes: [Int32] = []
        for s in sets { classes.append(contentsOf: s.sorted().map { Int32($0) }); offsets.append(classes.count) }
        self.init(classCount: classCount, isMultiLabel: true, offsets: offsets, classes: classes)
    }

    public var count: Int { offsets.count - 1 }

    public func classesOf(_ item: Int) -> ArraySlice<Int32> { classes[offsets[item]..<offsets[item + 1]] }
    /// Whether the item has at least one class (masked and unlabelled items have none).
    public func isLabelled(_ item: Int) -> Bool { offsets[item + 1] > offsets[item] }
    /// The items that have at least one class, in order.
    public var labelledItems: [Int] { (0..<count).filter(isLabelled) }

    /// Average number of classes per item (label cardinality).
    public var cardinality: Double { count == 0 ? 0 : Double(classes.count) / Double(count) }

    /// Whether the items come grouped by class, as in a class-sorted file: single-label, and at most
    /// four runs of consecutive same-class items per class (a shuffled list has about one run per item).
    /// Rankings that break Hamming ties by index then depend on the class order.
    public var isGroupedByClass: Bool {
        guard !isMultiLabel, count >= 4 * classCount else { return false }
        var runs = 0
        var previous: Int32? = -2
        for i in 0..<count {
            let c = classesOf(i).first  // nil for an unlabelled item
            if c != previous { runs += 1; previous = c }
        }
        return runs <= 4 * classCount
    }

    /// Label vectors y (n × C): one-hot / multi-hot rows, all-zero for unlabelled items.
    public func indicatorMatrix() -> Matrix {
        var m = Matrix(rows: count, columns: classCount)
        for i in 0..<count { for c in classesOf(i) { m[i, Int(c)] = 1 } }
        return m
    }

    public func gatherRows(_ indices: some Collection<Int>) -> Labels {
        var offsets = [0]
        var classes: [Int32] = []
        for i in indices { classes.append(contentsOf: classesOf(i)); offsets.append(classes.count) }
        return Labels(classCount: classCount, isMultiLabel: isMultiLabel, offsets: offsets, classes: classes)
    }

    /// The same items with the labels of every item outside `keep` removed.
    public func keepingOnly(_ keep: Set<Int>) -> Labels {
        var offsets = [0]
        var classes: [Int32] = []
        for i in 0..<count {
            if keep.contains(i) { classes.append(contentsOf: classesOf(i)) }
            offsets.append(classes.count)
        }
        return Labels(classCount: classCount, isMultiLabel: isMultiLabel, offsets: offsets, classes: classes)
    }

    public static func vstack(_ parts: [Labels]) -> Labels {
        precondition(!parts.isEmpty, "Labels.vstack: nothing to stack")
        var offsets = [0]
        var classes: [Int32] = []
        for p in parts {
            for i in 0..<p.count { classes.append(contentsOf: p.classesOf(i)); offsets.append(classes.count) }
        }
        return Labels(classCount: parts[0].classCount, isMultiLabel: parts[0].isMultiLabel, offsets: offsets, classes: classes)
    }
}

/// How the decoder should reconstruct the features.
public enum ReconstructionKind: String, Codable, Sendable {
    /// Non-negative counts or weights: softmax decoder, target = row / row sum (design.md, Losses).
    case distribution
    /// Continuous, possibly negative features: Gaussian decoder (squared error).
    case gaussian
}

/// One split of a dataset: encoder inputs, reconstruction targets, labels, and optional raw text.
public struct DataSplit: Sendable {
    /// Encoder input x (e.g. log(1 + tf), tf-idf, standardised pixels).
    public var features: FeatureMatrix
    /// What the decoder reconstructs, before the per-row normalisation of the loss
    /// (e.g. raw counts tf); `nil` means the features themselves.
    public var reconstructionTarget: FeatureMatrix?
    public var labels: Labels
    /// A short human-readable text per item (for showing search results), if the source has one.
    public var texts: [String]?
    /// A stable id per item that says where it came from, so a search hit can be traced back:
    /// the path below the collection root for one-file-per-document corpora
    /// ("train/sci.space/61234"), "FILE:LINE" for line-oriented files ("train.svm:12"), or
    /// "FILE row N" (0-based) for binary matrix formats.
    public var ids: [String]?

    public init(features: FeatureMatrix, reconstructionTarget: FeatureMatrix? = nil, labels: Labels, texts: [String]? = nil,
                ids: [String]? = nil) {
        precondition(features.rows == labels.count, "DataSplit: \(features.rows) feature rows, \(labels.count) label rows")
        precondition(reconstructionTarget.map { $0.rows == features.rows && $0.columns == features.columns } ?? true,
                     "DataSplit: reconstruction target shape differs from features")
        precondition(texts.map { $0.count == features.rows } ?? true, "DataSplit: text count differs")
        precondition(ids.map { $0.count == features.rows } ?? true, "DataSplit: id count differs")
        self.features = features
        self.reconstructionTarget = reconstructionTarget
        self.labels = labels
        self.texts = texts
        self.ids = ids
    }

    public var count: Int { features.rows }
    public var target: FeatureMatrix { reconstructionTarget ?? features }

    public func gatherRows(_ indices: [Int]) -> DataSplit {
        DataSplit(features: features.gatherRows(indices), reconstructionTarget: reconstructionTarget?.gatherRows(indices),
                  labels: labels.gatherRows(indices), texts: texts.map { t in indices.map { t[$0] } },
                  ids: ids.map { t in indices.map { t[$0] } })
    }

    public static func vstack(_ parts: [DataSplit]) -> DataSplit {
        let anyTarget = parts.contains { $0.reconstructionTarget != nil }
        let allTexts = parts.allSatisfy { $0.texts != nil }
        let allIDs = parts.allSatisfy { $0.ids != nil }
        return DataSplit(features: .vstack(parts.map(\.features)),
                         reconstructionTarget: anyTarget ? .vstack(parts.map(\.target)) : nil,
                         labels: .vstack(parts.map(\.labels)),
                         texts: allTexts ? parts.flatMap { $0.texts! } : nil,
                         ids: allIDs ? parts.flatMap { $0.ids! } : nil)
    }
}

/// A labelled dataset with named splits, as every loader produces it.
public struct Dataset: Sendable {
    /// Short name, e.g. "snippets", "20news", "tmc", "synthetic".
    public var name: String
    public var train: DataSplit
    /// Validation items (appended to the training items for training and the database, design.md, Experimental protocol).
    public var validation: DataSplit?
    public var test: DataSplit
    public var classNames: [String]
    /// Feature (term) names, if known.
    public var featureNames: [String]?
    public var reconstruction: ReconstructionKind
    /// What turns a new raw item into features exactly as for this dataset (stored in model files).
    public var preprocessing: Preprocessing
    /// Human-readable settings of the loader/vectoriser, for `datasets info`.
    public var settings: [(key: String, value: String)]
    /// Things the user should know about how the files were read, one line each, e.g. "3 of 120
    /// files were not valid UTF-8 and were read as Windows-1252". Empty when nothing was unusual.
    public var notes: [String]
    /// Settings this machine could not honour, with what it used instead: ("lemmatizer", "porter2")
    /// where WordNet is missing. They change the data, so experiment fingerprints include them.
    public var substitutions: [(key: String, value: String)] = []

    public init(name: String, train: DataSplit, validation: DataSplit?, test: DataSplit, classNames: [String],
                featureNames: [String]? = nil, reconstruction: ReconstructionKind = .distribution,
                preprocessing: Preprocessing = .none, settings: [(key: String, value: String)] = [], notes: [String] = []) {
        self.name = name
        self.train = train
        self.validation = validation
        self.test = test
        self.classNames = classNames
        self.featureNames = featureNames
        self.reconstruction = reconstruction
        self.preprocessing = preprocessing
        self.settings = settings
        self.notes = notes
    }

    public var featureCount: Int { train.features.columns }
    public var classCount: Int { train.labels.classCount }
    public var isMultiLabel: Bool { train.labels.isMultiLabel }

    /// Training items followed by validation items: what models train on and what is searched.
    public var database: DataSplit {
        validation.map { DataSplit.vstack([train, $0]) } ?? train
    }
}
