import Foundation
import XCTest
@testable import SemanticHashing

/// A fresh temporary directory per test, with helpers to write fixture files into it.
final class TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "semhash-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let p = path + "/" + name
        try data.write(to: URL(fileURLWithPath: p))
        return p
    }
}

/// Asserts that `body` throws `malformedInput` whose location contains `location`.
func assertMalformed(_ location: String, reasonContains reason: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> Any) {
    do {
        _ = try body()
        XCTFail("expected malformedInput at \(location)", file: file, line: line)
    } catch let SemanticHashingError.malformedInput(loc, why) {
        XCTAssertTrue(loc.contains(location), "location '\(loc)' lacks '\(location)' (\(why))", file: file, line: line)
        if let r = reason { XCTAssertTrue(why.contains(r), "reason '\(why)' lacks '\(r)'", file: file, line: line) }
    } catch {
        XCTFail("expected malformedInput, got \(error)", file: file, line: line)
    }
}

extension FeatureMatrix {
    /// The matrix as nested rows, for value assertions.
    var denseRows: [[Float]] {
        let m: Matrix
        switch self { case .sparse(let s): m = s.densified(); case .dense(let d): m = d }
        return (0..<m.rows).map { m.row($0) }
    }
}

extension Labels {
    var sets: [[Int]] { (0..<count).map { classesOf($0).map(Int.init) } }
}
