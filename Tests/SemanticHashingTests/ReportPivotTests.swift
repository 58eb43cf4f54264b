import XCTest
@testable import SemanticHashing

final class ReportPivotTests: XCTestCase {
    func row(_ dataset: String, _ algorithm: String, level: Double, p100: Double, bits: Int = 16, hash: String) -> ExperimentResultRow {
        ExperimentResultRow(dataset: dataset, algorithm: algorithm, level: level, weights: LossWeights(alpha: 1, beta: 1, gamma: 1),
                            metrics: ["p@100": p100, "map@100": p100 / 2], addedValidation: true, seed: 20, bits: bits,
                            trainSeconds: 10, configHash: hash)
    }

    /// snippets: SSB-VAE at 0.1 has runs 0.5, 0.6, 0.7 (mean 0.6, std 0.1); VDSH-S 0.4, 0.5 (mean 0.45, std √0.005).
    /// At 1.0 VDSH-S wins with 0.9 (one run, std 0). tmc has one row. A duplicate hash counts once.
    var rows: [ExperimentResultRow] {
        [row("snippets", "SSB-VAE", level: 0.1, p100: 0.5, hash: "a"), row("snippets", "SSB-VAE", level: 0.1, p100: 0.6, hash: "b"),
         row("snippets", "SSB-VAE", level: 0.1, p100: 0.7, hash: "c"), row("snippets", "SSB-VAE", level: 0.1, p100: 0.7, hash: "c"),
         row("snippets", "VDSH-S", level: 0.1, p100: 0.4, hash: "d"), row("snippets", "VDSH-S", level: 0.1, p100: 0.5, hash: "e"),
         row("snippets", "VDSH-S", level: 1.0, p100: 0.9, hash: "f"), row("snippets", "SSB-VAE", level: 1.0, p100: 0.8, hash: "g"),
         row("tmc", "PHS-GS", level: 0.1, p100: 0.3, hash: "h"), row("tmc", "PHS-GS", level: 0.1, p100: 0.2, bits: 32, hash: "i")]
    }

    func testMeansStdsAndBest() throws {
        let pivot = try ResultsPivot(rows: rows, metric: "p@100")
        XCTAssertEqual(pivot.levels, [0.1, 1.0])
        XCTAssertEqual(pivot.bits, [16, 32])
        // Paper model order within a dataset: VDSH-S before SSB-VAE.
        XCTAssertEqual(pivot.rowKeys.map { "\($0.dataset)/\($0.algorithm)/\($0.bits)" },
                       ["snippets/VDSH-S/16", "snippets/SSB-VAE/16", "tmc/PHS-GS/16", "tmc/PHS-GS/32"])
        let ssb = ResultsPivot.RowKey(dataset: "snippets", algorithm: "SSB-VAE", bits: 16)
        let vdsh = ResultsPivot.RowKey(dataset: "snippets", algorithm: "VDSH-S", bits: 16)
        let s = try XCTUnwrap(pivot.summary(ssb, level: 0.1))
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s.mean, 0.6, accuracy: 1e-12)
        XCTAssertEqual(s.standardDeviation, 0.1, accuracy: 1e-12)
        XCTAssertEqual(pivot.summary(vdsh, level: 0.1)!.standardDeviation, 0.005.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(pivot.summary(vdsh, level: 1.0)!.standardDeviation, 0)
        XCTAssertTrue(pivot.isBest(ssb, level: 0.1))
        XCTAssertFalse(pivot.isBest(vdsh, level: 0.1))
        XCTAssertTrue(pivot.isBest(vdsh, level: 1.0))
        // Best is per dataset: tmc's only row is best although its mean is lower than snippets'.
        XCTAssertTrue(pivot.isBest(.init(dataset: "tmc", algorithm: "PHS-GS", bits: 16), level: 0.1))
        XCTAssertEqual(pivot.maximumRuns, 3)
        let map = try ResultsPivot(rows: rows, metric: "map@100")
        XCTAssertEqual(map.summary(ssb, level: 0.1)!.mean, 0.3, accuracy: 1e-12)
        XCTAssertThrowsError(try ResultsPivot(rows: rows, metric: "p@7"))
        XCTAssertThrowsError(try ResultsPivot(rows: rows, metric: "tie-aware p@100"))  // no row has it
    }

    func testMarkdownTable() throws {
        let pivot = try ResultsPivot(rows: rows, metric: "p@100")
        XCTAssertEqual(PivotTableFormat.markdown.render(pivot, bits: 16, digits: 2), """
        ### p@100, 16 bits: mean ± std over 3 runs per cell (best per dataset and level in bold)

        | dataset | algorithm | 0.1 | 1.0 |
        |---|---|---:|---:|
        | snippets | VDSH-S | 0.45 ± 0.07 (n=2) | **0.90 (n=1)** |
        |  | SSB-VAE | **0.60 ± 0.10** | 0.80 (n=1) |
        | tmc | PHS-GS | **0.30 (n=1)** | – |

        """)
    }

    func testCSVAndLatexMarkBest() throws {
        let pivot = try ResultsPivot(rows: rows, metric: "p@100")
        let csv = PivotTableFormat.csv.render(pivot, digits: 3).split(separator: "\n").map(String.init)
        XCTAssertEqual(csv[0], "dataset,algorithm,bits,0.1,1.0")
        XCTAssertEqual(csv[2], "snippets,SSB-VAE,16,0.600±0.100*,0.800 (n=1)")
        XCTAssertEqual(csv[4], "tmc,PHS-GS,32,0.200 (n=1)*,")
        let latex = PivotTableFormat.latex.render(pivot, bits: 16, digits: 2)
        XCTAssertTrue(latex.contains("snippets & VDSH-S & 0.45 $\\pm$ 0.07 (n=2) & \\textbf{0.90 (n=1)} \\\\"), latex)
        XCTAssertTrue(latex.contains("\\begin{tabular}{llrr}"))
    }

    func testNiceTicks() {
        XCTAssertEqual(SupervisionCurvePlot.niceTicks(low: 0.52, high: 0.87).map { ($0 * 1000).rounded() / 1000 }, [0.5, 0.6, 0.7, 0.8, 0.9])
        XCTAssertEqual(SupervisionCurvePlot.niceTicks(low: 0, high: 1).map { ($0 * 1000).rounded() / 1000 }, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        XCTAssertEqual(SupervisionCurvePlot.label(0.30000000000000004, step: 0.1), "0.3")
    }

    func testSVGHasAPanelPerDatasetAndBitsWithLinesBandsAndLabels() throws {
        let pivot = try ResultsPivot(rows: rows, metric: "p@100")
        let svg = SupervisionCurvePlot(pivot: pivot).svg()
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        for title in ["snippets, 16 bits: p@100 vs supervision level", "tmc, 16 bits", "tmc, 32 bits"] {
            XCTAssertTrue(svg.contains(title), title)
        }
        XCTAssertEqual(svg.components(separatedBy: "supervision level (fraction of labelled training items)").count - 1, 3)
        // One polyline per (dataset, algorithm, bits) row; bands only where a line has ≥ 2 points.
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 4)
        XCTAssertEqual(svg.components(separatedBy: "fill-opacity=\"0.15\"").count - 1, 2)
        XCTAssertTrue(svg.contains(">VDSH-S</text>") && svg.contains(">SSB-VAE</text>") && svg.contains(">PHS-GS</text>"))
        // Panels: 16 bits on the first row (2 datasets), 32 bits on the second → 2 × 640 by 2 × 380.
        XCTAssertTrue(svg.contains("width=\"1280.0\" height=\"760.0\""))
    }
}
