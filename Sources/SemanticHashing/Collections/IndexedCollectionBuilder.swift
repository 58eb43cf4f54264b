/// Gathers encoded documents batch by batch into an `IndexedCollection`, in amortised O(1) per
/// item (appending collections one to another would copy the whole index per batch).
///
/// ```
/// item i: codes[i], id = documents[i].id, classes = documents[i].classes,
///         snippet = IndexedItem.snippet(of: documents[i].text, limit: snippetLength)
/// ```
/// Classes are named in order of first appearance after `classNames`; an index whose documents
/// carry no class has no class field, and `snippetLength` 0 keeps no snippets.
///
/// ```swift
/// var builder = IndexedCollectionBuilder(bits: 32, provenance: encoder.provenance(path: "m.semhash"))
/// builder.add(batch, codes: encoder.codes(for: batch.map(\.text)))
/// let collection = builder.build(kind: .flat)
/// ```
public struct IndexedCollectionBuilder {
    public let snippetLength: Int
    public let provenance: IndexProvenance?
    private var codes: BinaryCodes
    private var ids: [String] = []
    private var snippets: [String] = []
    private var classNames: [String]
    private var classIndex: [String: Int32]
    private var offsets = [0]
    private var classes: [Int32] = []
    private var multiLabel = false

    public init(bits: Int, classNames: [String] = [], provenance: IndexProvenance?, snippetLength: Int = 200) {
        codes = BinaryCodes(bits: bits)
        self.classNames = classNames
        classIndex = Dictionary(classNames.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        self.provenance = provenance
        self.snippetLength = snippetLength
    }

    public var count: Int { codes.count }

    public mutating func add(_ documents: [StreamedDocument], codes batch: BinaryCodes) {
        precondition(documents.count == batch.count, "IndexedCollectionBuilder: \(documents.count) documents, \(batch.count) codes")
        codes.append(contentsOf: batch)
        for d in documents {
            ids.append(d.id)
            if snippetLength > 0 { snippets.append(IndexedItem.snippet(of: d.text, limit: snippetLength)) }
            for name in d.classes {
                if classIndex[name] == nil {
                    classIndex[name] = Int32(classNames.count)
                    classNames.append(name)
                }
                classes.append(classIndex[name]!)
            }
            if d.classes.count > 1 { multiLabel = true }
            offsets.append(classes.count)
        }
    }

    public func build(kind: IndexKind = .flat) -> IndexedCollection {
        let labels = classes.isEmpty ? nil
            : Labels(classCount: classNames.count, isMultiLabel: multiLabel, offsets: offsets, classes: classes)
        return IndexedCollection(codes: codes, ids: ids, labels: labels, classNames: labels == nil ? [] : classNames,
                                 snippets: snippetLength > 0 ? snippets : nil, provenance: provenance, kind: kind)
    }
}
