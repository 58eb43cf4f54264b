import Foundation
import XCTest
@testable import SemanticHashing

/// The four baselines on the shared corpora at 16 bits with 10 % of the labels (SupervisionMask
/// seed 20, model seed 20): database = training + validation items with their true labels,
/// queries = the test split. Prints seconds and P@100, and fails when a P@100 falls more than
/// 0.02 below what was measured when the baselines were written (the fits are deterministic; the
/// margin covers BLAS summation order on other machines). Skipped unless `SEMHASH_SHARED` names
/// the folder holding `datasets/`; meant for a release build:
/// `SEMHASH_SHARED=/work/shared swift test -c release -Xswiftc -enable-testing --filter BaselineSharedData`.
final class BaselineSharedDataTests: XCTestCase {
    /// P@100 at 16 bits as measured: lsh, itq, ssh, label-itq.
    static let measured: [(corpus: String, spec: String, precision: [Double])] = [
        ("snippets", "snippets:datasets/snippets", [0.1437, 0.2902, 0.3472, 0.5169]),
        ("ohsumed", "snippets:datasets/ohsumed", [0.0938, 0.1868, 0.1646, 0.2643]),
        ("trec", "snippets:datasets/trec", [0.2765, 0.2615, 0.3131, 0.3778]),
        ("20news", "20news:datasets/20news-bydate", [0.0594, 0.3645, 0.4134, 0.5900]),
        ("tmc", "tmc:datasets/tmc2007-500", [0.5012, 0.6779, 0.6420, 0.7203]),
    ]

    func testBaselinesOnSharedCorpora() throws {
        guard let root = ProcessInfo.processInfo.environment["SEMHASH_SHARED"] else {
            throw XCTSkip("SEMHASH_SHARED is not set")
        }
        for (corpus, spec, expected) in Self.measured {
            let (kind, path) = (spec.split(separator: ":")[0], spec.split(separator: ":")[1])
            let data = try DatasetSpec(parsing: "\(kind):\((root as NSString).appendingPathComponent(String(path)))").load()
            let (masked, _) = SupervisionMask.apply(to: data, level: 0.1, seed: 20)
            let database = data.database
            var precisions: [Double] = []
            for (k, fit) in BaselineTests.fits.enumerated() {
                let start = Date()
                let model = try fit.fit(masked, 16, 20)
                let seconds = Date().timeIntervalSince(start)
                let metrics = RetrievalMetrics.evaluate(queryCodes: model.codes(data.test.features), queryLabels: data.test.labels,
                                                        databaseCodes: model.codes(database.features), databaseLabels: database.labels,
                                                        cutoffs: [100])
                let precision = metrics.at(100)!.precision
                precisions.append(precision)
                print(String(format: "%@ 16 bits %@: fit %.2f s, P@100 %.4f (measured %.4f)", corpus, fit.name, seconds, precision, expected[k]))
                XCTAssertGreaterThanOrEqual(precision, expected[k] - 0.02, "\(corpus) \(fit.name)")
            }
            XCTAssertGreaterThan(precisions[3], precisions[1], "\(corpus): label-itq should beat itq")
        }
    }
}
