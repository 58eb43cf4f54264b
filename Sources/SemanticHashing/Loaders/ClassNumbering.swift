/// Turns the class numbers a file writes into class indices 0..<C.
///
/// ```
/// dense  (ordinary 0..C−1 or 1..C, at least half of 0…max used):  index = n − base,
///                                                                  names "0", "1", … (index)
/// sparse (any other set of ids, e.g. {3, 99999999}):               index = rank of n among the ids seen,
///                                                                  names = the ids as written ("3", "99999999")
/// with a class-name list of K names:                               index = n − base, must be < K
/// ```
///
/// So a label of 99 999 999 makes one class, not 10⁸ (sparse label ids are normal), while files
/// with the usual numbering keep the numbering they always had, empty classes in the range
/// included. More than `LoaderLimits.maximumClasses` distinct ids is an error.
///
/// ```swift
/// let numbering = try ClassNumbering(ids: [3, 99_999_999], base: 0, nameCount: nil, source: "train.svm")
/// numbering.names                     // ["3", "99999999"]
/// numbering.index(of: 99_999_999)     // 1
/// ```
struct ClassNumbering {
    /// Class names in index order.
    let names: [String]
    let base: Int
    /// id → index for sparse ids; nil when index = id − base.
    private let sparse: [Int: Int]?

    var count: Int { names.count }

    /// `ids`: every class number seen (as written, ≥ `base`); `nameCount`: the length of a
    /// class-name list, if one was given; `source`: the file, for messages.
    init(ids: Set<Int>, base: Int, nameCount: Int?, source: String) throws {
        self.base = base
        if let k = nameCount {
            if let bad = ids.filter({ $0 - base >= k }).min() {
                throw SemanticHashingError.malformedInput(location: source, reason: "class \(bad) is not among the \(k) named classes")
            }
            names = (0..<k).map(String.init)
            sparse = nil
            return
        }
        guard ids.count <= LoaderLimits.maximumClasses else {
            throw SemanticHashingError.malformedInput(
                location: source, reason: "\(ids.count) distinct class ids exceed the limit of \(LoaderLimits.maximumClasses) classes")
        }
        let top = (ids.max() ?? base) - base
        if top < LoaderLimits.maximumClasses && top + 1 <= 2 * ids.count {
            names = (0...max(top, 0)).map(String.init)
            sparse = nil
        } else {
            let sorted = ids.sorted()
            names = sorted.map(String.init)
            sparse = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        }
    }

    /// The index of a class id that was among `ids`.
    func index(of id: Int) -> Int { sparse.map { $0[id]! } ?? id - base }

    /// Whether the ids were remapped (for the dataset's settings).
    var isRemapped: Bool { sparse != nil }

    /// A settings line describing the numbering.
    var summary: String {
        isRemapped ? "\(count) distinct class ids, each its own class (names = the ids)"
                   : "\(base)-based class numbers, \(count) classes"
    }
}
