/// Damages bytes the ways real files get damaged or are made hostile: truncation, flipped bytes,
/// NUL bytes, lost or repeated lines, numbers replaced by huge or non-finite ones, broken
/// markup, and for binary files extreme integers and floats written over the data.
///
/// ```swift
/// var m = Mutator(rng: FuzzRandom(seed: 3))
/// let (bytes, what) = m.mutate(original, kind: .text)
/// ```
struct Mutator {
    var rng: FuzzRandom

    static let hostileNumbers = ["2147483647", "2147483648", "99999999", "99999999999", "9223372036854775807", "9223372036854775808",
                                 "-1", "-2147483649", "0", "1e300", "-1e300", "1e39", "3.5e38", "1e-400", "nan", "NaN", "inf", "-inf",
                                 "1e309", "0x1p3", "4\u{0}garbage", "", "1.5", "-0"]

    mutating func mutate(_ bytes: [UInt8], kind: DatasetFixture.Kind) -> ([UInt8], String) {
        var b = bytes
        let choices: [String]
        switch kind {
        case .text: choices = ["truncate", "flip", "nul", "delete-line", "duplicate-line", "number", "number", "number", "long-line", "crlf", "high-bytes"]
        case .xml: choices = ["truncate", "flip", "nul", "delete-line", "markup", "markup", "markup"]
        case .binary: choices = ["truncate", "flip", "flip", "int32", "int32", "float64", "float32", "nul", "append"]
        }
        let what = rng.pick(choices)
        guard !b.isEmpty else { return ([0], "nul") }
        switch what {
        case "truncate":
            let at = rng.below(b.count)
            b = Array(b.prefix(at))
            return (b, "truncate at \(at)")
        case "flip":
            var changed: [Int] = []
            for _ in 0..<(1 + rng.below(3)) {
                let at = rng.below(b.count)
                b[at] = UInt8(truncatingIfNeeded: rng.next())
                changed.append(at)
            }
            return (b, "flip bytes \(changed)")
        case "nul":
            let at = rng.below(b.count)
            b.insert(0, at: at)
            return (b, "NUL at \(at)")
        case "delete-line", "duplicate-line":
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            let k = rng.below(lines.count)
            if what == "delete-line" { lines.remove(at: k) } else { lines.insert(lines[k], at: k) }
            return (Array(lines.joined(separator: [0x0A])), "\(what) \(k + 1)")
        case "number":
            // Replace one run of digits (with its sign, point and exponent) by a hostile number.
            var starts: [Int] = []
            for i in b.indices where (b[i] >= 0x30 && b[i] <= 0x39) && (i == 0 || !(b[i - 1] >= 0x30 && b[i - 1] <= 0x39) && b[i - 1] != UInt8(ascii: ".")) {
                starts.append(i)
            }
            guard let s = starts.isEmpty ? nil : rng.pick(starts) else { return (b, "number (none)") }
            var e = s
            while e < b.count, (b[e] >= 0x30 && b[e] <= 0x39) || b[e] == UInt8(ascii: ".") || b[e] == UInt8(ascii: "e") || b[e] == UInt8(ascii: "-") { e += 1 }
            let replacement = rng.pick(Self.hostileNumbers)
            b.replaceSubrange(s..<e, with: Array(replacement.utf8))
            return (b, "number at \(s) → '\(replacement.replacingOccurrences(of: "\u{0}", with: "\\0"))'")
        case "long-line":
            let at = rng.below(b.count)
            b.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "7"), count: 200_000), at: at)
            return (b, "200 000 digits at \(at)")
        case "crlf":
            b = Array(b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init).joined(separator: [0x0D, 0x0A]))
            return (b, "CRLF line ends")
        case "high-bytes":
            let at = rng.below(b.count)
            b.insert(contentsOf: [0xE9, 0x93, 0xFF], at: at)
            return (b, "bytes E9 93 FF at \(at)")
        case "markup":
            let damages = ["</labels>", "<label", "name=\"", "</label>", "\"", ">", "<"]
            let text = String(decoding: b, as: UTF8.self)
            let target = rng.pick(damages)
            var ranges: [Range<String.Index>] = []
            var from = text.startIndex
            while let r = text.range(of: target, range: from..<text.endIndex) { ranges.append(r); from = r.upperBound }
            guard !ranges.isEmpty else { return (b, "markup (none)") }
            let r = rng.pick(ranges)
            let replacement = rng.pick(["", "<", "lbel", "name=", "'", "<x>", "&bogus;"])
            let damaged = text.replacingCharacters(in: r, with: replacement)
            return (Array(damaged.utf8), "markup '\(target)' → '\(replacement)'")
        case "int32":
            let at = rng.below(max(1, b.count - 4))
            let value: UInt32 = rng.pick([0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0x4000_0000, 0x0100_0000, 0])
            let bytes = rng.chance(0.5) ? BinaryWriters.le32(value) : BinaryWriters.be32(value)
            for k in 0..<min(4, b.count - at) { b[at + k] = bytes[k] }
            return (b, String(format: "int32 0x%08X at %d", value, at))
        case "float64":
            let at = rng.below(max(1, b.count - 8))
            let value = rng.pick([Double.nan, .infinity, -.infinity, 1e300, -1e300, 2e9, 1e39])
            let bytes = BinaryWriters.le64(value.bitPattern)
            for k in 0..<min(8, b.count - at) { b[at + k] = bytes[k] }
            return (b, "float64 \(value) at \(at)")
        case "float32":
            let at = rng.below(max(1, b.count - 4))
            let value = rng.pick([Float.nan, .infinity, -.infinity, Float.greatestFiniteMagnitude])
            let bytes = BinaryWriters.le32(value.bitPattern)
            for k in 0..<min(4, b.count - at) { b[at + k] = bytes[k] }
            return (b, "float32 \(value) at \(at)")
        default:  // append
            b += (0..<(1 + rng.below(64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return (b, "append garbage")
        }
    }
}
