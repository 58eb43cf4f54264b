import Foundation

/// A small valid dataset for one loader: its files, the spec that loads it (`ROOT` stands for the
/// folder it is written to), and how many items a (possibly damaged) copy should load, when
/// that can be told from the text alone.
///
/// ```swift
/// for f in DatasetFixture.all(rng: &rng) { try f.write(to: dir) }
/// ```
struct DatasetFixture {
    enum Kind { case text, binary, xml }

    var loader: String
    var spec: String
    var files: [String: [UInt8]]
    /// Which files mutations may damage, and how to treat their bytes.
    var targets: [(path: String, kind: Kind)]
    /// The item count a successful load must report, from the files' text (nil: not knowable).
    var expectedItems: ([String: [UInt8]]) -> Int?

    func write(_ files: [String: [UInt8]], to dir: String) throws {
        for (path, bytes) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: full))
        }
    }

    func spec(root: String) -> String { spec.replacingOccurrences(of: "ROOT", with: root) }

    /// Lines that are neither blank nor start (after blanks) with one of `comments`.
    static func dataLines(_ bytes: [UInt8], comments: [UInt8] = []) -> Int {
        var n = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if let first = trimmed.first, comments.contains(first) { continue }
            n += 1
        }
        return n
    }

    /// Data rows of an ARFF file: non-blank, non-% lines after the @data line.
    static func arffRows(_ bytes: [UInt8]) -> Int? {
        // On bytes: "\r\n" is one Character in Swift, so String scanning would miss the line end.
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let marker = Array("@data".utf8)
        guard let at = (0...max(0, lower.count - marker.count)).first(where: { lower.count >= marker.count && Array(lower[$0..<($0 + marker.count)]) == marker }),
              let lineEnd = bytes[at...].firstIndex(of: 0x0A) else { return nil }
        return dataLines(Array(bytes[(lineEnd + 1)...]), comments: [UInt8(ascii: "%")])
    }

    static func all(rng: inout FuzzRandom) -> [DatasetFixture] {
        var out: [DatasetFixture] = []
        let words = ["orbit", "rocket", "garlic", "basil", "market", "stock", "goal", "match", "planet", "recipe", "shares", "league"]

        // libsvm
        func svm(_ n: Int) -> [UInt8] {
            var s = "# a comment line\n"
            for i in 0..<n {
                let label = i % 3
                var entries: [String] = []
                for j in 1...8 where (i + j) % 3 != 0 { entries.append("\(j):\(Double((i * j) % 7 + 1) / 2)") }
                s += "\(label) " + entries.joined(separator: " ") + "\n"
            }
            return Array(s.utf8)
        }
        out.append(DatasetFixture(loader: "libsvm", spec: "libsvm:ROOT/train.svm,ROOT/test.svm",
                                  files: ["train.svm": svm(20), "test.svm": svm(6)],
                                  targets: [("train.svm", .text), ("test.svm", .text)],
                                  expectedItems: { f in dataLines(f["train.svm"]!, comments: [35]) + dataLines(f["test.svm"]!, comments: [35]) }))
        out.append(DatasetFixture(loader: "libsvm log1p", spec: "libsvm:ROOT/train.svm,ROOT/test.svm?values=log1p&validation=3",
                                  files: ["train.svm": svm(15), "test.svm": svm(5)],
                                  targets: [("train.svm", .text)],
                                  expectedItems: { f in dataLines(f["train.svm"]!, comments: [35]) + dataLines(f["test.svm"]!, comments: [35]) }))

        // csv
        var csv = "a,b,c,label\n"
        for i in 0..<30 { csv += "\(i % 5),\(Double(i) / 4),\(-i % 3),\(["x", "y", "z"][i % 3])\n" }
        out.append(DatasetFixture(loader: "csv", spec: "csv:ROOT/data.csv?test=5", files: ["data.csv": Array(csv.utf8)],
                                  targets: [("data.csv", .text)],
                                  expectedItems: { f in dataLines(f["data.csv"]!) - 1 }))
        var csvNumeric = "f1,f2,class\n"
        for i in 0..<24 { csvNumeric += "\(i % 4),\(i % 7),\(i % 3)\n" }
        out.append(DatasetFixture(loader: "csv numeric labels", spec: "csv:ROOT/num.csv?test=4&validation=2", files: ["num.csv": Array(csvNumeric.utf8)],
                                  targets: [("num.csv", .text)],
                                  expectedItems: { f in dataLines(f["num.csv"]!) - 1 }))

        // arff (dense and sparse rows, a nominal class)
        func arff(_ n: Int) -> [UInt8] {
            var s = "% fixture\n@relation fuzz\n@attribute w1 numeric\n@attribute 'w 2' real\n@attribute w3 integer\n@attribute class {sports,news,arts}\n@data\n"
            for i in 0..<n {
                s += i % 2 == 0 ? "\(i % 4),\(Double(i) / 3),\(i % 2),\(["sports", "news", "arts"][i % 3])\n"
                                : "{0 \(i % 5 + 1),2 \(i),3 \(["sports", "news", "arts"][i % 3])}\n"
            }
            return Array(s.utf8)
        }
        out.append(DatasetFixture(loader: "arff", spec: "arff:ROOT/train.arff,ROOT/test.arff?labels=1&validation=2",
                                  files: ["train.arff": arff(16), "test.arff": arff(6)],
                                  targets: [("train.arff", .text), ("test.arff", .text)],
                                  expectedItems: { f in
                                      guard let a = arffRows(f["train.arff"]!), let b = arffRows(f["test.arff"]!) else { return nil }
                                      return a + b
                                  }))

        // tmc: sparse binary words + binary labels named by a Mulan XML file
        func tmcArff(_ n: Int) -> [UInt8] {
            var s = "@relation tmc\n"
            for w in 0..<6 { s += "@attribute word\(w) {0,1}\n" }
            for l in 0..<3 { s += "@attribute class0\(l + 1) {0,1}\n" }
            s += "@data\n"
            for i in 0..<n {
                let on = (0..<6).filter { ($0 + i) % 3 == 0 }.map { "\($0) 1" } + [(6 + i % 3)].map { "\($0) 1" }
                s += "{" + on.joined(separator: ",") + "}\n"
            }
            return Array(s.utf8)
        }
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<labels xmlns=\"http://mulan.sourceforge.net/labels\">\n<label name=\"class01\"></label>\n<label name=\"class02\"></label>\n<label name=\"class03\"></label>\n</labels>\n"
        out.append(DatasetFixture(loader: "tmc", spec: "tmc:ROOT/tmc",
                                  files: ["tmc/tmc2007-500-train.arff": tmcArff(20), "tmc/tmc2007-500-test.arff": tmcArff(6),
                                          "tmc/tmc2007-500.xml": Array(xml.utf8)],
                                  targets: [("tmc/tmc2007-500.xml", .xml), ("tmc/tmc2007-500-train.arff", .text)],
                                  expectedItems: { f in
                                      guard let a = arffRows(f["tmc/tmc2007-500-train.arff"]!), let b = arffRows(f["tmc/tmc2007-500-test.arff"]!) else { return nil }
                                      return a + b
                                  }))

        // npy
        let n = 20, d = 4
        let xs = (0..<(n * d)).map { Float(($0 * 7) % 11) / 3 }
        out.append(DatasetFixture(loader: "npy", spec: "npy:ROOT/x.npy,ROOT/y.npy?test=4",
                                  files: ["x.npy": BinaryWriters.npy(descr: "<f4", shape: [n, d], payload: xs.flatMap { BinaryWriters.le32($0.bitPattern) }),
                                          "y.npy": BinaryWriters.npy(descr: "<i8", shape: [n], payload: (0..<n).flatMap { BinaryWriters.le64(UInt64($0 % 3)) })],
                                  targets: [("x.npy", .binary), ("y.npy", .binary)], expectedItems: { _ in nil }))

        // mat (VDSH layout: sparse features, class-number columns, one compressed element)
        func rows(_ k: Int, offset: Int) -> [[Double]] { (0..<k).map { i in (0..<5).map { j in (i + j + offset) % 3 == 0 ? Double(j + 1) : 0 } } }
        let mat = BinaryWriters.matHeader()
            + BinaryWriters.sparseMatrix("train", rows: rows(12, offset: 0))
            + BinaryWriters.compressed(BinaryWriters.denseMatrix("gnd_train", rows: 12, columns: 1, columnMajor: (0..<12).map { Double($0 % 3 + 1) }))
            + BinaryWriters.sparseMatrix("test", rows: rows(4, offset: 1))
            + BinaryWriters.denseMatrix("gnd_test", rows: 4, columns: 1, columnMajor: [1, 2, 3, 1])
        out.append(DatasetFixture(loader: "mat", spec: "mat:ROOT/data.mat?validation=2", files: ["data.mat": mat],
                                  targets: [("data.mat", .binary)], expectedItems: { _ in nil }))

        // fashion-mnist (gzip'd IDX, 4×4 images)
        func images(_ k: Int) -> [UInt8] {
            BinaryWriters.gzip(BinaryWriters.be32(0x803) + BinaryWriters.be32(UInt32(k)) + BinaryWriters.be32(4) + BinaryWriters.be32(4)
                               + (0..<(k * 16)).map { UInt8(($0 * 37) % 256) })
        }
        func labels(_ k: Int) -> [UInt8] { BinaryWriters.gzip(BinaryWriters.be32(0x801) + BinaryWriters.be32(UInt32(k)) + (0..<k).map { UInt8($0 % 10) }) }
        out.append(DatasetFixture(loader: "fashion-mnist", spec: "fashion-mnist:ROOT/fm?validation=3",
                                  files: ["fm/train-images-idx3-ubyte.gz": images(20), "fm/train-labels-idx1-ubyte.gz": labels(20),
                                          "fm/t10k-images-idx3-ubyte.gz": images(6), "fm/t10k-labels-idx1-ubyte.gz": labels(6)],
                                  targets: [("fm/train-images-idx3-ubyte.gz", .binary), ("fm/t10k-labels-idx1-ubyte.gz", .binary)],
                                  expectedItems: { _ in nil }))

        // text:DIR, text:FILE, snippets, 20news
        func sentence(_ i: Int, _ c: Int) -> String {
            (0..<6).map { words[(c * 4 + ($0 * 5 + i) % 4) % words.count] }.joined(separator: " ") + " number\(i % 4)"
        }
        var folder: [String: [UInt8]] = [:]
        for c in 0..<2 { for i in 0..<8 { folder["corpus/\(["space", "food"][c])/\(i)"] = Array((i % 3 == 0 ? "Subject: doc \(i)\nFrom: a@b\n\n" : "").utf8) + Array((sentence(i, c) + "\n").utf8) } }
        out.append(DatasetFixture(loader: "text:DIR", spec: "text:ROOT/corpus?lemmatizer=none", files: folder,
                                  targets: [("corpus/space/1", .text), ("corpus/food/3", .text)], expectedItems: { f in f.count }))
        var lines = ""
        for i in 0..<24 { lines += sentence(i, i % 3) + " " + ["space", "food", "money"][i % 3] + "\n" }
        out.append(DatasetFixture(loader: "text:FILE", spec: "text:ROOT/lines.txt?lemmatizer=none", files: ["lines.txt": Array(lines.utf8)],
                                  targets: [("lines.txt", .text)], expectedItems: { f in dataLines(f["lines.txt"]!) }))
        var trainLines = "", testLines = ""
        for i in 0..<20 { trainLines += sentence(i, i % 2) + " " + ["business", "sports"][i % 2] + "\n" }
        for i in 0..<6 { testLines += sentence(i + 3, i % 2) + " " + ["business", "sports"][i % 2] + "\n" }
        out.append(DatasetFixture(loader: "snippets", spec: "snippets:ROOT/snip?lemmatizer=none",
                                  files: ["snip/train.txt": Array(trainLines.utf8), "snip/test.txt": Array(testLines.utf8)],
                                  targets: [("snip/train.txt", .text), ("snip/test.txt", .text)],
                                  expectedItems: { f in dataLines(f["snip/train.txt"]!) + dataLines(f["snip/test.txt"]!) }))
        var news: [String: [UInt8]] = [:]
        for (part, count) in [("train", 8), ("test", 3)] {
            for g in ["sci.space", "rec.food"] {
                for i in 0..<count {
                    news["news/20news-bydate-\(part)/\(g)/\(100 + i)"] = Array("From: x@y\nSubject: post \(i)\n\n\(sentence(i, g == "sci.space" ? 0 : 1))\n".utf8)
                }
            }
        }
        out.append(DatasetFixture(loader: "20news", spec: "20news:ROOT/news", files: news,
                                  targets: [("news/20news-bydate-train/sci.space/101", .text)], expectedItems: { _ in nil }))  // empty posts are dropped
        return out
    }
}
