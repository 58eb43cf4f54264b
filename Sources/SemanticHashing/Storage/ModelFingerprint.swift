import Foundation

/// A 64-bit fingerprint of everything that decides a model's codes: the configuration, the
/// preprocessing (the fitted vectoriser: settings, vocabulary, idf) and every tensor (name, shape,
/// values). Metadata (creation date, timings, the dataset spec as typed) is left out, so the same
/// weights saved twice keep their fingerprint, and two models with one fingerprint give the same
/// code for the same input.
///
/// ```
/// bytes  = JSON(configuration) ‖ JSON(preprocessing) ‖ for each tensor: name ‖ rows ‖ columns ‖ Float32 values
/// words  = bytes as little-endian UInt64, the last one zero-padded, then the byte count
/// h₀ = 0x736d6866_70303031 ("smhfp001"),  hᵢ₊₁ = fmix64(hᵢ ⊕ wordᵢ)      (MurmurHash3's finaliser)
/// ```
/// fmix64 is a bijection, so every word moves every bit of the state; the fingerprint guards
/// against mixing up models, not against someone forging one (it is not a cryptographic hash).
///
/// ```swift
/// let fp = try ModelFile.read(from: "docs.semhash").fingerprint
/// print(fp)                                  // 16 hex digits, e.g. 3f9a0c…
/// ```
public struct ModelFingerprint: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// Parses the 16 hex digits of `description`.
    public init?(parsing text: String) {
        guard text.count == 16, let v = UInt64(text, radix: 16) else { return nil }
        value = v
    }

    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The running state of a `ModelFingerprint` (the formula above).
struct FingerprintHasher {
    private var state: UInt64 = 0x736D_6866_7030_3031
    private var pending: UInt64 = 0
    private var pendingBytes = 0
    private var total: UInt64 = 0

    @inline(__always)
    private static func fmix64(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k &*= 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            pending |= UInt64(b) << UInt64(8 * pendingBytes)
            pendingBytes += 1
            if pendingBytes == 8 {
                state = Self.fmix64(state ^ pending)
                pending = 0
                pendingBytes = 0
            }
        }
        total &+= UInt64(bytes.count)
    }

    mutating func combine(_ data: Data) { data.withUnsafeBytes { combine($0) } }

    mutating func combine<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { combine($0) }
    }

    /// Float32 values as their little-endian bit patterns, a word at a time when aligned.
    mutating func combine(_ values: [Float]) {
        if pendingBytes == 0 {
            let pairs = values.count / 2
            var s = state
            values.withUnsafeBufferPointer { v in
                for p in 0..<pairs {
                    let word = UInt64(v[2 * p].bitPattern.littleEndian) | UInt64(v[2 * p + 1].bitPattern.littleEndian) << 32
                    s = Self.fmix64(s ^ word)
                }
            }
            state = s
            total &+= UInt64(8 * pairs)
            if values.count % 2 == 1 { combine(values[values.count - 1].bitPattern) }
        } else {
            for v in values { combine(v.bitPattern) }
        }
    }

    func finalize() -> UInt64 {
        var s = state
        if pendingBytes > 0 { s = Self.fmix64(s ^ pending) }
        return Self.fmix64(s ^ total)
    }
}

extension ModelFile {
    /// The fingerprint of the model's configuration, preprocessing and weights (see
    /// `ModelFingerprint`); computed on demand, about 30 ms for a 22 MB model.
    public var fingerprint: ModelFingerprint {
        var hasher = FingerprintHasher()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Both types encode without failing (plain values); a failure would be a programming error.
        hasher.combine(try! encoder.encode(model.configuration))
        hasher.combine(try! encoder.encode(preprocessing))
        for (name, tensor) in model.state {
            let nameBytes = Array(name.utf8)
            hasher.combine(UInt64(nameBytes.count))
            nameBytes.withUnsafeBytes { hasher.combine($0) }
            hasher.combine(UInt64(tensor.rows))
            hasher.combine(UInt64(tensor.columns))
            hasher.combine(tensor.storage)
        }
        return ModelFingerprint(value: hasher.finalize())
    }
}
