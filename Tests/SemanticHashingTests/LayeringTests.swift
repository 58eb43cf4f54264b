import Foundation
import XCTest

/// The folders of the library are its layers (docs/design.md, Architecture): a file may use the
/// types and functions declared in its own folder and in the folders before it in `order`, never
/// in a folder after it. This reads the sources and checks every name a file mentions.
final class LayeringTests: XCTestCase {
    static let order = ["Support", "Numerics", "Search", "Text", "Data", "Loaders", "Layers", "Losses", "Models", "Baselines",
                        "Training", "Storage", "Collections", "Evaluation", "Experiments"]

    static var sourceRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SemanticHashing")
    }

    /// Source text without comments and string literals, so prose and messages do not count.
    static func code(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var kept = ""
            var inString = false
            var previous: Character = " "
            var chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if !inString && c == "/" && i + 1 < chars.count && chars[i + 1] == "/" { break }
                if c == "\"" && previous != "\\" { inString.toggle(); kept.append("\""); previous = c; i += 1; continue }
                if !inString { kept.append(c) }
                previous = c
                i += 1
            }
            chars.removeAll()
            out += kept + "\n"
        }
        return out
    }

    /// Names declared at the top level of a file (types, functions, globals), private ones excepted.
    static func declarations(_ text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(
            pattern: #"^(?:public |internal )?(?:final )?(?:struct|class|enum|protocol|typealias|func|actor|let|var)\s+([A-Za-z_][A-Za-z0-9_]*)"#,
            options: [.anchorsMatchLines])
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }

    func testNoFileUsesALayerAboveItsOwn() throws {
        let root = Self.sourceRoot
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { throw XCTSkip("sources not found at \(root.path)") }
        var files: [(folder: String, path: String, text: String)] = []
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let folder = String(relative.split(separator: "/").first ?? "")
            let text = try String(contentsOfFile: root.appendingPathComponent(relative).path, encoding: .utf8)
            files.append((folder, relative, text))
        }
        XCTAssertGreaterThan(files.count, 50, "expected the library's sources under \(root.path)")
        var declaredIn: [String: Set<String>] = [:]
        for f in files {
            XCTAssertNotNil(Self.order.firstIndex(of: f.folder), "\(f.path): folder \(f.folder) is not in the layer order")
            for name in Self.declarations(f.text) { declaredIn[name, default: []].insert(f.folder) }
        }
        let identifier = try NSRegularExpression(pattern: #"\b[A-Za-z_][A-Za-z0-9_]*\b"#)
        var violations: [String] = []
        for f in files {
            guard let rank = Self.order.firstIndex(of: f.folder) else { continue }
            let code = Self.code(f.text)
            let words = Set(identifier.matches(in: code, range: NSRange(code.startIndex..., in: code))
                .compactMap { Range($0.range, in: code).map { String(code[$0]) } })
            for word in words.sorted() {
                guard let folders = declaredIn[word], !folders.contains(f.folder) else { continue }
                // A name declared in several folders is fine if any of them is allowed.
                if folders.allSatisfy({ (Self.order.firstIndex(of: $0) ?? 0) > rank }) {
                    violations.append("\(f.path) uses \(word) from \(folders.sorted().joined(separator: ", "))")
                }
            }
        }
        XCTAssertEqual(violations, [], "files that reach up the layers")
    }

    func testTheCheckFindsAnUpwardReference() {
        // A type used by a lower folder must show up: Trainer (Training) named from Layers.
        let lower = Self.code("let t = Trainer(options: o) // Search is only in a comment\nlet s = \"Matrix\"")
        XCTAssertTrue(lower.contains("Trainer"))
        XCTAssertFalse(lower.contains("Search"), "comments do not count")
        XCTAssertFalse(lower.contains("Matrix"), "strings do not count")
        XCTAssertEqual(Self.declarations("public final class Trainer {\n    struct Inner {}\n}\nfunc helper() {}"), ["Trainer", "helper"])
    }
}
