import Foundation

/// Smoothed tf-idf with l2-normalised rows, as scikit-learn's `TfidfVectorizer` (and so the VDSH
/// `*.tfidf.mat` files) compute it: for n fitted documents,
/// idf(t) = ln((1 + n) / (1 + df(t))) + 1, and row d becomes tf(d, ·) · idf scaled to unit l2 norm
/// (all-zero rows stay zero). Shared by the text vectoriser, the feature-vector loaders (TMC) and
/// the neighbourhood agreement (which weights count input by idf).
///
/// ```swift
/// let idf = TFIDF.inverseDocumentFrequency(of: trainCounts)
/// let x = TFIDF.weight(counts, idf: idf)
/// ```
public enum TFIDF {
    /// idf from document frequencies over `documentCount` documents.
    public static func inverseDocumentFrequency(documentFrequency: [Int], documentCount n: Int) -> [Double] {
        documentFrequency.map { log(Double(1 + n) / Double(1 + $0)) + 1 }
    }

    /// idf fitted on the rows of `counts` (a term's df = the rows where it is non-zero).
    public static func inverseDocumentFrequency(of counts: SparseMatrix) -> [Double] {
        var df = [Int](repeating: 0, count: counts.columns)
        for k in 0..<counts.nonZeroCount where counts.values[k] != 0 { df[Int(counts.columnIndices[k])] += 1 }
        return inverseDocumentFrequency(documentFrequency: df, documentCount: counts.rows)
    }

    /// idf fitted on the rows of a dense `x` (a column's df = the rows where it is non-zero).
    public static func inverseDocumentFrequency(of x: Matrix) -> [Double] {
        var df = [Int](repeating: 0, count: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns where x[i, j] != 0 { df[j] += 1 } }
        return inverseDocumentFrequency(documentFrequency: df, documentCount: x.rows)
    }

    /// tf · idf per entry, each row scaled to unit l2 norm.
    public static func weight(_ counts: SparseMatrix, idf: [Double]) -> SparseMatrix {
        precondition(idf.count == counts.columns, "TFIDF.weight: \(idf.count) idf weights for \(counts.columns) columns")
        var values = [Float](repeating: 0, count: counts.nonZeroCount)
        for i in 0..<counts.rows {
            let r = counts.rowStart[i]..<counts.rowStart[i + 1]
            var norm = 0.0
            for k in r { let v = Double(counts.values[k]) * idf[Int(counts.columnIndices[k])]; norm += v * v }
            norm = norm.squareRoot()
            for k in r where norm > 0 {
                values[k] = Float(Double(counts.values[k]) * idf[Int(counts.columnIndices[k])] / norm)
            }
        }
        return SparseMatrix(rows: counts.rows, columns: counts.columns, rowStart: counts.rowStart,
                            columnIndices: counts.columnIndices, values: values)
    }
}
