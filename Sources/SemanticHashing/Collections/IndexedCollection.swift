/// Which search structure an index file asks for. Both return the same hits (`HammingIndex`);
/// the file records the choice so `search` builds what `index` was told, once per process.
public enum IndexKind: Equatable, Sendable {
    /// `LinearScanIndex`.
    case flat
    /// `MultiIndexHashingIndex` with m substrings (nil: chosen from the code length and count).
    case multiIndexHashing(substrings: Int?)

    /// "flat" or "mih".
    public var name: String {
        switch self {
        case .flat: return "flat"
        case .multiIndexHashing: return "mih"
        }
    }

    /// A search structure of this kind over `codes`.
    public func makeIndex(_ codes: BinaryCodes, threads: Int? = nil) -> any HammingIndex {
        switch self {
        case .flat:
            return LinearScanIndex(codes: codes, threads: threads)
        case .multiIndexHashing(let m):
            return MultiIndexHashingIndex(codes: codes, substrings: m.map { min(max(1, $0), codes.bits) }, threads: threads)
        }
    }
}

/// The model that made an index's codes: its fingerprint and a description for messages.
///
/// ```swift
/// let provenance = IndexProvenance(fingerprint: file.fingerprint, description: "ssb-vae, 32 bits, docs.semhash")
/// ```
public struct IndexProvenance: Sendable, Equatable, Codable {
    public var fingerprint: ModelFingerprint
    /// E.g. "SSB-VAE, 32 bits, trained on text:docs (docs.semhash)".
    public var description: String

    public init(fingerprint: ModelFingerprint, description: String) {
        self.fingerprint = fingerprint
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case fingerprint, description }

    public init(from decoder: Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .fingerprint)
        guard let fp = ModelFingerprint(parsing: text) else {
            throw DecodingError.dataCorruptedError(forKey: .fingerprint, in: c, debugDescription: "'\(text)' is not 16 hex digits")
        }
        fingerprint = fp
        description = try c.decode(String.self, forKey: .description)
    }

    public func encode(to encoder: Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fingerprint.description, forKey: .fingerprint)
        try c.encode(description, forKey: .description)
    }
}

/// Everything an index file holds: the codes of a collection, per item the fields a hit shows
/// (id, classes, snippet), the model that made the codes and the kind of search structure.
/// Items keep their order; search ties are broken by it.
///
/// ```
/// items 0..<N:  codes[i],  ids[i],  classNames[labels(i)],  snippets[i]
/// ids are unique (so --remove and --add can name items); classes index classNames
/// ```
///
/// ```swift
/// var docs = try IndexFile.read("docs.smhi")
/// try docs.append(try IndexFile.read("new.smhi"), source: "new.smhi")
/// ```
public struct IndexedCollection: Sendable, Equatable {
    public private(set) var codes: BinaryCodes
    public private(set) var ids: [String]?
    /// Classes per item (indices into `classNames`), or nil when the source has no classes.
    public private(set) var labels: Labels?
    public private(set) var classNames: [String]
    public private(set) var snippets: [String]?
    public var provenance: IndexProvenance?
    public var kind: IndexKind

    public init(codes: BinaryCodes, ids: [String]? = nil, labels: Labels? = nil, classNames: [String] = [],
                snippets: [String]? = nil, provenance: IndexProvenance? = nil, kind: IndexKind = .flat) {
        precondition(ids.map { $0.count == codes.count } ?? true, "IndexedCollection: \(ids?.count ?? 0) ids for \(codes.count) codes")
        precondition(labels.map { $0.count == codes.count && $0.classCount == classNames.count } ?? true,
                     "IndexedCollection: labels do not match the codes or the class names")
        precondition(snippets.map { $0.count == codes.count } ?? true, "IndexedCollection: snippet count differs")
        self.codes = codes
        self.ids = ids
        self.labels = labels
        self.classNames = classNames
        self.snippets = snippets
        self.provenance = provenance
        self.kind = kind
    }

    /// The codes and ids of a code listing (no classes, snippets or model).
    public init(_ listing: CodeListing) {
        self.init(codes: listing.codes, ids: listing.ids)
    }

    public var count: Int { codes.count }
    public var bits: Int { codes.bits }

    /// The class names of item i.
    public func classes(of i: Int) -> [String] {
        labels.map { $0.classesOf(i).map { classNames[Int($0)] } } ?? []
    }

    /// The fields a hit on item i shows.
    public func item(at i: Int) -> IndexedItem {
        IndexedItem(id: ids?[i], classes: classes(of: i), snippet: snippets?[i])
    }

    /// Throws if two items share an id, naming the id, both positions and `source`.
    public func checkUniqueIDs(source: String) throws {
        guard let ids else { return }
        var first: [String: Int] = [:]
        first.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() {
            if let j = first.updateValue(i, forKey: id) {
                throw SemanticHashingError.malformedInput(
                    location: source, reason: "items \(j) and \(i) share the id '\(id)'; ids must be unique (give --id-prefix to keep sources apart)")
            }
        }
    }

    /// Appends the items of `other` after the existing ones. Both must have codes of the same
    /// length from the same model (or both none recorded), and the same fields; ids must stay
    /// unique. Class names are matched by name (new names are appended). Nothing changes on error.
    public mutating func append(_ other: IndexedCollection, source: String) throws {
        func refuse(_ reason: String) -> SemanticHashingError { .invalidArgument(name: source, reason: reason) }
        guard other.bits == bits else {
            throw refuse("holds \(other.bits)-bit codes, the index \(bits)-bit codes")
        }
        switch (provenance, other.provenance) {
        case let (mine?, theirs?) where mine.fingerprint != theirs.fingerprint:
            throw refuse("was made by model \(theirs.fingerprint) (\(theirs.description)), the index by model \(mine.fingerprint) (\(mine.description)); their codes are not comparable")
        case (.some(let mine), nil) where other.count > 0:
            throw refuse("records no model, the index was made by model \(mine.fingerprint) (\(mine.description)); codes of unknown origin cannot be mixed in")
        case (nil, .some(let theirs)) where count > 0:
            throw refuse("was made by model \(theirs.fingerprint), the index records no model; codes of unknown origin cannot be mixed in")
        default: break
        }
        if count > 0 && other.count > 0 {
            guard (ids == nil) == (other.ids == nil) else {
                throw refuse(ids == nil ? "has item ids, the index has none" : "has no item ids, the index has them")
            }
        }
        var merged = self
        if count == 0 {
            merged.provenance = other.provenance ?? provenance
            if other.count > 0 { merged.ids = other.ids.map { _ in [] } }
        }
        if let otherIDs = other.ids, merged.ids != nil {
            var seen = Set(merged.ids!)
            for (i, id) in otherIDs.enumerated() where !seen.insert(id).inserted {
                throw refuse("item \(i) has the id '\(id)', which the index already holds; --remove it first or give --id-prefix")
            }
            merged.ids!.append(contentsOf: otherIDs)
        }
        // Classes: remap the other's class indices onto the merged name list.
        var names = merged.classNames
        var position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let remap: [Int32] = other.classNames.map { name in
            if let p = position[name] { return Int32(p) }
            names.append(name)
            position[name] = names.count - 1
            return Int32(names.count - 1)
        }
        func offsetsAndClasses(_ l: Labels?, count n: Int, map: (Int32) -> Int32) -> ([Int], [Int32], Bool) {
            guard let l else { return (Array(repeating: 0, count: n + 1), [], false) }
            return (l.offsets, l.classes.map(map), l.isMultiLabel)
        }
        if merged.labels != nil || other.labels != nil {
            let (o1, c1, m1) = offsetsAndClasses(merged.labels, count: merged.count) { $0 }
            let (o2, c2, m2) = offsetsAndClasses(other.labels, count: other.count) { remap[Int($0)] }
            let offsets = o1 + o2.dropFirst().map { $0 + c1.count }
            merged.labels = Labels(classCount: names.count, isMultiLabel: m1 || m2, offsets: offsets, classes: c1 + c2)
        }
        merged.classNames = names
        if merged.snippets != nil || other.snippets != nil {
            merged.snippets = (merged.snippets ?? Array(repeating: "", count: merged.count))
                + (other.snippets ?? Array(repeating: "", count: other.count))
        }
        merged.codes.append(contentsOf: other.codes)
        self = merged
    }

    /// Removes the items with the given ids and returns their former positions (ascending), and
    /// the class names no remaining item has. Every id must be present; nothing changes on error.
    @discardableResult
    public mutating func remove(ids removed: [String], source: String) throws -> [Int] {
        guard let ids else {
            throw SemanticHashingError.invalidArgument(name: source, reason: "has no item ids, so no item can be removed by id")
        }
        let position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var gone = Set<Int>()
        for id in removed {
            guard let p = position[id] else {
                throw SemanticHashingError.invalidArgument(name: source, reason: "holds no item with the id '\(id)'")
            }
            gone.insert(p)
        }
        let keep = (0..<count).filter { !gone.contains($0) }
        codes = codes.gathering(keep)
        self.ids = keep.map { ids[$0] }
        snippets = snippets.map { s in keep.map { s[$0] } }
        if let kept = labels?.gatherRows(keep) {
            // Class names no item uses any more go too, so removing what was added restores the index.
            let used = Set(kept.classes)
            let names = classNames.indices.filter { used.contains(Int32($0)) }
            var renumber = [Int32](repeating: -1, count: classNames.count)
            for (new, old) in names.enumerated() { renumber[old] = Int32(new) }
            labels = Labels(classCount: names.count, isMultiLabel: kept.isMultiLabel, offsets: kept.offsets,
                            classes: kept.classes.map { renumber[Int($0)] })
            classNames = names.map { classNames[$0] }
        }
        return gone.sorted()
    }

    /// The collections one after another (`append` in order): the merged index searches exactly as
    /// the parts searched together (`ShardedIndex`), ties by part, then position.
    public static func merging(_ parts: [(collection: IndexedCollection, source: String)]) throws -> IndexedCollection {
        guard var merged = parts.first?.collection else {
            throw SemanticHashingError.invalidArgument(name: "merge", reason: "no index to merge")
        }
        for part in parts.dropFirst() { try merged.append(part.collection, source: part.source) }
        return merged
    }
}
