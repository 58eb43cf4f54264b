import Foundation

/// Renders a `ResultsPivot` as text: one table per code length, "mean ± std" per cell, the best
/// algorithm per dataset and level marked (bold in Markdown and LaTeX, a trailing `*` in CSV).
///
/// ```
/// | dataset  | algorithm | 0.1               | 0.2                   |
/// | snippets | SSB-VAE   | **0.6123 ± 0.0123** | 0.6501 ± 0.0090       |
/// ```
///
/// A cell with fewer runs than the table's most shows its count, e.g. `0.61 ± 0.01 (n=3)`.
///
/// ```swift
/// print(PivotTableFormat.markdown.render(pivot))
/// ```
public enum PivotTableFormat: String, CaseIterable, Sendable {
    case markdown
    case csv
    case latex

    public func render(_ pivot: ResultsPivot, bits only: Int? = nil, digits: Int = 4) -> String {
        let bitsList = pivot.bits.filter { only == nil || $0 == only }
        switch self {
        case .markdown: return bitsList.map { markdown(pivot, bits: $0, digits: digits) }.joined(separator: "\n")
        case .latex: return bitsList.map { latex(pivot, bits: $0, digits: digits) }.joined(separator: "\n")
        case .csv:
            let header = (["dataset", "algorithm", "bits"] + pivot.levels.map(CSVField.number)).joined(separator: ",")
            let lines = pivot.rowKeys.filter { bitsList.contains($0.bits) }.map { key in
                ([key.dataset, key.algorithm, String(key.bits)] + pivot.levels.map { cell(pivot, key, $0, digits: digits, plus: "±", best: { $0 + "*" }) })
                    .joined(separator: ",")
            }
            return ([header] + lines).joined(separator: "\n") + "\n"
        }
    }

    private func cell(_ pivot: ResultsPivot, _ key: ResultsPivot.RowKey, _ level: Double, digits: Int, plus: String,
                      best: (String) -> String) -> String {
        guard let s = pivot.summary(key, level: level) else { return "" }
        // One run has no spread to show: the mean alone, not "± 0".
        var text = String(format: "%.\(digits)f", s.mean)
            + (s.count > 1 ? plus + String(format: "%.\(digits)f", s.standardDeviation) : "")
        if s.count < pivot.maximumRuns { text += " (n=\(s.count))" }
        return pivot.isBest(key, level: level) ? best(text) : text
    }

    private func title(_ pivot: ResultsPivot, bits: Int) -> String {
        pivot.maximumRuns == 1 ? "\(pivot.metric), \(bits) bits: one run per cell"
            : "\(pivot.metric), \(bits) bits: mean ± std over \(pivot.maximumRuns) runs per cell"
    }

    private func markdown(_ pivot: ResultsPivot, bits: Int, digits: Int) -> String {
        var lines = ["### \(title(pivot, bits: bits)) (best per dataset and level in bold)", ""]
        lines.append("| dataset | algorithm | " + pivot.levels.map(CSVField.number).joined(separator: " | ") + " |")
        lines.append("|---|---|" + String(repeating: "---:|", count: pivot.levels.count))
        var previous: String?
        for key in pivot.rowKeys where key.bits == bits {
            let name = key.dataset == previous ? "" : key.dataset
            previous = key.dataset
            let cells = pivot.levels.map { cell(pivot, key, $0, digits: digits, plus: " ± ", best: { "**\($0)**" }) }
            lines.append("| \(name) | \(key.algorithm) | " + cells.map { $0.isEmpty ? "–" : $0 }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func latex(_ pivot: ResultsPivot, bits: Int, digits: Int) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\textbackslash{}").replacingOccurrences(of: "_", with: "\\_")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "&", with: "\\&").replacingOccurrences(of: "#", with: "\\#")
        }
        var lines = ["% \(title(pivot, bits: bits)); best per dataset and level in bold",
                     "\\begin{tabular}{ll" + String(repeating: "r", count: pivot.levels.count) + "}", "\\hline",
                     "dataset & algorithm & " + pivot.levels.map(CSVField.number).joined(separator: " & ") + " \\\\", "\\hline"]
        var previous: String?
        for key in pivot.rowKeys where key.bits == bits {
            if previous != nil && key.dataset != previous { lines.append("\\hline") }
            let name = key.dataset == previous ? "" : escape(key.dataset)
            previous = key.dataset
            let cells = pivot.levels.map { cell(pivot, key, $0, digits: digits, plus: " $\\pm$ ", best: { "\\textbf{\($0)}" }) }
            lines.append("\(name) & \(escape(key.algorithm)) & " + cells.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\hline", "\\end{tabular}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
