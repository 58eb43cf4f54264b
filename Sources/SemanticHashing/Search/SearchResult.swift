/// One search hit: a database position and its Hamming distance to the query. Hits are always
/// ordered by distance, then by index:
///
/// ```
/// (i, d) ≺ (i', d')  ⇔  d < d'  ∨  (d = d' ∧ i < i')
/// ```
///
/// ```swift
/// let hit = Neighbor(index: 17, distance: 3)
/// let ordered = hits.sorted(by: Neighbor.precedes)
/// ```
public struct Neighbor: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var index: Int
    public var distance: Int

    public init(index: Int, distance: Int) {
        self.index = index
        self.distance = distance
    }

    /// The order of every result list: by distance, ties by database index.
    @inlinable
    public static func precedes(_ a: Neighbor, _ b: Neighbor) -> Bool {
        a.distance != b.distance ? a.distance < b.distance : a.index < b.index
    }

    public var description: String { "(\(index), \(distance))" }
}

/// The k nearest codes of each query, in (distance, index) order:
///
/// ```
/// neighbors(of: q) = the min(k, N) database items with the smallest (d(q, x_i), i)
/// ```
///
/// ```swift
/// let results = index.search(queries, k: 10)
/// for hit in results.neighbors(of: 0) { print(hit.index, hit.distance) }
/// ```
public struct SearchResults: Sendable, Equatable {
    public let queryCount: Int
    /// Hits per query: min(k, database size).
    public let neighborsPerQuery: Int
    /// queryCount × neighborsPerQuery hits, query after query.
    public let neighbors: [Neighbor]

    public init(queryCount: Int, neighborsPerQuery: Int, neighbors: [Neighbor]) {
        precondition(neighbors.count == queryCount * neighborsPerQuery, "SearchResults: wrong number of hits")
        self.queryCount = queryCount
        self.neighborsPerQuery = neighborsPerQuery
        self.neighbors = neighbors
    }

    public func neighbors(of query: Int) -> ArraySlice<Neighbor> {
        neighbors[query * neighborsPerQuery ..< (query + 1) * neighborsPerQuery]
    }
}

/// All codes within a radius of each query, in (distance, index) order:
///
/// ```
/// neighbors(of: q) = { (i, d(q, x_i)) : d(q, x_i) ≤ radius }, sorted by (d, i)
/// ```
///
/// ```swift
/// let near = index.rangeSearch(queries, radius: 2)
/// print(near.neighbors(of: 0).count)
/// ```
public struct RangeSearchResults: Sendable, Equatable {
    /// queryCount + 1 offsets into `neighbors`.
    public let offsets: [Int]
    public let neighbors: [Neighbor]

    public init(offsets: [Int], neighbors: [Neighbor]) {
        precondition(offsets.first == 0 && offsets.last == neighbors.count, "RangeSearchResults: bad offsets")
        self.offsets = offsets
        self.neighbors = neighbors
    }

    /// Joins per-query lists.
    public init(perQuery lists: [[Neighbor]]) {
        var offsets = [0]
        offsets.reserveCapacity(lists.count + 1)
        for l in lists { offsets.append(offsets.last! + l.count) }
        self.init(offsets: offsets, neighbors: lists.flatMap { $0 })
    }

    public var queryCount: Int { offsets.count - 1 }

    public func neighbors(of query: Int) -> ArraySlice<Neighbor> {
        neighbors[offsets[query] ..< offsets[query + 1]]
    }
}
