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
}
