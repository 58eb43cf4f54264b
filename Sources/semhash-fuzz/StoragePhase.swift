import Foundation
import SemanticHashing

/// Damaged model and index files. Besides flipped bytes and truncation (which the checksums
/// catch), structural damage is written with a recomputed checksum so that it reaches the
/// decoders: tensor shapes of 2⁶², negative or shifted shapes, NaN/inf weights, oversized
/// configurations, header lengths that lie; index counts, code lengths and payload lengths that lie.
///
/// ```swift
/// StoragePhase.run(semhash: binary, work: dir, count: 148, rng: &rng, tally: tally)
/// ```
enum StoragePhase {
    static let data = "synthetic:docs=120,test=30,vocab=60,classes=3,length=12"

    static func run(semhash: String, work: String, count: Int, rng: inout FuzzRandom, tally: Tally) {
        let dir = work + "/storage"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let train = ProcessProbe.run([semhash, "train", "--data", data, "--model", "vdsh", "--bits", "8", "--epochs", "1", "--out", "base.semhash"], in: dir)
        let index = ProcessProbe.run([semhash, "index", "--model", "base.semhash", "--data", data, "--out", "base.smhi"], in: dir)
        guard train.status == .exited(0), index.status == .exited(0),
              let model = FileManager.default.contents(atPath: dir + "/base.semhash").map([UInt8].init),
              let smhi = FileManager.default.contents(atPath: dir + "/base.smhi").map([UInt8].init) else {
            tally.record("storage: setup", .trialFailed, "cannot build the base model/index: \(train.stderr) \(index.stderr)")
            return
        }
        for i in 0..<count {
            if i % 2 == 0 {
                let (bytes, what) = damageModel(model, rng: &rng)
                let path = "m\(i).semhash"
                _ = FileManager.default.createFile(atPath: dir + "/" + path, contents: Data(bytes))
                let r = ProcessProbe.run([semhash, "encode", "--model", path, "--data", data, "--split", "test"], in: dir)
                // Structural damage is written with a recomputed checksum; a checksum error means the
                // fuzzer's own fix-up missed and the probe tested nothing.
                let missed = !["flip", "truncate", "header length"].contains { what.hasPrefix($0) } && r.stderr.contains("checksum mismatch")
                tally.record("storage: model files", missed ? .trialFailed : classify(r, names: [path]), "\(what) → \(r.status) \(r.stderr.prefix(300))")
                try? FileManager.default.removeItem(atPath: dir + "/" + path)
            } else {
                let (bytes, what) = damageIndex(smhi, rng: &rng)
                let path = "i\(i).smhi"
                _ = FileManager.default.createFile(atPath: dir + "/" + path, contents: Data(bytes))
                let r = ProcessProbe.run([semhash, "search", "--index", path, "--query-code", "a5", "--k", "5"], in: dir)
                let missed = what.hasSuffix("(valid CRC)") && r.stderr.contains("checksum mismatch")
                tally.record("storage: index files", missed ? .trialFailed : classify(r, names: [path]), "\(what) → \(r.status) \(r.stderr.prefix(300))")
                try? FileManager.default.removeItem(atPath: dir + "/" + path)
            }
        }
    }

    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) } }

    /// Splits a model file into its JSON header and tensor bytes, lets `edit` change them, and
    /// reassembles it with a correct checksum.
    static func rebuildModel(_ b: [UInt8], _ edit: (inout [String: Any], inout [UInt8]) -> Void) -> [UInt8] {
        let length = Int(u64(b, 16))
        guard var header = try? JSONSerialization.jsonObject(with: Data(b[24..<(24 + length)])) as? [String: Any] else { return b }
        var tensors = Array(b[(24 + length)...])
        edit(&header, &tensors)
        let json = [UInt8]((try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data())
        let payload = json + tensors
        return Array(b[0..<12]) + BinaryWriters.le32(BinaryWriters.crc32(payload)) + BinaryWriters.le64(UInt64(json.count)) + payload
    }

    static func damageModel(_ b: [UInt8], rng: inout FuzzRandom) -> ([UInt8], String) {
        let kinds = ["flip", "truncate", "rows 2^62", "rows -1", "rows+1", "columns 2^40", "inputDimensions 2^40", "hiddenDimensions 2^31",
                     "bits 0", "bits 5000", "classCount 2^40", "nan weight", "inf weight", "drop tensor", "rename tensor", "header length lie",
                     "garbage header", "extra bytes"]
        let kind = rng.pick(kinds)
        let draw = rng.next()  // which tensor / which weight, seeded
        func tensorEdit(_ key: String, _ value: Int) -> [UInt8] {
            rebuildModel(b) { h, _ in
                guard var t = h["tensors"] as? [[String: Any]], !t.isEmpty else { return }
                let k = Int(draw % UInt64(t.count))
                t[k][key] = key == "rows+1" ? ((t[k]["rows"] as? Int ?? 0) + 1) : value
                if key == "rows+1" { t[k]["rows"] = t[k]["rows+1"]; t[k]["rows+1"] = nil }
                h["tensors"] = t
            }
        }
        func configEdit(_ key: String, _ value: Int) -> [UInt8] {
            rebuildModel(b) { h, _ in
                guard var c = h["configuration"] as? [String: Any] else { return }
                c[key] = value
                h["configuration"] = c
            }
        }
        func weight(_ v: Float) -> [UInt8] {
            rebuildModel(b) { _, t in
                let at = 4 * Int(draw % UInt64(max(1, t.count / 4)))
                let bytes = BinaryWriters.le32(v.bitPattern)
                for k in 0..<4 { t[at + k] = bytes[k] }
            }
        }
        switch kind {
        case "flip":
            var c = b
            let at = 24 + rng.below(c.count - 24)
            c[at] ^= UInt8(1 + rng.below(255))
            return (c, "flip byte \(at)")
        case "truncate": let at = rng.below(b.count); return (Array(b.prefix(at)), "truncate at \(at)")
        case "rows 2^62": return (tensorEdit("rows", 1 << 62), kind)
        case "rows -1": return (tensorEdit("rows", -1), kind)
        case "rows+1": return (tensorEdit("rows+1", 0), kind)
        case "columns 2^40": return (tensorEdit("columns", 1 << 40), kind)
        case "inputDimensions 2^40": return (configEdit("inputDimensions", 1 << 40), kind)
        case "hiddenDimensions 2^31": return (configEdit("hiddenDimensions", 1 << 31), kind)
        case "bits 0": return (configEdit("bits", 0), kind)
        case "bits 5000": return (configEdit("bits", 5000), kind)
        case "classCount 2^40": return (configEdit("classCount", 1 << 40), kind)
        case "nan weight": return (weight(.nan), kind)
        case "inf weight": return (weight(.infinity), kind)
        case "drop tensor":
            return (rebuildModel(b) { h, _ in
                if var t = h["tensors"] as? [[String: Any]], !t.isEmpty { t.removeLast(); h["tensors"] = t }
            }, kind)
        case "rename tensor":
            return (rebuildModel(b) { h, _ in
                if var t = h["tensors"] as? [[String: Any]], !t.isEmpty { t[0]["name"] = "bogus"; h["tensors"] = t }
            }, kind)
        case "header length lie":
            var c = b
            let lie = rng.pick([UInt64(0), UInt64.max, 1 << 62, u64(b, 16) + 1])
            let bytes = BinaryWriters.le64(lie)
            for k in 0..<8 { c[16 + k] = bytes[k] }
            return (c, "header length \(lie)")
        case "garbage header":
            return (rebuildModel(b) { h, _ in h = ["configuration": ["preset": "nonsense"], "tensors": 7] }, kind)
        default:
            let extra = (0..<(1 + rng.below(16))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return (rebuildModel(b) { _, t in t += extra }, kind)
        }
    }

    /// Rewrites index header fields (little-endian, format version 2: bits at 8, flags at 12, count
    /// at 16, metadata length at 24, record length at 32, kind at 40, substrings at 44, reserved
    /// 48..<60) and recomputes the CRC at 60 over bytes 0..<60 + 64…, so the damage reaches the decoder.
    static func damageIndex(_ b: [UInt8], rng: inout FuzzRandom) -> ([UInt8], String) {
        var c = b
        func set32(_ at: Int, _ v: UInt32) { let x = BinaryWriters.le32(v); for k in 0..<4 { c[at + k] = x[k] } }
        func set64(_ at: Int, _ v: UInt64) { let x = BinaryWriters.le64(v); for k in 0..<8 { c[at + k] = x[k] } }
        func fixCRC() { set32(60, BinaryWriters.crc32(Array(c[0..<60]) + Array(c[64...]))) }
        let kinds = ["flip", "truncate", "bits 0", "bits 65", "bits 2^31", "count 2^62", "count+1", "metadata 2^62", "metadata+1",
                     "records 2^62", "records-1", "ids flag", "flags 0xF0", "kind 7", "substrings 2^31", "reserved", "append"]
        let kind = rng.pick(kinds)
        switch kind {
        case "flip": let at = rng.below(c.count); c[at] ^= UInt8(1 + rng.below(255)); return (c, "flip byte \(at)")
        case "truncate": let at = rng.below(c.count); return (Array(c.prefix(at)), "truncate at \(at)")
        case "bits 0": set32(8, 0)
        case "bits 65": set32(8, 65)
        case "bits 2^31": set32(8, 1 << 31)
        case "count 2^62": set64(16, 1 << 62)
        case "count+1": set64(16, u64(c, 16) + 1)
        case "metadata 2^62": set64(24, 1 << 62)
        case "metadata+1": set64(24, u64(c, 24) + 1)
        case "records 2^62": set64(32, 1 << 62)
        case "records-1": set64(32, u64(c, 32) &- 1)
        case "ids flag": set32(12, UInt32(c[12]) ^ 1)  // toggled: the base index has ids already
        case "flags 0xF0": set32(12, UInt32(c[12]) | 0xF0)
        case "kind 7": set32(40, 7)
        case "substrings 2^31": set32(44, 1 << 31)
        case "reserved": c[48 + rng.below(12)] = UInt8(1 + rng.below(255))
        default:
            // Garbage after the item records, with the record length grown to cover it.
            let extra = (0..<(4 + rng.below(12))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            c += extra
            set64(32, u64(c, 32) + UInt64(extra.count))
        }
        fixCRC()
        return (c, kind + " (valid CRC)")
    }
}
