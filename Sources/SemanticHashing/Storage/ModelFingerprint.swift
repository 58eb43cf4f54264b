import Foundation

/// A 64-bit fingerprint of everything that decides a model's codes: the configuration, the
/// preprocessing (the fitted vectoriser: settings, vocabulary, idf) and every tensor (name, shape,
/// values). Metadata (creation date, timings, the dataset spec as typed) is left out, so the same
/// weights saved twice keep their fingerprint, and two models with one fingerprint give the same
/// code for the same input.
///
/// ```
/// bytes  = JSON(configuration) ‖ JSON(preprocessing) ‖ for each tensor: name length ‖ name ‖ rows ‖ columns
///          ‖ zeros to a multiple of 8 bytes ‖ Float32 values
/// words  = bytes as little-endian UInt64, the last one zero-padded, then the byte count
/// four lanes, lane l ← fmix64(lane l ⊕ word_i) for i ≡ l (mod 4), lanes seeded "smhfp001" … "smhfp004"
/// h = fmix64(fmix64(fmix64(fmix64(lane₀) ⊕ lane₁) ⊕ lane₂) ⊕ lane₃),  fingerprint = fmix64(h ⊕ byte count)
/// ```
/// (fmix64 is MurmurHash3's finaliser; four lanes let the processor overlap their multiplies.)
/// fmix64 is a bijection, so every word moves every bit of its lane; the fingerprint guards
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

/// The running state of a `ModelFingerprint` (the formula above, on four interleaved lanes).
struct FingerprintHasher {
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x736D_6866_7030_3031, 0x736D_6866_7030_3032, 0x736D_6866_7030_3033, 0x736D_6866_7030_3034)
    private var words = 0
    private var pending: UInt64 = 0
    private var pendingBytes = 0
    private var total: UInt64 = 0

    @inline(__always)
    static func fmix64(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k &*= 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    @inline(__always)
    private mutating func absorb(_ w: UInt64) {
        switch words & 3 {
        case 0: lanes.0 = Self.fmix64(lanes.0 ^ w)
        case 1: lanes.1 = Self.fmix64(lanes.1 ^ w)
        case 2: lanes.2 = Self.fmix64(lanes.2 ^ w)
        default: lanes.3 = Self.fmix64(lanes.3 ^ w)
        }
        words += 1
    }

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            pending |= UInt64(b) << UInt64(8 * pendingBytes)
            pendingBytes += 1
            if pendingBytes == 8 {
                absorb(pending)
                pending = 0
                pendingBytes = 0
            }
        }
        total &+= UInt64(bytes.count)
    }

    mutating func combine(_ data: Data) { data.withUnsafeBytes { combine($0) } }

    /// Zero bytes up to the next word boundary.
    mutating func alignToWord() {
        guard pendingBytes > 0 else { return }
        total &+= UInt64(8 - pendingBytes)
        absorb(pending)
        pending = 0
        pendingBytes = 0
    }

    mutating func combine<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { combine($0) }
    }

    /// Float32 values as their little-endian bit patterns, two to a word; when the stream is at a
    /// word boundary the four lanes run without waiting on each other.
    mutating func combine(_ values: [Float]) {
        guard pendingBytes == 0 else {
            for v in values { combine(v.bitPattern) }
            return
        }
        let pairs = values.count / 2
        values.withUnsafeBufferPointer { v in
            @inline(__always) func word(_ p: Int) -> UInt64 {
                UInt64(v[2 * p].bitPattern.littleEndian) | UInt64(v[2 * p + 1].bitPattern.littleEndian) << 32
            }
            var p = 0
            while p < pairs && words & 3 != 0 { absorb(word(p)); p += 1 }
            var (a, b, c, d) = lanes
            while p + 4 <= pairs {
                a = Self.fmix64(a ^ word(p))
                b = Self.fmix64(b ^ word(p + 1))
                c = Self.fmix64(c ^ word(p + 2))
                d = Self.fmix64(d ^ word(p + 3))
                p += 4
                words += 4
            }
            lanes = (a, b, c, d)
            while p < pairs { absorb(word(p)); p += 1 }
        }
        total &+= UInt64(8 * pairs)
        if values.count % 2 == 1 { combine(values[values.count - 1].bitPattern) }
    }

    func finalize() -> UInt64 {
        var copy = self
        if copy.pendingBytes > 0 { copy.absorb(copy.pending) }
        var h = Self.fmix64(copy.lanes.0)
        for lane in [copy.lanes.1, copy.lanes.2, copy.lanes.3] { h = Self.fmix64(h ^ lane) }
        return Self.fmix64(h ^ total)
    }
}

extension ModelFile {
    /// The fingerprint of the model's configuration, preprocessing and weights (see
    /// `ModelFingerprint`); computed on demand (a few milliseconds per 10 MB of weights).
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
            hasher.alignToWord()
            hasher.combine(tensor.storage)
        }
        return ModelFingerprint(value: hasher.finalize())
    }
}
