/// An exact index over binary codes in Hamming space. Every kind behind this protocol returns
/// the same hits in the same order for the same data:
///
/// ```
/// search(Q, k)[q]        = the min(k, N) items with the smallest (d_H(q, x_i), i)
/// rangeSearch(Q, r)[q]   = { i : d_H(q, x_i) ≤ r }, ordered by (d_H, i)
/// ```
///
/// ```swift
/// var index: any HammingIndex = LinearScanIndex(codes: database)
/// let hits = index.search(queries, k: 100)
/// ```
public protocol HammingIndex: Sendable {
    /// Bits per code.
    var bits: Int { get }
    /// Number of indexed codes; their positions 0..<count are the indices in results.
    var count: Int { get }
    /// The indexed codes, in insertion order.
    var codes: BinaryCodes { get }
    /// Worker threads used by searches.
    var threads: Int { get set }
    /// Appends codes (their indices continue after the existing ones).
    mutating func add(_ codes: BinaryCodes)
    /// The k nearest codes of each query, ties by index.
    func search(_ queries: BinaryCodes, k: Int) -> SearchResults
    /// Every code within `radius` of each query.
    func rangeSearch(_ queries: BinaryCodes, radius: Int) -> RangeSearchResults
}

/// The reference for tests: compute and sort every distance, O(N log N) per query.
///
/// ```
/// search(Q, k)[q] = first min(k, N) of sort_{(d, i)} { (i, d_H(q, x_i)) : i < N }
/// ```
///
/// ```swift
/// let expected = BruteForceSearch.search(database, queries, k: 10)
/// XCTAssertEqual(index.search(queries, k: 10), expected)
/// ```
public enum BruteForceSearch {
    public static func search(_ database: BinaryCodes, _ queries: BinaryCodes, k: Int) -> SearchResults {
        let kk = min(max(k, 0), database.count)
        var all: [Neighbor] = []
        for q in 0..<queries.count {
            let sorted = (0..<database.count)
                .map { Neighbor(index: $0, distance: queries.distance(q, to: database, $0)) }
                .sorted(by: Neighbor.precedes)
            all.append(contentsOf: sorted.prefix(kk))
        }
        return SearchResults(queryCount: queries.count, neighborsPerQuery: kk, neighbors: all)
    }

    public static func rangeSearch(_ database: BinaryCodes, _ queries: BinaryCodes, radius: Int) -> RangeSearchResults {
        RangeSearchResults(perQuery: (0..<queries.count).map { q in
            (0..<database.count)
                .map { Neighbor(index: $0, distance: queries.distance(q, to: database, $0)) }
                .filter { $0.distance <= radius }
                .sorted(by: Neighbor.precedes)
        })
    }
}
