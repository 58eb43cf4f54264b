import Foundation
import SemanticHashing

let reportCommand = Command(
    words: ["report"],
    summary: "Pivot a results CSV into the paper's tables (mean ± std over runs) and plot metric vs supervision level.",
    discussion: """
    Rows: dataset × algorithm (one table per code length); columns: supervision levels; cells:
    mean ± sample std of the metric over the runs, best algorithm per dataset and level marked
    (bold in markdown/latex, * in csv). --plot writes one SVG with a panel per dataset and code
    length: the metric against the supervision level, a line per algorithm and a ±1 std band.
    Example:
      semhash report results.csv --metric p@100 --format markdown --plot results.svg
    """,
    positionals: [("results", "A CSV written by 'semhash experiment'")],
    options: [
        .value("--metric", "NAME", "p@100, r@100, p@1000, p@5000, map@100, map@1000, map@5000, tie-aware p@100, train_seconds", default: "p@100"),
        .choice("--format", "F", "Table format", PivotTableFormat.allCases.map(\.rawValue), default: "markdown"),
        .integer("--bits", "B", "Only this code length (default: one table per code length)", in: 1...1024),
        .integer("--digits", "N", "Decimals in the tables", default: 4, in: 0...10),
        .value("--plot", "FILE", "Also write the figure as SVG"),
        .value("--out", "FILE", "Write the tables to FILE instead of standard output"),
    ],
    run: { args in
        let path = try args.positional(0)
        let format = PivotTableFormat(rawValue: args.string("--format")!)!
        let rows = try ResultsFile.readRows(path: path)
        guard !rows.isEmpty else { throw SemanticHashingError.malformedInput(location: path, reason: "has no result rows yet") }
        let pivot = try usageChecked("--metric") { try ResultsPivot(rows: rows, metric: args.string("--metric")!) }
        let bits = try args.int("--bits")
        if let b = bits, !pivot.bits.contains(b) {
            throw UsageError(description: "--bits \(b): the results have \(pivot.bits.map(String.init).joined(separator: ", ")) bits")
        }
        let digits = try args.int("--digits")!
        let text = format.render(pivot, bits: bits, digits: digits)
        if let out = args.string("--out") {
            try AtomicFile.write(text, to: out)
        } else {
            print(text, terminator: "")
        }
        if let plot = args.string("--plot") {
            var figure = SupervisionCurvePlot(pivot: pivot)
            if let b = bits { figure.pivot = try ResultsPivot(rows: rows.filter { $0.bits == b }, metric: pivot.metric) }
            try AtomicFile.write(figure.svg(), to: plot)
            printError("wrote \(plot) (\(figure.panels.count) panel\(figure.panels.count == 1 ? "" : "s"))")
        }
    }
)
