/// The 64-bit FNV-1a hash: a short, stable fingerprint of a string (not cryptographic).
///
/// ```
/// h₀ = 0xcbf29ce484222325;   hᵢ₊₁ = (hᵢ ⊕ byteᵢ) · 0x100000001b3  (mod 2⁶⁴)
/// ```
///
/// Swift's `Hasher` is seeded per process, so it cannot identify a configuration across runs;
/// FNV-1a gives the same value on every machine and every run.
///
/// ```swift
/// FNV1a.hash64("a") == 0xaf63dc4c8601ec8c
/// FNV1a.hex64("a") == "af63dc4c8601ec8c"
/// ```
public enum FNV1a {
    public static func hash64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The hash as 16 lower-case hex digits.
    public static func hex64(_ text: String) -> String {
        let digits = String(hash64(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
