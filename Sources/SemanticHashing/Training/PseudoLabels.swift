import Foundation

/// Pseudo-labels for the readout's input classifier q on single-label data: the unlabelled items
/// the mean of the two classifiers is surest of, class by class, labelled with the mean's
/// prediction, so that q is refitted on more items than the labelled few (self-training).
///
/// ```
/// p(x) = ½·(ŷ(x) + q₀(x))             ŷ: the head's label distribution (not softened); q₀: q fitted on the labels
/// ĉ(x) = argmax_c p_c(x),  confidence max_c p_c(x)
/// for each class c: of the unlabelled items with ĉ = c, the round(share · count) most confident
/// ```
/// Why: with 10 % labels q sees a dozen items a class on small collections, and the head has read
/// every item through the reconstruction term. Where their mean is confident the prediction is
/// mostly right, and a logistic regression refitted on those items generalises better (q's
/// accuracy on held-out items, 10 % labels: 800 Snippets lines 0.50 → 0.55, 600 posts 0.67 →
/// 0.73, Ohsumed 0.43 → 0.45). Taking each class's surest items, not the collection's, keeps a
/// class the classifiers find easy from crowding out the others. Taking every unlabelled item lost
/// (the doubtful ones teach q the head's errors); shares from a tenth to a third were close, a
/// quarter the best on average (docs/results/defaults.md, section 23).
enum PseudoLabels {
    /// The share of each predicted class's unlabelled items that is pseudo-labelled.
    static let share = 0.25

    /// The rows to refit q on and their classes: the labelled rows of single-label `labels` with
    /// their own, then the rows `choose` picks among the unlabelled ones with theirs; nil when it
    /// picks none (every item labelled, or too few unlabelled a class).
    static func trainingSet(labels: Labels, head: Matrix, input: Matrix, share: Double = share)
        -> (rows: [Int], classes: [Int], pseudoLabelled: Int)? {
        let labelled = labels.labelledItems
        guard labelled.count < labels.count else { return nil }
        let pseudo = choose(head: head, input: input, candidates: (0..<labels.count).filter { !labels.isLabelled($0) }, share: share)
        guard !pseudo.isEmpty else { return nil }
        return (labelled + pseudo.map(\.row), labelled.map { Int(labels.classesOf($0).first!) } + pseudo.map(\.label), pseudo.count)
    }

    /// (row, class) pairs of the chosen rows among `candidates`, ascending by row. `head` and
    /// `input` are n × C probability rows; ties in confidence go to the lower row.
    static func choose(head: Matrix, input: Matrix, candidates: [Int], share: Double = share) -> [(row: Int, label: Int)] {
        precondition(head.rows == input.rows && head.columns == input.columns, "PseudoLabels: head and input shapes differ")
        let c = head.columns
        var byClass = [[(row: Int, confidence: Float)]](repeating: [], count: c)
        for i in candidates {
            var best = 0, bestP = -Float.infinity
            for j in 0..<c {
                let p = 0.5 * (head[i, j] + input[i, j])
                if p > bestP { bestP = p; best = j }
            }
            byClass[best].append((i, bestP))
        }
        var chosen: [(row: Int, label: Int)] = []
        for (label, items) in byClass.enumerated() {
            let take = Int((Double(items.count) * share).rounded())
            let surest = items.sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.row < $1.row }.prefix(take)
            chosen += surest.map { ($0.row, label) }
        }
        return chosen.sorted { $0.row < $1.row }
    }

    /// The head's distribution ŷ from its softened form ŷ_T = softmax(log ŷ / T):
    /// ŷ_c = ŷ_T,c^T / Σ_k ŷ_T,k^T (exact up to rounding, and to the floor the softening clamps ŷ to).
    static func unsoften(_ softened: Matrix, temperature t: Float) -> Matrix {
        var p = softened
        for i in 0..<p.rows {
            var sum = 0.0
            for j in 0..<p.columns { let v = Foundation.pow(Double(p[i, j]), Double(t)); p[i, j] = Float(v); sum += v }
            if sum > 0 { for j in 0..<p.columns { p[i, j] = Float(Double(p[i, j]) / sum) } }
        }
        return p
    }
}
