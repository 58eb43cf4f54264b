import Foundation

/// An SVG figure of a metric against the supervision level: one panel per (dataset, bits), one
/// coloured line with markers per algorithm, and a translucent band of ±1 standard deviation over
/// the runs.
///
/// ```
/// x = supervision level p        y = mean metric over runs
/// band(p) = [mean − std, mean + std]      (sample std, as in `ResultsPivot`)
/// ```
///
/// Written by hand (no plotting library): each panel has its axes, ticks, axis labels, a title
/// naming the dataset and code length, and a legend, so it reads without the table.
///
/// ```swift
/// let svg = SupervisionCurvePlot(pivot: pivot).svg()
/// try AtomicFile.write(svg, to: "results.svg")
/// ```
public struct SupervisionCurvePlot: Sendable {
    public var pivot: ResultsPivot
    public var panelWidth = 640.0
    public var panelHeight = 380.0
    /// The most panels in a row of the figure (one row or more per code length).
    public var columns = 3

    /// Colour-blind-safe colours (Okabe–Ito), with a distinct marker each so print in grey still works.
    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    static let markers = ["circle", "square", "triangle", "diamond", "circle", "square"]

    public init(pivot: ResultsPivot) { self.pivot = pivot }

    /// The panels, in order: (dataset, bits).
    public var panels: [(dataset: String, bits: Int)] {
        pivot.bits.flatMap { b in pivot.datasets(bits: b).map { (dataset: $0, bits: b) } }
    }

    public func svg() -> String {
        // One row of panels per code length, so 16- and 32-bit results line up by dataset.
        let groups = pivot.bits.map { b in pivot.datasets(bits: b).map { (dataset: $0, bits: b) } }
        let perRow = max(1, min(columns, groups.map(\.count).max() ?? 1))
        var placed: [(dataset: String, bits: Int, row: Int, column: Int)] = []
        var row = 0
        for group in groups {
            for (i, panel) in group.enumerated() {
                placed.append((panel.dataset, panel.bits, row + i / perRow, i % perRow))
            }
            row += (group.count + perRow - 1) / perRow
        }
        let width = panelWidth * Double(perRow), height = panelHeight * Double(row)
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        for p in placed {
            out.append("<g transform=\"translate(\(f(panelWidth * Double(p.column))),\(f(panelHeight * Double(p.row))))\">")
            out += panel(dataset: p.dataset, bits: p.bits)
            out.append("</g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private func panel(dataset: String, bits: Int) -> [String] {
        let left = 72.0, right = 150.0, top = 42.0, bottom = 58.0
        let plotW = panelWidth - left - right, plotH = panelHeight - top - bottom
        let keys = pivot.rowKeys.filter { $0.dataset == dataset && $0.bits == bits }
        let levels = pivot.levels.filter { p in keys.contains { pivot.summary($0, level: p) != nil } }
        var low = Double.infinity, high = -Double.infinity
        for k in keys { for p in levels { if let s = pivot.summary(k, level: p) {
            low = min(low, s.mean - s.standardDeviation); high = max(high, s.mean + s.standardDeviation)
        } } }
        let yTicks = Self.niceTicks(low: low, high: high)
        let yMin = yTicks.first!, yMax = yTicks.last!
        // Half a step of margin on each side keeps the end markers off the frame.
        let pad = levels.count > 1 ? (levels.last! - levels.first!) / Double(levels.count - 1) / 2 : 0.1
        let xMin = (levels.first ?? 0) - pad, xMax = (levels.last ?? 1) + pad
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yMin) / (yMax - yMin) * plotH }

        var out: [String] = []
        out.append("<text x=\"\(f(left + plotW / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(xml(dataset)), \(bits) bits: \(xml(pivot.metric)) vs supervision level</text>")
        // Grid and ticks.
        for t in yTicks {
            out.append("<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\" stroke-width=\"1\"/>")
            out.append("<text x=\"\(f(left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\" font-size=\"12\">\(Self.label(t, step: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1))</text>")
        }
        let xTicks = levels.count <= 11 ? levels : stride(from: 0.0, through: 1.0, by: 0.1).filter { $0 >= xMin && $0 <= xMax }
        for t in xTicks {
            out.append("<line x1=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\" stroke-width=\"1\"/>")
            out.append("<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\" font-size=\"12\">\(CSVField.number(t))</text>")
        }
        out.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>")
        out.append("<text x=\"\(f(left + plotW / 2))\" y=\"\(f(panelHeight - 16))\" text-anchor=\"middle\" font-size=\"14\">supervision level (fraction of labelled training items)</text>")
        out.append("<text transform=\"translate(20,\(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">\(xml(pivot.metric))</text>")

        // Bands first, so every line stays visible on top of every band.
        for (i, k) in keys.enumerated() {
            let points = levels.compactMap { p in pivot.summary(k, level: p).map { (p, $0) } }
            guard points.count > 1 else { continue }
            let upper = points.map { "\(f(px($0.0))),\(f(py($0.1.mean + $0.1.standardDeviation)))" }
            let lower = points.reversed().map { "\(f(px($0.0))),\(f(py($0.1.mean - $0.1.standardDeviation)))" }
            out.append("<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour(i))\" fill-opacity=\"0.15\" stroke=\"none\"/>")
        }
        for (i, k) in keys.enumerated() {
            let points = levels.compactMap { p in pivot.summary(k, level: p).map { (px(p), py($0.mean)) } }
            out.append("<polyline points=\"\(points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour(i))\" stroke-width=\"2\"/>")
            for (x, y) in points { out.append(marker(i, x: x, y: y)) }
        }
        // Legend, right of the plot.
        let lx = left + plotW + 16
        out.append("<text x=\"\(f(lx))\" y=\"\(f(top + 4))\" font-size=\"12\" font-weight=\"bold\">algorithm</text>")
        for (i, k) in keys.enumerated() {
            let y = top + 24 + Double(i) * 22
            out.append("<line x1=\"\(f(lx))\" y1=\"\(f(y))\" x2=\"\(f(lx + 26))\" y2=\"\(f(y))\" stroke=\"\(colour(i))\" stroke-width=\"2\"/>")
            out.append(marker(i, x: lx + 13, y: y))
            out.append("<text x=\"\(f(lx + 34))\" y=\"\(f(y + 4))\" font-size=\"12\">\(xml(k.algorithm))</text>")
        }
        let runs = pivot.maximumRuns
        let noteY = top + 34 + Double(keys.count) * 22
        out.append("<text x=\"\(f(lx))\" y=\"\(f(noteY))\" font-size=\"11\" fill=\"#555\">band: ±1 std</text>")
        out.append("<text x=\"\(f(lx))\" y=\"\(f(noteY + 14))\" font-size=\"11\" fill=\"#555\">over \(runs) run\(runs == 1 ? "" : "s")</text>")
        return out
    }

    private func colour(_ i: Int) -> String { Self.colours[i % Self.colours.count] }

    private func marker(_ i: Int, x: Double, y: Double) -> String {
        let c = colour(i), r = 4.0
        switch Self.markers[i % Self.markers.count] {
        case "square":
            return "<rect x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(f(2 * r))\" height=\"\(f(2 * r))\" fill=\"\(c)\" stroke=\"white\" stroke-width=\"1\"/>"
        case "triangle":
            return "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x - r - 1)),\(f(y + r)) \(f(x + r + 1)),\(f(y + r))\" fill=\"\(c)\" stroke=\"white\" stroke-width=\"1\"/>"
        case "diamond":
            return "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x + r + 1)),\(f(y)) \(f(x)),\(f(y + r + 1)) \(f(x - r - 1)),\(f(y))\" fill=\"\(c)\" stroke=\"white\" stroke-width=\"1\"/>"
        default:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"\(c)\" stroke=\"white\" stroke-width=\"1\"/>"
        }
    }

    /// Round tick values covering [low, high]: steps of 1, 2 or 5 × 10ᵏ, about five of them.
    static func niceTicks(low: Double, high: Double) -> [Double] {
        var lo = low, hi = high
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-12 { lo -= 0.05; hi += 0.05 }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let start = (lo / step).rounded(.down) * step
        let end = (hi / step).rounded(.up) * step
        let count = Int(((end - start) / step).rounded())
        return (0...count).map { start + Double($0) * step }
    }

    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        return String(format: "%.\(decimals)f", abs(value) < step / 1e6 ? 0 : value)
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
