import Foundation
import XCTest

final class TrainCodeUsageTests: XCTestCase {
    /// `train` follows a warning about one code holding many items with the option that spreads them.
    func testTrainPointsToBitBalanceWhenOneCodeHoldsManyItems() throws {
        let semhash = try SemhashProcess()
        let out = NSTemporaryDirectory() + "bb-\(UUID().uuidString).semhash"
        defer { try? FileManager.default.removeItem(atPath: out) }
        for balance in ["0", "10"] {
            let run = try semhash.run(["train", "--data", "synthetic:docs=300,test=10,vocab=40,classes=2", "--model", "ssb-vae", "--bits", "4",
                                       "--epochs", "1", "--supervision", "1", "--bit-balance", balance, "--out", out])
            XCTAssertEqual(run.status, 0, run.stderr)
            let warned = run.stderr.contains("share one code")
            let noted = run.stderr.contains("note: --bit-balance 10 spreads the items over more codes")
            // 4 bits over 330 items: at least 21 per code, more than 5 % whatever the model does.
            XCTAssertTrue(warned, run.stderr)
            XCTAssertEqual(noted, balance == "0", run.stderr)
        }
    }

    /// `train --json` records how the readout was fitted: the kept fit first, and when one code held
    /// more than 5 % of the items, the split fits after it.
    func testTrainJSONRecordsTheReadoutFits() throws {
        let semhash = try SemhashProcess()
        let out = NSTemporaryDirectory() + "ro-\(UUID().uuidString).semhash"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try semhash.run(["train", "--data", "synthetic:docs=300,test=10,vocab=40,classes=2", "--model", "ssb-vae", "--bits", "4",
                                   "--epochs", "1", "--supervision", "1", "--json", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let readout = try XCTUnwrap(json["readout"] as? [String: Any], run.stdout)
        let attempts = try XCTUnwrap(readout["attempts"] as? [[String: Any]])
        // 4 bits over 330 items: every fit crowds, so the kept fit (0) and the splits (1, 2) are all tried.
        XCTAssertEqual(attempts.compactMap { $0["split_bits"] as? Int }.prefix(3), [0, 1, 2])
        XCTAssertTrue(attempts.allSatisfy { ($0["largest_share"] as? Double ?? 0) > 0.05 }, "\(attempts)")
        let shares = attempts.prefix(3).compactMap { $0["largest_share"] as? Double }
        XCTAssertEqual(readout["largest_share"] as? Double, shares.min(), "the least crowded is kept")
    }

    /// `train` says which readout an unsupervised model chose and what each kept, on stderr and in
    /// `--json`; the chosen one keeps the most.
    func testTrainReportsTheUnsupervisedReadoutChoice() throws {
        let semhash = try SemhashProcess()
        let out = NSTemporaryDirectory() + "ir-\(UUID().uuidString).semhash"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try semhash.run(["train", "--data", "synthetic:docs=300,test=10,vocab=40,classes=2", "--model", "bvae", "--bits", "4",
                                   "--epochs", "1", "--json", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let readout = try XCTUnwrap(json["input_readout"] as? [String: Any], run.stdout)
        let agreement = try XCTUnwrap(readout["neighbourhood_agreement"] as? [String: Double])
        XCTAssertEqual(Set(agreement.keys), ["latent", "rotated-latent", "both", "input"])
        XCTAssertTrue(agreement.values.allSatisfy { (0...1).contains($0) }, "\(agreement)")
        let chosen = try XCTUnwrap(readout["chosen"] as? String)
        XCTAssertEqual(agreement[chosen], agreement.values.max())
        // Without --json the same choice is printed (the run is the same, seed and all).
        let plain = try semhash.run(["train", "--data", "synthetic:docs=300,test=10,vocab=40,classes=2", "--model", "bvae", "--bits", "4",
                                     "--epochs", "1", "--out", out])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let kept = String(format: "%.1f %%", 100 * agreement[chosen]!)
        XCTAssertTrue(plain.stderr.contains("readout: codes read from ") && plain.stderr.contains("they keep \(kept) of each item's 100 nearest input neighbours"),
                      plain.stderr)
        // The reference variant reads the logits and reports nothing.
        let reference = try semhash.run(["train", "--data", "synthetic:docs=300,test=10,vocab=40,classes=2", "--model", "bvae", "--bits", "4",
                                         "--epochs", "1", "--variant", "reference", "--json", "--out", out])
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertFalse(reference.stdout.contains("input_readout"), reference.stdout)
        XCTAssertFalse(reference.stderr.contains("readout: codes read from"), reference.stderr)
    }
}
