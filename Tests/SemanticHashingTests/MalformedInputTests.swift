import XCTest
@testable import SemanticHashing

/// Every reader must turn damaged files into thrown errors, never a crash: each valid fixture is
/// truncated at every length and has single bytes corrupted, and each attempt must either load or
/// throw a `SemanticHashingError`.
final class MalformedInputTests: XCTestCase {
    typealias W = FixtureWriters

    func survive(_ bytes: [UInt8], name: String, in dir: TempDirectory, flips: Bool = true,
                 _ load: (String) throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws {
        var variants: [[UInt8]] = (0..<bytes.count).map { Array(bytes.prefix($0)) }
        if flips {
            var rng = RandomSource(seed: 9)
            for _ in 0..<80 where !bytes.isEmpty {
                var b = bytes
                b[rng.integer(below: b.count)] = UInt8(truncatingIfNeeded: rng.next())
                variants.append(b)
            }
        }
        for v in variants {
            let path = try dir.write(name, Data(v))
            do { try load(path) } catch is SemanticHashingError {} catch {
                XCTFail("\(name): unexpected error type \(error)", file: file, line: line)
            }
        }
    }

    func testMATReaderSurvivesTruncationAndCorruption() throws {
        let dir = try TempDirectory()
        let (ir, jc, pr) = W.csc([[1, 0, 2], [0, 3, 0]])
        let mat = W.matHeader() + W.sparseMatrix("train", rows: 2, columns: 3, ir: ir, jc: jc, pr: pr)
            + W.compressed(W.denseMatrix("gnd_train", rows: 2, columns: 1, columnMajor: [1, 2]))
            + W.sparseMatrix("test", rows: 2, columns: 3, ir: ir, jc: jc, pr: pr)
            + W.denseMatrix("gnd_test", rows: 2, columns: 1, columnMajor: [2, 1])
        try survive(mat, name: "f.mat", in: dir) { _ = try MATLoader.load(path: $0, options: [:]) }
    }

    func testNPYAndIDXSurvive() throws {
        let dir = try TempDirectory()
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let npy = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            + [Float(1), 2, 3, 4].flatMap { W.le32($0.bitPattern) }
        try survive(npy, name: "x.npy", in: dir) { _ = try NPYLoader.read(path: $0) }
        let idx = W.gzip(W.be32(0x803) + W.be32(2) + W.be32(2) + W.be32(2) + [UInt8](repeating: 7, count: 8))
        try survive(idx, name: "i.gz", in: dir) { _ = try FashionMNISTLoader.readIDX($0, magic: 0x803, dimensions: 3) }
    }

    func testTextReadersSurvive() throws {
        let dir = try TempDirectory()
        let test = try dir.write("test.svm", "0 1:1\n")
        try survive(Array("1,2 1:0.5 3:2\n0\n2 2:1e-3 4:7 # c\n".utf8), name: "train.svm", in: dir) {
            _ = try LibSVMLoader.load(paths: "\($0),\(test)", options: ["values": "log1p"])
        }
        let arff = "@relation r\n@attribute a numeric\n@attribute 'b c' {x,y}\n@attribute L {0,1}\n@data\n{0 1.5,1 y,2 1}\n2,x,0\n"
        let arffTest = try dir.write("t.arff", arff)
        try survive(Array(arff.utf8), name: "a.arff", in: dir) {
            _ = try ARFFLoader.load(paths: "\($0),\(arffTest)", options: ["labels": "1"])
        }
        try survive(Array("a,b,y\n1,2,u\n\"3\",4,v\n5,6,u\n".utf8), name: "c.csv", in: dir) {
            _ = try CSVLoader.load(path: $0, options: ["test": "1", "validation": "0"])
        }
    }
}
